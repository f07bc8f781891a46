/// How customer lifetime value is computed.
public struct CLVOptions: Sendable, Hashable, Codable {
    /// H: the number of months summed.
    public var horizonMonths: Int
    /// d: the discount rate per month (0.01 = 1 % a month).
    public var monthlyDiscountRate: Double
    /// The length of a month in days (365.25 / 12 by default).
    public var daysPerMonth: Double

    /// Creates options.
    public init(horizonMonths: Int = 12, monthlyDiscountRate: Double = 0.01, daysPerMonth: Double = 365.25 / 12) {
        self.horizonMonths = horizonMonths
        self.monthlyDiscountRate = monthlyDiscountRate
        self.daysPerMonth = daysPerMonth
    }

    /// Throws ``AnalyticsError`` `invalid_option` for a negative horizon, d ≤ −1 or a non-positive month.
    public func validate() throws {
        guard horizonMonths >= 0 else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "horizonMonths must be 0 or more, got \(horizonMonths)")
        }
        guard monthlyDiscountRate > -1, monthlyDiscountRate.isFinite else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "monthlyDiscountRate must be greater than -1, got \(monthlyDiscountRate)")
        }
        guard daysPerMonth > 0, daysPerMonth.isFinite else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "daysPerMonth must be positive, got \(daysPerMonth)")
        }
    }
}
