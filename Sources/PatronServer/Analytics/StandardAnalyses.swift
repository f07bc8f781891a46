import PatronAnalytics
import PatronCore

/// The analyses that `patron analyze` and the API both run, with the same inputs and defaults.
public enum StandardAnalyses {
    /// Every retention figure, with win-back candidates from a BG/NBD fit as of the last purchase day.
    public struct Retention: Encodable, Sendable {
        public let repeatPurchases: RepeatPurchaseStats
        public let monthly: [MonthlyRetention]
        public let cohorts: CohortMatrix
        public let concentration: RevenueConcentration
        public let winBack: [WinBackCandidate]

        /// The same figures as a report section.
        public func analytics(title: String, currency: Currency) -> AnalyticsReport {
            AnalyticsReport(
                title: title, repeatPurchases: repeatPurchases, monthlyRetention: monthly, cohorts: cohorts, concentration: concentration,
                winBack: winBack, minorUnitsPerMajor: Double(currency.minorPerMajor))
        }
    }

    /// Repurchase, retention, cohorts, 80/20 and the `winBack` likeliest-to-return lapsed customers.
    public static func retention(_ purchases: [Purchase], winBack: Int) throws -> Retention {
        let lastDay = purchases.map(\.day).max() ?? 0
        let summaries = try CustomerSummary.build(from: purchases, options: SummaryOptions(period: .week, calibrationEnd: lastDay))
        let model = try BGNBD.fit(try FrequencyRecencyData(summaries)).model
        return Retention(
            repeatPurchases: try RepeatPurchaseStats.compute(purchases: purchases),
            monthly: try MonthlyRetention.compute(purchases: purchases), cohorts: try CohortMatrix.compute(purchases: purchases),
            concentration: try RevenueConcentration.compute(purchases: purchases),
            winBack: Array(try WinBack.candidates(purchases: purchases, model: model, period: .week, asOfDay: lastDay).prefix(winBack)))
    }

    /// The economics of the ledger. Until any member has redeemed, history says nothing about redemption, so the
    /// expected rate is the default of docs/loyalty.md for the programme's age.
    public static func economics(
        _ data: AnalyticsDataset, pointValue: String, operations: Double, redemptionRate: Double?
    ) throws -> EconomicsReport {
        guard let value = DecimalText.scaled(pointValue, digits: 6), value > 0 else {
            throw PatronError(.invalidInput, "the point value must be a positive amount, not '\(pointValue)'")
        }
        let months = data.ledgerMonths ?? []
        let input = EconomicsInput(
            periods: months, outstandingPoints: (data.members ?? []).reduce(0) { $0 + $1.activePoints },
            pointValue: Double(value) / 1_000_000 * Double(data.currency.minorPerMajor), operationsShare: operations)
        let noRedemptions = months.allSatisfy { $0.redeemed == 0 }
        return try ProgramEconomics.compute(
            input, options: EconomicsOptions(minimumHistoryMonths: noRedemptions ? Int.max : 12, redemptionRate: redemptionRate))
    }

    /// Loyalty stages and their causes, with referrals counted from the members.
    public static func loyalty(_ data: AnalyticsDataset) throws -> LoyaltyReport {
        let members = data.members?.map { String($0.memberId) } ?? []
        let referrals = data.members.map { Dictionary(uniqueKeysWithValues: $0.map { (String($0.memberId), $0.referrals) }) }
        return try LoyaltyAnalysis.run(orders: data.facts, members: members, referrals: referrals)
    }
}
