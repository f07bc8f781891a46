/// One earning rule of a program. Rules are evaluated in file order; each may have conditions and limits.
///
/// Base rules (`fixed`, `brackets`) turn money into points. Multipliers add `(m − 1) ×` the base points of the lines
/// they cover, so multipliers stack by addition: a 1.5× level and a 2× campaign give 1 + 0.5 + 1 = 2.5× the base.
/// Bonuses add fixed points. The order's total is rounded once.
public struct EarningRule: Sendable, Hashable {
    /// What the rule does.
    public enum Kind: Sendable, Hashable {
        /// `points` per `perMinor` of base.
        case fixed(points: Rate, perMinor: Int64)
        /// Points per major unit by order amount.
        case brackets([Bracket], mode: BracketMode)
        /// A multiplier by the member's level name.
        case levelMultiplier([String: Rate])
        /// A multiplier on the lines that match the rule's SKU or category conditions (or on all lines).
        case multiplier(Rate)
        /// Points for a member's first order.
        case firstOrderBonus(Int64)
        /// On the birthday (day or month, in the program's time zone): bonus points and/or a multiplier.
        case birthday(bonus: Int64, multiplier: Rate?, scope: BirthdayScope)
        /// A fixed bonus for any order that meets the conditions.
        case bonus(Int64)
    }

    /// The rule's name, unique in the program; limits are counted per name.
    public var name: String
    /// What it does.
    public var kind: Kind
    /// When it applies.
    public var conditions: RuleConditions
    /// How often it may apply.
    public var limit: RuleLimit

    /// Makes a rule.
    public init(name: String, kind: Kind, conditions: RuleConditions = RuleConditions(), limit: RuleLimit = RuleLimit()) {
        self.name = name
        self.kind = kind
        self.conditions = conditions
        self.limit = limit
    }

    /// Whether the rule produces base points (as opposed to multiplying them or adding a bonus).
    public var isBase: Bool {
        switch kind {
        case .fixed, .brackets: true
        default: false
        }
    }
}

/// One step of a bracket rule: from `from` (inclusive, minor units) on, `points` per major unit.
public struct Bracket: Sendable, Hashable {
    /// The lower bound, inclusive.
    public var from: Int64
    /// Points per major unit of the currency.
    public var points: Rate

    /// Makes a step.
    public init(from: Int64, points: Rate) {
        self.from = from
        self.points = points
    }
}

/// How a bracket rule prices an order.
public enum BracketMode: String, Sendable, Hashable {
    /// The whole base earns at the rate of the bracket it falls in.
    case wholeOrder
    /// Each slice of the base earns at its own bracket's rate (like income tax).
    case perSlice
}

/// Which birthday days count.
public enum BirthdayScope: String, Sendable, Hashable {
    /// The birthday itself.
    case day
    /// The whole birthday month.
    case month
}

/// When a rule applies. Empty sets and `nil`s do not restrict.
public struct RuleConditions: Sendable, Hashable {
    /// First day (inclusive, program time zone).
    public var from: LocalDate?
    /// Last day (inclusive).
    public var to: LocalDate?
    /// Sales channels.
    public var channels: Set<String>
    /// Member levels by name.
    public var levels: Set<String>
    /// SKUs: the rule covers only these lines.
    public var skus: Set<String>
    /// Categories: the rule covers only lines of these.
    public var categories: Set<String>
    /// The goods' value the order must reach, minor units.
    public var minimumAmount: Int64?
    /// Member tags, any of which qualifies.
    public var tags: Set<String>

    /// Makes conditions.
    public init(
        from: LocalDate? = nil, to: LocalDate? = nil, channels: Set<String> = [], levels: Set<String> = [], skus: Set<String> = [],
        categories: Set<String> = [], minimumAmount: Int64? = nil, tags: Set<String> = []
    ) {
        self.from = from
        self.to = to
        self.channels = channels
        self.levels = levels
        self.skus = skus
        self.categories = categories
        self.minimumAmount = minimumAmount
        self.tags = tags
    }

    /// Whether the rule restricts which lines it covers.
    var restrictsLines: Bool { !skus.isEmpty || !categories.isEmpty }

    /// Whether a line is covered.
    func covers(_ line: OrderLine) -> Bool {
        !restrictsLines || (!skus.isEmpty && skus.contains(line.sku))
            || (!categories.isEmpty && line.category.map(categories.contains) == true)
    }
}

/// How many times a rule may apply per window; `nil` is unlimited. Windows are calendar periods in the program's
/// time zone (a week starts on Monday).
public struct RuleLimit: Sendable, Hashable {
    /// Per calendar day.
    public var perDay: Int?
    /// Per week.
    public var perWeek: Int?
    /// Per calendar month.
    public var perMonth: Int?
    /// Ever.
    public var lifetime: Int?

    /// Makes a limit.
    public init(perDay: Int? = nil, perWeek: Int? = nil, perMonth: Int? = nil, lifetime: Int? = nil) {
        self.perDay = perDay
        self.perWeek = perWeek
        self.perMonth = perMonth
        self.lifetime = lifetime
    }

    /// Whether any window is limited.
    public var isLimited: Bool { perDay != nil || perWeek != nil || perMonth != nil || lifetime != nil }

    /// Whether another application fits, given the times used in each window.
    public func allows(_ used: RuleUsage) -> Bool {
        (perDay.map { used.day < $0 } ?? true) && (perWeek.map { used.week < $0 } ?? true)
            && (perMonth.map { used.month < $0 } ?? true) && (lifetime.map { used.lifetime < $0 } ?? true)
    }
}

/// How many times a rule has applied to a member in the windows around an order.
public struct RuleUsage: Sendable, Hashable {
    /// Today.
    public var day: Int
    /// This week.
    public var week: Int
    /// This month.
    public var month: Int
    /// Ever.
    public var lifetime: Int

    /// Makes a count.
    public init(day: Int = 0, week: Int = 0, month: Int = 0, lifetime: Int = 0) {
        self.day = day
        self.week = week
        self.month = month
        self.lifetime = lifetime
    }

    /// Never used.
    public static let none = RuleUsage()

    /// Counts a use on day number `used` in the windows around `window`'s day; a use after that day counts in none.
    public mutating func count(useOn used: Int, around window: Window) {
        guard used <= window.day else { return }
        lifetime += 1
        if used == window.day { day += 1 }
        if used >= window.monday && used < window.monday + 7 { week += 1 }
        if used >= window.firstOfMonth { month += 1 }
    }

    /// The day numbers a rule's uses are counted by around a day: the day, its week's Monday (weeks run Monday to
    /// Sunday) and its month's first day.
    public struct Window: Sendable, Hashable {
        public let day: Int
        public let monday: Int
        public let firstOfMonth: Int

        public init(_ date: LocalDate) {
            day = date.dayNumber
            monday = day - ((day + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday
            firstOfMonth = LocalDate(year: date.year, month: date.month, day: 1)!.dayNumber
        }
    }
}
