/// One calendar month of a points ledger: the input rows of ``ProgramEconomics``.
public struct LedgerPeriod: Sendable, Hashable, Codable {
    /// The month, `yyyy-MM` (e.g. `"2026-03"`).
    public var period: String
    /// Goods sold in the month, minor units, net of returns.
    public var sales: Int64
    /// Points that became spendable (activations + credits − reversals).
    public var issued: Int64
    /// Points spent on rewards.
    public var redeemed: Int64
    /// Points expired.
    public var expired: Int64

    /// Creates a ledger month.
    public init(period: String, sales: Int64, issued: Int64, redeemed: Int64, expired: Int64) {
        self.period = period
        self.sales = sales
        self.issued = issued
        self.redeemed = redeemed
        self.expired = expired
    }
}
