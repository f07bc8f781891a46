import Foundation

/// What a member must satisfy to belong to a segment: conditions on the member's profile, points, behaviour and
/// analytics scores, combined with all / any / not. The spelling in YAML is documented in docs/marketing.md; each case
/// names its key there.
public indirect enum SegmentCondition: Sendable, Hashable, Codable {
    /// Every condition holds (`all:`); an empty list holds for everyone.
    case all([SegmentCondition])
    /// At least one holds (`any:`).
    case any([SegmentCondition])
    /// The condition does not hold (`not:`).
    case not(SegmentCondition)
    /// The member belongs to another segment (`segment: NAME`).
    case segment(String)

    /// The member's level (an override in force counts) is one of these (`level:`).
    case level([String])
    /// Whole days since the member reached their level (`daysAtLevel:`).
    case daysAtLevel(SegmentRange)
    /// Enrolled on these local days, inclusive (`enrolled: {from, to}`).
    case enrolled(from: LocalDate?, to: LocalDate?)
    /// Whole days since enrolment (`daysSinceEnrolment:`).
    case daysSinceEnrolment(SegmentRange)
    /// The birthday falls in one of these months, 1–12 (`birthdayMonth:`); `current` is resolved when evaluated.
    case birthdayMonth([Int], current: Bool)
    /// The member has at least one of these tags (`tag:`).
    case tag([String])
    /// A profile field has one of these values (`region:`, `city:`, `channel:`, `gender:`).
    case profile(ProfileField, [String])
    /// The member has an identity of this kind (`identity: email`, `identity: social:wechat`, `identity: social`).
    case identity(String)
    /// The member consented to this channel (`consent: email`).
    case consent(String)

    /// A balance of points (`activePoints:`, `pendingPoints:`, `lifetimeEarned:`, `lifetimeSpent:`).
    case points(PointsBalance, SegmentRange)
    /// Active points expiring within `days` days (`expiringPoints: {days, min, max}`).
    case expiringPoints(days: Int, SegmentRange)

    /// Orders placed (not cancelled) in the last `days` days, or ever (`orders: {days, min, max}`).
    case orders(days: Int?, SegmentRange)
    /// Money kept (after returns) on orders placed in the last `days` days, or ever, in minor units (`spend:`).
    case spend(days: Int?, SegmentRange)
    /// Whole days since the last order; members who never ordered do not match (`daysSinceLastOrder:`).
    case daysSinceLastOrder(SegmentRange)
    /// Overdue by the member's own rhythm: the time since the last order is more than `factor` × the member's mean time
    /// between orders ((last − first) ÷ (orders − 1)); members with fewer than 2 orders do not match
    /// (`overdue: { factor: 1.5 }`, the win-back test).
    case overdue(factor: Double)
    /// The first order was placed on these local days (`firstOrder: {from, to}`).
    case firstOrder(from: LocalDate?, to: LocalDate?)
    /// Money kept per order, over all orders, in minor units (`averageOrderValue:`).
    case averageOrderValue(SegmentRange)
    /// The share of ordered money that was returned, 0–1, over all orders (`returnRate:`).
    case returnRate(SegmentRange)
    /// Rewards redeemed (not reversed) in the last `days` days, or ever (`redemptions: {days, min, max}`).
    case redemptions(days: Int?, SegmentRange)
    /// Whole days since the member last did an activity of this kind; never having done it does not match
    /// (`lastActivity: {kind, min, max}`).
    case lastActivity(kind: String, SegmentRange)

    /// A label from the last scoring is one of these, scored at most `maxAgeHours` ago (`rfmCell:`, `rfmSegment:`,
    /// `loyaltyStage:`, `loyaltyType:`).
    case label(SegmentLabel, [String], maxAgeHours: Int)
    /// A score from the last scoring lies in the range, scored at most `maxAgeHours` ago (`pAlive:`,
    /// `expectedPurchases90:`, `clv12:`, `clvPercentile:`).
    case score(SegmentScore, SegmentRange, maxAgeHours: Int)

    /// The segments this condition refers to, directly.
    public var referencedSegments: [String] {
        switch self {
        case .all(let items), .any(let items): items.flatMap(\.referencedSegments)
        case .not(let inner): inner.referencedSegments
        case .segment(let name): [name]
        default: []
        }
    }

    /// How many leaf conditions it has.
    public var leafCount: Int {
        switch self {
        case .all(let items), .any(let items): items.reduce(0) { $0 + $1.leafCount }
        case .not(let inner): inner.leafCount
        default: 1
        }
    }
}

/// A profile field a segment can test.
public enum ProfileField: String, Sendable, Hashable, Codable, CaseIterable {
    /// The member's region (province, state).
    case region
    /// The member's city.
    case city
    /// The channel the member joined through (`app`, `web`, `wechat`, `store` …).
    case channel
    /// The member's gender as the shop records it.
    case gender
}

/// A cached balance of points.
public enum PointsBalance: String, Sendable, Hashable, Codable, CaseIterable {
    /// Spendable points (`activePoints`).
    case active = "activePoints"
    /// Points waiting for their orders' return windows (`pendingPoints`).
    case pending = "pendingPoints"
    /// Every point ever credited (`lifetimeEarned`).
    case lifetimeEarned
    /// Every point ever redeemed (`lifetimeSpent`).
    case lifetimeSpent

    /// The members column.
    public var column: String {
        switch self {
        case .active: "active"
        case .pending: "pending"
        case .lifetimeEarned: "lifetime_earned"
        case .lifetimeSpent: "lifetime_spent"
        }
    }
}
