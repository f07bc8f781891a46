import Foundation

/// Customer lifetime value: CLV = Σ_{m=1…H} E[spend] · (E[purchases by the end of month m] − E[purchases by the end
/// of month m−1]) / (1 + d)^m, with months of `daysPerMonth` days converted into the model's period unit.
public enum CustomerLifetimeValue {
    /// The CLV of one customer under any transaction model.
    /// - Parameters:
    ///   - expectedSpend: expected spend per future purchase (e.g. ``GammaGamma/expectedAverageSpend(frequency:monetaryValue:)``).
    ///   - period: the unit in which the model was fitted.
    public static func value(model: some TransactionModel, expectedSpend: Double, frequency: Int, recency: Double,
                             T: Double, period: PeriodUnit, options: CLVOptions) throws -> Double {
        try options.validate()
        let month = options.daysPerMonth / period.days
        var total = 0.0
        var previous = 0.0
        for m in stride(from: 1, through: options.horizonMonths, by: 1) {
            let cumulative = model.expectedPurchases(in: Double(m) * month, frequency: frequency, recency: recency, T: T)
            total += expectedSpend * (cumulative - previous) / pow(1 + options.monthlyDiscountRate, Double(m))
            previous = cumulative
        }
        return total
    }

    /// The CLV of every row under BG/NBD, fast: E[Y(t)] = N(x, T, t) / D(x, t_x, T), so the discounted sum of
    /// monthly increments of N is computed once per distinct (x, T) and each row costs one division.
    public static func values(model: BGNBD, data: FrequencyRecencyData, expectedSpend: [Double], period: PeriodUnit,
                              options: CLVOptions) throws -> [Double] {
        try options.validate()
        guard expectedSpend.count == data.count else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "expectedSpend has \(expectedSpend.count) values for \(data.count) rows")
        }
        let month = options.daysPerMonth / period.days
        let discounts = (0...max(0, options.horizonMonths)).map { 1 / pow(1 + options.monthlyDiscountRate, Double($0)) }
        struct Key: Hashable {
            var x: Int
            var t: UInt64
        }
        var factorOf: [Key: Double] = [:]
        var result = [Double](repeating: 0, count: data.count)
        for i in 0..<data.count {
            let x = data.frequency[i], t = data.T[i]
            let key = Key(x: x, t: t.bitPattern)
            let factor: Double
            if let cached = factorOf[key] {
                factor = cached
            } else {
                var sum = 0.0, previous = 0.0
                for m in stride(from: 1, through: options.horizonMonths, by: 1) {
                    let n = model.expectedPurchasesNumerator(in: Double(m) * month, frequency: x, T: t)
                    sum += (n - previous) * discounts[m]
                    previous = n
                }
                factorOf[key] = sum
                factor = sum
            }
            result[i] = expectedSpend[i] * factor
                / model.expectedPurchasesDenominator(frequency: x, recency: data.recency[i], T: t)
        }
        return result
    }
}
