/// Choices of ``ProgramEconomics/compute(_:options:)``; the defaults follow docs/loyalty.md.
public struct EconomicsOptions: Sendable, Hashable, Codable {
    /// Months of ledger history needed before the redemption rate is estimated from it (default 12).
    public var minimumHistoryMonths: Int
    /// The programme's age in months at the end of the last period, when the ledger starts later than the
    /// programme; nil = the months the periods span.
    public var programAgeMonths: Int?
    /// A redemption rate to use instead of estimating one (0…1); nil = estimate.
    public var redemptionRate: Double?
    /// Cost share of sales below which the verdict is `below` (docs/loyalty.md: programmes budget 1–2 % of sales).
    public var benchmarkLow: Double
    /// Cost share of sales above which the verdict is `above`.
    public var benchmarkHigh: Double

    /// Creates options.
    public init(minimumHistoryMonths: Int = 12, programAgeMonths: Int? = nil, redemptionRate: Double? = nil,
                benchmarkLow: Double = 0.01, benchmarkHigh: Double = 0.02) {
        self.minimumHistoryMonths = minimumHistoryMonths
        self.programAgeMonths = programAgeMonths
        self.redemptionRate = redemptionRate
        self.benchmarkLow = benchmarkLow
        self.benchmarkHigh = benchmarkHigh
    }
}
