/// Where a redemption rate came from.
public enum RedemptionRateSource: String, Sendable, Hashable, Codable {
    /// Estimated from the ledger: redeemed ÷ (redeemed + expired) over all periods.
    case history
    /// Given in ``EconomicsOptions/redemptionRate``.
    case given
    /// The default of docs/loyalty.md for a programme in its first year: 30 %.
    case defaultYearOne = "default_year_one"
    /// The default of docs/loyalty.md for a programme in its second year: 50 %.
    case defaultYearTwo = "default_year_two"
    /// The default of docs/loyalty.md for a mature programme: 70 %, the middle of its 60–80 %.
    case defaultMature = "default_mature"
}

/// A cost share of sales against the 1–2 % benchmark.
public enum BenchmarkVerdict: String, Sendable, Hashable, Codable {
    /// Below the benchmark's lower bound.
    case below
    /// Within the benchmark (bounds included).
    case within
    /// Above the benchmark's upper bound.
    case above
}

/// The result of ``ProgramEconomics/compute(_:options:)``. Money is in minor units (`Double`, as point values may
/// be fractional); points are integers.
public struct EconomicsReport: Sendable, Hashable, Codable {
    /// One ledger month with its running balance.
    public struct Period: Sendable, Hashable, Codable {
        /// `yyyy-MM`.
        public var period: String
        /// Sales, minor units.
        public var sales: Int64
        /// Points issued.
        public var issued: Int64
        /// Points redeemed.
        public var redeemed: Int64
        /// Points expired.
        public var expired: Int64
        /// Points outstanding at the start of the month (derived backwards from today's balance).
        public var openingOutstanding: Int64
        /// Points outstanding at the end of the month.
        public var closingOutstanding: Int64
        /// redeemed × point value × (1 + operations), minor units.
        public var cost: Double
        /// cost / sales; nil when sales ≤ 0.
        public var costShareOfSales: Double?
    }

    /// The expected redemption rate and how it was chosen.
    public struct Redemption: Sendable, Hashable, Codable {
        /// The rate used, 0…1.
        public var expectedRate: Double
        /// Where it came from.
        public var source: RedemptionRateSource
        /// redeemed ÷ (redeemed + expired) over the ledger, whether used or not; nil when nothing was resolved.
        public var historicalRate: Double?
        /// Months spanned by the ledger periods.
        public var historyMonths: Int
        /// The programme's age in months used to pick a default.
        public var programAgeMonths: Int
    }

    /// Totals and the benchmark verdicts.
    public struct Cost: Sendable, Hashable, Codable {
        /// Σ sales, minor units.
        public var sales: Int64
        /// Σ redeemed × point value.
        public var rewardCost: Double
        /// rewardCost × operations share.
        public var operationsCost: Double
        /// rewardCost + operationsCost: the programme cost actually incurred.
        public var total: Double
        /// total / sales; nil when sales ≤ 0.
        public var shareOfSales: Double?
        /// shareOfSales against the benchmark; nil when sales ≤ 0.
        public var verdict: BenchmarkVerdict?
        /// Σ issued × point value × expected redemption × (1 + operations): the cost the period's issuance commits.
        public var accruedTotal: Double
        /// accruedTotal / sales; nil when sales ≤ 0.
        public var accruedShareOfSales: Double?
        /// accruedShareOfSales against the benchmark.
        public var accruedVerdict: BenchmarkVerdict?
        /// The benchmark's bounds, e.g. 0.01 and 0.02.
        public var benchmarkLow, benchmarkHigh: Double
    }

    /// Every month, oldest first.
    public var periods: [Period]
    /// Σ issued, redeemed, expired over the months.
    public var issued, redeemed, expired: Int64
    /// Points outstanding now.
    public var outstandingPoints: Int64
    /// Value of a point, minor units.
    public var pointValue: Double
    /// Operations share on top of reward cost.
    public var operationsShare: Double
    /// The expected redemption rate.
    public var redemption: Redemption
    /// 1 − expected redemption rate: the share of outstanding points expected never to be redeemed.
    public var breakage: Double
    /// outstanding × point value × expected redemption, minor units.
    public var liability: Double
    /// Programme cost and its share of sales.
    public var cost: Cost
}
