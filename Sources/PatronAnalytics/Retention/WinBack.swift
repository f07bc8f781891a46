/// A customer worth winning back: high past value, probably no longer active.
public struct WinBackCandidate: Sendable, Hashable, Codable {
    /// The customer.
    public var customer: String
    /// All spend up to the analysis day, minor units.
    public var pastValue: Int64
    /// P(alive) under the given model.
    public var probabilityAlive: Double
    /// Days since the last purchase day.
    public var daysSinceLastPurchase: Int
    /// Purchase days.
    public var purchaseDays: Int
}

/// Finds win-back candidates (客户再生): customers in the top share by past value whose probability of being alive
/// is below a threshold.
public enum WinBack {
    /// - Parameters:
    ///   - model: a transaction model fitted in `period` units (BG/NBD or Pareto/NBD).
    ///   - asOfDay: the analysis day; purchases after it are ignored.
    ///   - valueQuantile: customers whose past value is at least this quantile qualify (0.8 = the top 20 %).
    ///   - maxProbabilityAlive: customers with P(alive) below this qualify.
    /// - Returns: candidates by descending past value.
    /// - Throws: ``AnalyticsError`` from the summary, or `invalid_option` for thresholds outside 0…1.
    public static func candidates(purchases: [Purchase], model: some TransactionModel, period: PeriodUnit,
                                  asOfDay: Int, valueQuantile: Double = 0.8, maxProbabilityAlive: Double = 0.3)
        throws -> [WinBackCandidate] {
        guard (0...1).contains(valueQuantile), (0...1).contains(maxProbabilityAlive) else {
            throw AnalyticsError(code: AnalyticsError.invalidOption,
                                 message: "valueQuantile and maxProbabilityAlive must lie in 0…1")
        }
        let summaries = try CustomerSummary.build(
            from: purchases, options: SummaryOptions(period: period, calibrationEnd: asOfDay, observationEnd: asOfDay))
        let values = summaries.map(\.calibrationSpend).sorted()
        let threshold = values[min(values.count - 1, Int((valueQuantile * Double(values.count)).rounded(.down)))]
        var result: [WinBackCandidate] = []
        for s in summaries where s.calibrationSpend >= threshold && s.calibrationSpend > 0 {
            let p = model.probabilityAlive(frequency: s.frequency, recency: s.recency, T: s.T)
            guard p < maxProbabilityAlive else { continue }
            let lastDay = s.firstPurchaseDay + Int((s.recency * period.days).rounded())
            result.append(WinBackCandidate(customer: s.customer, pastValue: s.calibrationSpend, probabilityAlive: p,
                                           daysSinceLastPurchase: asOfDay - lastDay, purchaseDays: s.frequency + 1))
        }
        return result.sorted { $0.pastValue != $1.pastValue ? $0.pastValue > $1.pastValue : $0.customer < $1.customer }
    }
}
