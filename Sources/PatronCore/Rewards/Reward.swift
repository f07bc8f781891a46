import Foundation

/// Something points buy, from the program's catalogue.
public struct Reward: Sendable, Hashable {
    /// What kind of reward.
    public enum Kind: Sendable, Hashable {
        /// A coupon: a fixed value or a percent off, above a minimum spend, valid for some days.
        case coupon(CouponTerms)
        /// A physical gift, fulfilled pending → shipped → delivered (or cancelled).
        case gift
        /// Points plus a cash payment (minor units).
        case pointsAndCash(cash: Int64)
        /// A ticket to an event.
        case event
        /// A draw from a prize table; what the probabilities leave is the no-prize share.
        case lottery([Prize])
    }

    /// The stable id orders and redemptions refer to.
    public var id: String
    /// The name shown to members.
    public var name: String
    /// The kind.
    public var kind: Kind
    /// Points it costs.
    public var cost: Int64
    /// How many can be redeemed in all; `nil` is unlimited. What is left is `remainingStock(taken:)`.
    public var stock: Int?
    /// How often one member may redeem it.
    public var limit: RuleLimit
    /// Levels that may redeem it (empty: every level).
    public var levels: Set<String>
    /// Member tags that may redeem it (empty: every member).
    public var tags: Set<String>
    /// First and last local day it is visible.
    public var visibleFrom: LocalDate?
    /// The last local day it is visible.
    public var visibleTo: LocalDate?

    /// Makes a reward.
    public init(
        id: String, name: String, kind: Kind, cost: Int64, stock: Int? = nil, limit: RuleLimit = RuleLimit(), levels: Set<String> = [],
        tags: Set<String> = [], visibleFrom: LocalDate? = nil, visibleTo: LocalDate? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.cost = cost
        self.stock = stock
        self.limit = limit
        self.levels = levels
        self.tags = tags
        self.visibleFrom = visibleFrom
        self.visibleTo = visibleTo
    }

    /// What is left of the stock when `taken` redemptions hold a unit (every one not reversed): `nil` when unlimited,
    /// never below zero.
    public func remainingStock(taken: Int) -> Int? {
        stock.map { max(0, $0 - taken) }
    }

    /// Checks that a member at `level` with `tags` may redeem it on `day`; throws `notEligible` naming the reason.
    public func checkEligibility(level: String?, tags memberTags: Set<String>, on day: LocalDate) throws {
        if let from = visibleFrom, day < from { throw PatronError(.notEligible, "reward \(id) is offered from \(from)") }
        if let to = visibleTo, day > to { throw PatronError(.notEligible, "reward \(id) was offered until \(to)") }
        if !levels.isEmpty, !(level.map(levels.contains) ?? false) {
            throw PatronError(.notEligible, "reward \(id) is for levels \(levels.sorted().joined(separator: ", ")), not \(level ?? "members without a level")")
        }
        if !tags.isEmpty, tags.isDisjoint(with: memberTags) {
            throw PatronError(.notEligible, "reward \(id) is for members tagged \(tags.sorted().joined(separator: " or "))")
        }
    }
}

/// One prize of a lottery: points, or another reward (a coupon, say), with its probability.
public struct Prize: Sendable, Hashable {
    /// Points won.
    public var points: Int64?
    /// A reward won, by id.
    public var reward: String?
    /// The chance of this prize, exact (0.01 is one in a hundred).
    public var probability: Rate

    /// Makes a prize.
    public init(points: Int64? = nil, reward: String? = nil, probability: Rate) {
        self.points = points
        self.reward = reward
        self.probability = probability
    }
}

/// Draws from a prize table with a recorded random value, so any draw can be replayed from its value.
public enum LotteryDraw {
    /// Draw values are uniform in 0..<2^53.
    public static let range: UInt64 = 1 << 53

    /// What a draw gives the member.
    public enum Outcome: Sendable, Hashable {
        /// Points, credited as active.
        case points(Int64)
        /// A coupon reward, granted without taking points.
        case coupon(rewardId: String, terms: CouponTerms)
        /// Nothing: the value fell in the no-prize share.
        case nothing

        /// How the draw's record names it: `500 points`, the coupon reward's id, or `no prize`.
        public var label: String {
            switch self {
            case .points(let points): "\(points) points"
            case .coupon(let rewardId, _): rewardId
            case .nothing: "no prize"
            }
        }
    }

    /// A fresh draw value, uniform in 0..<2^53, from `generator` (the system's random generator in production).
    public static func value(using generator: inout some RandomNumberGenerator) -> UInt64 {
        UInt64.random(in: 0..<range, using: &generator)
    }

    /// What draw `value` gives under `prizes`, a prize reward looked up in `catalogue` (a prize naming a reward that
    /// is not a coupon gives nothing; the program reader refuses such a table).
    public static func outcome(for value: UInt64, in prizes: [Prize], catalogue: [Reward]) -> Outcome {
        guard let prize = prize(for: value, in: prizes) else { return .nothing }
        if let points = prize.points { return .points(points) }
        if let id = prize.reward, let reward = catalogue.first(where: { $0.id == id }), case .coupon(let terms) = reward.kind {
            return .coupon(rewardId: id, terms: terms)
        }
        return .nothing
    }

    /// The prize a draw value wins, or `nil` for no prize: prizes take consecutive slices of 0..<2^53 in table order.
    public static func prize(for value: UInt64, in prizes: [Prize]) -> Prize? {
        precondition(value < range)
        var upper: Int64 = 0
        var cumulative = Rate(0, per: 1)
        for prize in prizes {
            let numerator = cumulative.numerator * prize.probability.denominator + prize.probability.numerator * cumulative.denominator
            cumulative = Rate(numerator, per: cumulative.denominator * prize.probability.denominator)
            upper = Rate.divide(Int64(range), times: cumulative.numerator, by: cumulative.denominator, rounding: .floor) ?? Int64(range)
            if Int64(value) < upper { return prize }
        }
        return nil
    }
}

/// A coupon's terms.
public struct CouponTerms: Sendable, Hashable {
    /// A fixed value off, minor units.
    public var value: Int64?
    /// Or a percentage off.
    public var percent: Rate?
    /// The goods' value the order must reach.
    public var minimumSpend: Int64
    /// Days the coupon stays valid after it is issued.
    public var validDays: Int
    /// Whether codes come from a pool uploaded with `patron coupons import` (a partner's codes) instead of being generated.
    public var pooled: Bool = false

    /// When a coupon issued at `instant` stops being valid: the end of its last valid day in the program's calendar.
    public func validUntil(issuedAt instant: Date, in calendar: ShopCalendar) -> Date {
        calendar.startOfDay(calendar.localDate(of: instant).adding(days: validDays + 1))
    }

    /// What the coupon takes off goods worth `goods` (minor units), or `nil` below its minimum spend.
    public func discount(on goods: Int64) -> Int64? {
        guard goods >= minimumSpend, goods > 0 else { return nil }
        if let value { return min(value, goods) }
        guard let percent else { return 0 }
        return min(goods, Rate.divide(goods, times: percent.numerator, by: percent.denominator * 100, rounding: .nearest) ?? 0)
    }

    /// Makes terms.
    public init(value: Int64? = nil, percent: Rate? = nil, minimumSpend: Int64 = 0, validDays: Int) {
        self.value = value
        self.percent = percent
        self.minimumSpend = minimumSpend
        self.validDays = validDays
    }
}
