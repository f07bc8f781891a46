/// One purchase by one customer: the input of every analysis in `PatronAnalytics`.
///
/// Money stays an integer count of minor units; statistics derived from it may use `Double`.
public struct Purchase: Sendable, Hashable {
    /// The customer's identifier (a member id or a shop's customer id).
    public var customer: String
    /// The purchase day, counted in days since 1970-01-01 in the shop's calendar (its time zone).
    public var day: Int
    /// The amount paid, in minor units of the shop's currency (cents, fen).
    public var amount: Int64

    /// Creates a purchase.
    /// - Parameters:
    ///   - customer: the customer's identifier.
    ///   - day: days since 1970-01-01 in the shop's calendar.
    ///   - amount: minor units of currency, never negative.
    public init(customer: String, day: Int, amount: Int64) {
        self.customer = customer
        self.day = day
        self.amount = amount
    }
}
