/// One order with the facts that show why a customer comes back: the input of ``LoyaltyAnalysis``.
public struct OrderFact: Sendable, Hashable, Codable {
    /// The customer's identifier.
    public var customer: String
    /// The order day, days since 1970-01-01 in the shop's calendar.
    public var day: Int
    /// The amount paid, minor units, never negative.
    public var amount: Int64
    /// The discount granted on the order (coupons, 满减, member price), minor units, never negative; > 0 = discounted.
    public var discount: Int64
    /// Whether the order fell inside a points campaign (double points, bonus points …).
    public var inCampaign: Bool

    /// Creates an order fact.
    public init(customer: String, day: Int, amount: Int64, discount: Int64, inCampaign: Bool) {
        self.customer = customer
        self.day = day
        self.amount = amount
        self.discount = discount
        self.inCampaign = inCampaign
    }
}
