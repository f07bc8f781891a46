/// One customer's purchase history reduced to the statistics the customer-base models need.
///
/// Built by ``CustomerSummary/build(from:options:)``; all durations are in the summary's ``PeriodUnit``.
public struct CustomerSummary: Sendable, Hashable, Codable {
    /// The customer's identifier.
    public var customer: String
    /// The day (days since 1970-01-01) of the first purchase.
    public var firstPurchaseDay: Int
    /// x: the number of purchase days after the first one, up to the calibration end.
    public var frequency: Int
    /// t_x: first to last purchase day of the calibration period, in periods (0 when `frequency` is 0).
    public var recency: Double
    /// T: first purchase day to the calibration end, in periods.
    public var T: Double
    /// The mean of the repeat purchase days' totals, in major units (0 when `frequency` is 0).
    public var monetaryValue: Double
    /// All calibration-period spend, first purchase included, in minor units.
    public var calibrationSpend: Int64
    /// The number of purchase days after the calibration end, up to the observation end.
    public var holdoutFrequency: Int
    /// Spend in the holdout period, in minor units.
    public var holdoutSpend: Int64

    /// Creates a summary row.
    public init(customer: String, firstPurchaseDay: Int, frequency: Int, recency: Double, T: Double,
                monetaryValue: Double, calibrationSpend: Int64 = 0, holdoutFrequency: Int = 0, holdoutSpend: Int64 = 0) {
        self.customer = customer
        self.firstPurchaseDay = firstPurchaseDay
        self.frequency = frequency
        self.recency = recency
        self.T = T
        self.monetaryValue = monetaryValue
        self.calibrationSpend = calibrationSpend
        self.holdoutFrequency = holdoutFrequency
        self.holdoutSpend = holdoutSpend
    }
}

/// How to reduce purchases to customer summaries.
public struct SummaryOptions: Sendable, Hashable {
    /// The period unit of recency and T.
    public var period: PeriodUnit
    /// The last day (inclusive) of the calibration period, as days since 1970-01-01.
    public var calibrationEnd: Int
    /// The last day (inclusive) of the holdout period; nil takes the last purchase day in the data.
    public var observationEnd: Int?
    /// Minor units per major unit of the currency (100 for cents, 1 for yen), used for `monetaryValue`.
    public var minorUnitsPerMajor: Int64

    /// Creates options.
    public init(period: PeriodUnit = .week, calibrationEnd: Int, observationEnd: Int? = nil,
                minorUnitsPerMajor: Int64 = 100) {
        self.period = period
        self.calibrationEnd = calibrationEnd
        self.observationEnd = observationEnd
        self.minorUnitsPerMajor = minorUnitsPerMajor
    }
}
