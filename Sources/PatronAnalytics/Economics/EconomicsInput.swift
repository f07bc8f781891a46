/// Everything ``ProgramEconomics/compute(_:options:)`` needs: the ledger's months and today's balance.
public struct EconomicsInput: Sendable, Hashable, Codable {
    /// Ledger months, oldest first, strictly ascending (months without activity may be left out).
    public var periods: [LedgerPeriod]
    /// Σ positive active balances now (at the end of the last period).
    public var outstandingPoints: Int64
    /// Value of one point in minor units (1 yuan per 100 points → 1.0 fen).
    public var pointValue: Double
    /// Operations cost on top of reward cost as a fraction (docs/loyalty.md's ~20 % → 0.2).
    public var operationsShare: Double

    /// Creates the input.
    public init(periods: [LedgerPeriod], outstandingPoints: Int64, pointValue: Double, operationsShare: Double) {
        self.periods = periods
        self.outstandingPoints = outstandingPoints
        self.pointValue = pointValue
        self.operationsShare = operationsShare
    }
}
