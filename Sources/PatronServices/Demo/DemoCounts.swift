/// What the demo shop did, for its summary and its progress line.
public struct DemoCounts: Sendable, Hashable {
    /// Members enrolled.
    public var enrolled = 0
    /// Of them, enrolled naming a referrer.
    public var referred = 0
    /// Orders placed, including those cancelled.
    public var placed = 0
    /// Orders cancelled.
    public var cancelled = 0
    /// Returns.
    public var returned = 0
    /// Orders with the promotion discount.
    public var promotionOrders = 0
    /// Orders placed in the app (where double points run).
    public var appOrders = 0
    /// Rewards redeemed.
    public var redemptions = 0
    /// Points spent on them.
    public var pointsRedeemed: Int64 = 0
    /// Coupons used on orders.
    public var couponsUsed = 0
    /// Points given for check-ins and reviews.
    public var activityPoints: Int64 = 0

    /// Nothing yet.
    public init() {}
}
