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

        /// The same figures as a report's sections.
        public func analytics() -> AnalyticsReport {
            AnalyticsReport(
                title: .retention, repeatPurchases: repeatPurchases, monthlyRetention: monthly, cohorts: cohorts,
                concentration: concentration, winBack: winBack)
        }
    }

    /// Repurchase, retention, cohorts, 80/20 and the `winBack` likeliest-to-return lapsed customers.
    public static func retention(_ purchases: [Purchase], winBack: Int) throws -> Retention {
        let lastDay = purchases.map(\.day).max() ?? 0
        let summaries = try CustomerSummary.build(from: purchases, options: SummaryOptions(period: .week, calibrationEnd: lastDay))
        // Win-back needs a BG/NBD fit; data it cannot fit (no repeat buyer) has no candidates, not no retention.
        let candidates: [WinBackCandidate]
        do {
            let model = try BGNBD.fit(try FrequencyRecencyData(summaries)).model
            candidates = Array(try WinBack.candidates(purchases: purchases, model: model, period: .week, asOfDay: lastDay).prefix(winBack))
        } catch let error as AnalyticsError where error.code == AnalyticsError.insufficientData || error.code == AnalyticsError.fitFailed
            || error.code == AnalyticsError.emptyInput {
            candidates = []
        }
        return Retention(
            repeatPurchases: try RepeatPurchaseStats.compute(purchases: purchases),
            monthly: try MonthlyRetention.compute(purchases: purchases), cohorts: try CohortMatrix.compute(purchases: purchases),
            concentration: try RevenueConcentration.compute(purchases: purchases), winBack: candidates)
    }

    /// The economics of the ledger. The value of a point is `pointValue` (major units per point) when given, else
    /// the program's points-as-payment rate, else 100 points = 1 major unit. The expected redemption rate is the
    /// observed one once the ledger has a year of history with redemptions and expiries, else the typical rate for
    /// the programme's age (the report says which and why).
    public static func economics(
        _ data: AnalyticsDataset, pointValue: String?, operations: Double, redemptionRate: Double?
    ) throws -> EconomicsReport {
        let minorPerPoint: Double
        if let pointValue {
            guard let value = DecimalText.scaled(pointValue, digits: 6), value > 0 else {
                throw PatronError(.invalidInput, "--point-value must be a positive amount, not '\(pointValue)'")
            }
            minorPerPoint = Double(value) / 1_000_000 * Double(data.currency.minorPerMajor)
        } else {
            minorPerPoint = data.pointValueMinor ?? Double(data.currency.minorPerMajor) / 100
        }
        let months = data.ledgerMonths ?? []
        let input = EconomicsInput(
            periods: months, outstandingPoints: (data.members ?? []).reduce(0) { $0 + $1.activePoints },
            pointValue: minorPerPoint, operationsShare: operations)
        return try ProgramEconomics.compute(input, options: EconomicsOptions(redemptionRate: redemptionRate))
    }

    /// Loyalty stages and their causes, with referrals counted from the members.
    public static func loyalty(_ data: AnalyticsDataset) throws -> LoyaltyReport {
        let members = data.members?.map { String($0.memberId) } ?? []
        let referrals = data.members.map { Dictionary(uniqueKeysWithValues: $0.map { (String($0.memberId), $0.referrals) }) }
        return try LoyaltyAnalysis.run(orders: data.facts, members: members, referrals: referrals, nps: data.nps)
    }
}
