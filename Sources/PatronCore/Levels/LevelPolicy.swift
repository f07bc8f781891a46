import Foundation

/// The membership levels of a program and how members move between them.
public struct LevelPolicy: Sendable, Hashable {
    /// What qualifies a member for a level.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Goods' value of completed orders, net of returns (minor units).
        case spend
        /// Completed orders, net of orders returned in full.
        case orders
        /// Points earned (lifetime earned, net of reversals).
        case points
    }

    /// Over which time the metric counts.
    public enum Window: Sendable, Hashable {
        /// Since the member joined.
        case lifetime
        /// The last N months.
        case rollingMonths(Int)
        /// The current calendar year in the program's time zone.
        case calendarYear
    }

    /// Where a downgrade lands.
    public enum Downgrade: String, Sendable, Hashable {
        /// One level down.
        case oneLevel
        /// Straight to the level the member qualifies for now.
        case toQualified
    }

    /// How levels change over time.
    public enum Growth: Sendable, Hashable {
        /// Reaching a threshold moves a member up for good.
        case upgradeOnly
        /// Each level is held for a validity period; at its end a member who no longer qualifies moves down.
        case upgradeAndDowngrade(validityMonths: Int, downgrade: Downgrade)
    }

    /// What a return that undoes qualification does.
    public enum ReturnHandling: String, Sendable, Hashable {
        /// Re-evaluate at once (a member may drop a level).
        case immediate
        /// Keep the level until the validity period ends.
        case endOfPeriod
    }

    /// The qualifying metric.
    public var metric: Metric
    /// The window.
    public var window: Window
    /// The growth model.
    public var growth: Growth
    /// The treatment of returns.
    public var returns: ReturnHandling
    /// The levels, lowest first, with ascending thresholds.
    public var levels: [Level]
    /// Whether members reach the first level only with a completed order (otherwise on joining, when its threshold is 0).
    public var entryOnFirstOrder: Bool

    /// Makes a policy.
    public init(metric: Metric, window: Window, growth: Growth, returns: ReturnHandling, levels: [Level], entryOnFirstOrder: Bool = false) {
        self.metric = metric
        self.window = window
        self.growth = growth
        self.returns = returns
        self.levels = levels
        self.entryOnFirstOrder = entryOnFirstOrder
    }

    /// Where the window starts for an evaluation at `instant`; `nil` for lifetime.
    public func windowStart(at instant: Date, calendar: ShopCalendar) -> Date? {
        switch window {
        case .lifetime: return nil
        case .calendarYear: return calendar.startOfDay(LocalDate(year: calendar.localDate(of: instant).year, month: 1, day: 1)!)
        case .rollingMonths(let months): return calendar.adding(months: -months, to: instant)
        }
    }

    /// The highest level whose threshold `value` reaches, or `nil` below the first level.
    public func qualifyingLevel(for value: Int64) -> Level? {
        levels.last { value >= $0.threshold }
    }

    /// The level named `name`.
    public func level(named name: String) -> Level? { levels.first { $0.name == name } }
}

/// One membership level.
public struct Level: Sendable, Hashable {
    /// The shop's name for it (普通会员, Gold …).
    public var name: String
    /// The metric value that qualifies: minor units for spend, a count for orders, points for points.
    public var threshold: Int64
    /// What the level gives at checkout and beyond.
    public var benefits: Benefits

    /// Makes a level.
    public init(name: String, threshold: Int64, benefits: Benefits = Benefits()) {
        self.name = name
        self.threshold = threshold
        self.benefits = benefits
    }
}
