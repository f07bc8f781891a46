import Foundation

/// A shop's loyalty rules: one program file, validated. A changed file becomes a new version; entries name the
/// version that produced them.
public struct Program: Sendable, Hashable {
    /// The program's name, shown to staff.
    public var name: String
    /// The currency orders are priced in.
    public var currency: Currency
    /// The zone in which days, months, birthdays and expiry boundaries are counted.
    public var timeZone: TimeZone {
        didSet {
            calendar = ShopCalendar(timeZone: timeZone)
            care.hours.timeZone = timeZone
        }
    }
    /// The calendar of the program's time zone.
    public private(set) var calendar: ShopCalendar
    /// Who may join.
    public var enrollment: Enrollment
    /// The membership levels, if the program has any.
    public var levels: LevelPolicy?
    /// How orders earn points.
    public var earning: EarningPolicy
    /// Whether and how points pay for orders.
    public var pointsAsPayment: PointsAsPayment?
    /// Points for activities outside orders.
    public var activities: ActivityPolicy
    /// Points for referrals, given when the referred member's first order is completed.
    public var referral: ReferralReward?
    /// What points buy.
    public var rewards: [Reward] = []
    /// Whether and how members may give points to each other.
    public var transfers: TransferPolicy?
    /// Partner merchants of a coalition that issue and accept the program's points.
    public var partners: [Partner] = []
    /// Calendar days a completed order's points stay pending (the return window) before they become active.
    public var pendingDays: Int
    /// When active points expire.
    public var expiry: ExpiryPolicy
    /// The shop's limits for `patron program compare` (the `guardRails` section), if declared.
    public var guardRails: GuardRails?
    /// Customer care: service hours, response-time targets, compensation caps (the `care` section; standard without it).
    public var care: CareSettings
    /// Which causes queue which messages and the rules messages obey (the `messages` section), if declared.
    public var messages: MessagePlan?
    /// How members consent to marketing: double opt-in for e-mail or not (the `consent` section).
    public var consent = ConsentSettings()
    /// How long idempotency keys are kept, and so how old a request may be (the `idempotency` section).
    public var idempotency = IdempotencySettings()

    /// Makes a program; `ProgramReader` is the usual way, since it validates.
    public init(
        name: String, currency: Currency, timeZone: TimeZone, enrollment: Enrollment = .open, levels: LevelPolicy? = nil,
        earning: EarningPolicy, pointsAsPayment: PointsAsPayment? = nil, activities: ActivityPolicy = ActivityPolicy(activities: [:]),
        pendingDays: Int = 0, expiry: ExpiryPolicy = .never
    ) {
        self.name = name
        self.currency = currency
        self.timeZone = timeZone
        calendar = ShopCalendar(timeZone: timeZone)
        care = .standard(timeZone: timeZone)
        self.enrollment = enrollment
        self.levels = levels
        self.earning = earning
        self.pointsAsPayment = pointsAsPayment
        self.activities = activities
        referral = nil
        self.pendingDays = pendingDays
        self.expiry = expiry
    }
}

/// Who may join the program.
public enum Enrollment: Sendable, Hashable {
    /// Anyone, free.
    case open
    /// Only members who meet a condition.
    case restricted(EnrollmentCondition)
}

/// The entry condition of a restricted program.
public enum EnrollmentCondition: Sendable, Hashable, CustomStringConvertible {
    /// A first completed order.
    case firstOrder
    /// An order of at least this amount (minor units).
    case minimumSpend(Int64)

    public var description: String {
        switch self {
        case .firstOrder: "a first order"
        case .minimumSpend(let minor): "an order of at least \(minor) minor units"
        }
    }
}

/// How an order's value becomes points: earning rules on a stated base, rounded once per order.
public struct EarningPolicy: Sendable, Hashable {
    /// The rules, in evaluation order (base rules first, then multipliers and bonuses, each group in file order).
    public var rules: [EarningRule]
    /// What counts toward the base.
    public var base: EarningBase
    /// How the order's total is made whole.
    public var rounding: Rounding

    /// Makes a policy from rules.
    public init(rules: [EarningRule], base: EarningBase = EarningBase(), rounding: Rounding = .floor) {
        self.rules = rules
        self.base = base
        self.rounding = rounding
    }

    /// Makes the simplest policy: `points` per `perMinor` minor units of base.
    public init(points: Rate, perMinor: Int64, base: EarningBase = EarningBase(), rounding: Rounding = .floor) {
        self.init(rules: [EarningRule(name: "base", kind: .fixed(points: points, perMinor: perMinor))], base: base, rounding: rounding)
    }
}

/// A partner merchant (会员联盟): it pays the program for the points its customers earn and is paid for the points
/// redeemed with it.
public struct Partner: Sendable, Hashable {
    /// The id orders and redemptions carry.
    public var id: String
    /// The merchant's name.
    public var name: String
    /// What the partner pays per point its customers earn, in major units (an exact decimal such as 0.01).
    public var paysPerPoint: Rate
    /// What the partner receives per point redeemed with it.
    public var receivesPerPoint: Rate

    /// Makes a partner.
    public init(id: String, name: String, paysPerPoint: Rate, receivesPerPoint: Rate) {
        self.id = id
        self.name = name
        self.paysPerPoint = paysPerPoint
        self.receivesPerPoint = receivesPerPoint
    }
}

/// Transfers of points between members: bounds per transfer, how often, and the fee.
public struct TransferPolicy: Sendable, Hashable {
    /// The fewest points one transfer may move.
    public var minimum: Int64
    /// The most points one transfer may move.
    public var maximum: Int64
    /// How often a member may send points.
    public var limit: RuleLimit
    /// The fee in percent of the points moved, paid in points by the sender (rounded up).
    public var feePercent: Int

    /// Makes a policy.
    public init(minimum: Int64, maximum: Int64, limit: RuleLimit = RuleLimit(), feePercent: Int = 0) {
        self.minimum = minimum
        self.maximum = maximum
        self.limit = limit
        self.feePercent = feePercent
    }

    /// Checks a transfer of `points` from one member to another against the bounds; throws `invalidInput` saying why.
    public func check(points: Int64, from: Int64, to: Int64) throws {
        guard from != to else { throw PatronError(.invalidInput, "a member cannot transfer points to themselves") }
        guard (minimum...maximum).contains(points) else {
            throw PatronError(.invalidInput, "a transfer moves \(minimum) to \(maximum) points, not \(points)")
        }
    }

    /// The fee for moving `points`.
    public func fee(for points: Int64) -> Int64 { Rate.divide(points, times: Int64(feePercent), by: 100, rounding: .ceiling) ?? 0 }
}

/// Points a referral gives, once, when the new member's first order is completed.
public struct ReferralReward: Sendable, Hashable {
    /// Points for the member who referred.
    public var referrer: Int64
    /// Points for the new member.
    public var referee: Int64

    /// Makes a reward.
    public init(referrer: Int64, referee: Int64) {
        self.referrer = referrer
        self.referee = referee
    }
}

/// Points as payment at checkout: `points` points pay `perMinor` minor units, up to a share of the order.
public struct PointsAsPayment: Sendable, Hashable {
    /// Points that pay `perMinor`.
    public var points: Int64
    /// The money they pay, minor units.
    public var perMinor: Int64
    /// The largest share of the order's goods value points may pay, in percent.
    public var maxPercent: Int

    /// Makes a setting.
    public init(points: Int64, perMinor: Int64, maxPercent: Int) {
        self.points = points
        self.perMinor = perMinor
        self.maxPercent = maxPercent
    }
}

/// What part of an order earns points. Always after discounts.
public struct EarningBase: Sendable, Hashable {
    /// Whether shipping earns.
    public var includeShipping: Bool
    /// Whether tax earns.
    public var includeTax: Bool
    /// SKUs that never earn (gift cards, say).
    public var excludedSKUs: Set<String>
    /// Categories that never earn.
    public var excludedCategories: Set<String>

    /// Makes a base; by default shipping and tax are excluded and nothing else is.
    public init(includeShipping: Bool = false, includeTax: Bool = false, excludedSKUs: Set<String> = [], excludedCategories: Set<String> = []) {
        self.includeShipping = includeShipping
        self.includeTax = includeTax
        self.excludedSKUs = excludedSKUs
        self.excludedCategories = excludedCategories
    }
}

/// When active points expire. Boundaries fall at local midnight in the program's time zone.
public enum ExpiryPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Points never expire.
    case never
    /// At the end of the Nth day after the day they became active.
    case afterDays(Int)
    /// At the end of the same day N months later.
    case afterMonths(Int)
    /// At the end of the calendar month they became active in, plus N years.
    case endOfMonth(plusYears: Int)
    /// At the end of the calendar year they became active in, plus N years.
    case endOfYear(plusYears: Int)

    /// The instant points that became active at `activatedAt` expire, or `nil` for never.
    public func expiry(of activatedAt: Date, in calendar: ShopCalendar) -> Date? {
        let day = calendar.localDate(of: activatedAt)
        let lastDay: LocalDate
        switch self {
        case .never: return nil
        case .afterDays(let n): lastDay = day.adding(days: n)
        case .afterMonths(let n): lastDay = day.adding(months: n)
        case .endOfMonth(let years):
            lastDay = LocalDate(year: day.year + years, month: day.month, day: LocalDate.daysIn(month: day.month, year: day.year + years))!
        case .endOfYear(let years): lastDay = LocalDate(year: day.year + years, month: 12, day: 31)!
        }
        return calendar.startOfDay(lastDay.adding(days: 1))
    }

    public var description: String {
        switch self {
        case .never: "never"
        case .afterDays(let n): "\(n) days after earning"
        case .afterMonths(let n): "\(n) months after earning"
        case .endOfMonth(let n): n == 0 ? "at the end of the month of earning" : "at the end of the month of earning, \(n) year(s) later"
        case .endOfYear(let n): n == 0 ? "at the end of the year of earning" : "at the end of the year of earning plus \(n) year(s)"
        }
    }
}
