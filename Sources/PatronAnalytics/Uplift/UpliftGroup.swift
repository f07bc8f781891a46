import Foundation

/// What one member of a campaign group did in the measured window: orders and revenue (minor units, after returns).
public struct MemberOutcome: Sendable, Hashable, Codable {
    /// Orders placed in the window (not cancelled).
    public var orders: Int
    /// Revenue kept in the window, in minor units.
    public var revenue: Int64

    /// An outcome.
    public init(orders: Int, revenue: Int64) {
        self.orders = orders
        self.revenue = revenue
    }
}

/// The sums of one group (treated or control) that the uplift statistics need: counts, totals and sums of squares.
public struct UpliftGroup: Sendable, Hashable, Codable {
    /// Members in the group.
    public var members: Int
    /// Members with at least one order in the window.
    public var buyers: Int
    /// Orders in the window.
    public var orders: Int
    /// Revenue in the window, minor units.
    public var revenue: Int64
    /// Σ orders² over members (for the variance of orders per member).
    public var ordersSquared: Double
    /// Σ revenue² over members, in minor units² (for the variance of revenue per member).
    public var revenueSquared: Double

    /// An empty group.
    public init() {
        members = 0
        buyers = 0
        orders = 0
        revenue = 0
        ordersSquared = 0
        revenueSquared = 0
    }

    /// The group of these members' outcomes.
    public init<S: Sequence>(_ outcomes: S) where S.Element == MemberOutcome {
        self.init()
        for outcome in outcomes { add(outcome) }
    }

    /// Counts one more member.
    public mutating func add(_ outcome: MemberOutcome) {
        members += 1
        if outcome.orders > 0 { buyers += 1 }
        orders += outcome.orders
        revenue += outcome.revenue
        ordersSquared += Double(outcome.orders) * Double(outcome.orders)
        revenueSquared += Double(outcome.revenue) * Double(outcome.revenue)
    }

    /// Share of members who bought, 0…1 (0 for an empty group).
    public var buyerRate: Double { members > 0 ? Double(buyers) / Double(members) : 0 }
    /// Orders per member.
    public var ordersPerMember: Double { members > 0 ? Double(orders) / Double(members) : 0 }
    /// Revenue per member, minor units.
    public var revenuePerMember: Double { members > 0 ? Double(revenue) / Double(members) : 0 }
    /// Average order value, minor units (`nil` without orders).
    public var averageOrderValue: Double? { orders > 0 ? Double(revenue) / Double(orders) : nil }

    /// The sample variance (n − 1) of orders per member.
    var ordersVariance: Double { Self.variance(sum: Double(orders), squares: ordersSquared, n: members) }
    /// The sample variance (n − 1) of revenue per member.
    var revenueVariance: Double { Self.variance(sum: Double(revenue), squares: revenueSquared, n: members) }

    static func variance(sum: Double, squares: Double, n: Int) -> Double {
        guard n > 1 else { return 0 }
        let mean = sum / Double(n)
        return max(0, (squares - Double(n) * mean * mean) / Double(n - 1))
    }
}
