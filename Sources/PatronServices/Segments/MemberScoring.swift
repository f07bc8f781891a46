import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// Computes every member's analytics scores from the store's orders with PatronAnalytics' models and keeps them with
/// the time of the fit (`member_scores`), for segment conditions on RFM, loyalty stage, P(alive), expected purchases and
/// CLV. Run by the server's job scheduler and by `patron segments score`.
///
/// - RFM: `RFMAnalysis` as of today (the shop's day), cell = R, F and M scores; the named segment.
/// - Loyalty stage: `LoyaltyAnalysis` with referrals, as `patron analyze loyalty` runs it. The attitude × behaviour type
///   needs survey answers (NPS) that the store does not hold, so it stays empty until a survey source exists.
/// - BG/NBD P(alive) and expected purchases in the next 90 days, 12-month CLV (BG/NBD × Gamma-Gamma) and its percentile:
///   `CLVAnalysis` over weeks, calibrated up to today. When the models cannot be fitted (no repeat buyer yet), these
///   stay empty and the report says why.
public struct MemberScoring: Sendable {
    let context: ServiceContext

    /// Scoring over `context`'s store and clock.
    public init(context: ServiceContext) {
        self.context = context
    }

    /// What a scoring run did.
    public struct Report: Sendable, Hashable, Codable {
        /// When the scores were fitted.
        public var fittedAt: Date
        /// Members scored (every member; those without orders get a loyalty stage only).
        public var members: Int
        /// Members with RFM scores (buyers).
        public var rfm: Int
        /// Members with BG/NBD and CLV scores.
        public var clv: Int
        /// Why the BG/NBD and CLV scores are missing, if they are.
        public var clvProblem: String?
    }

    /// Computes and stores every member's scores now.
    public func run() async throws -> Report {
        let program = try await context.currentProgram().program
        let now = context.clock.now()
        let calendar = program.calendar
        let today = calendar.localDate(of: now).dayNumber
        let records = try await context.store.purchases().filter { $0.placedAt <= now }
        let facts = try await context.store.memberFacts()
        let purchases = records.map { Purchase(customer: String($0.memberId), day: calendar.localDate(of: $0.placedAt).dayNumber, amount: $0.amount) }
        var scores: [Int64: MemberScores] = [:]
        for fact in facts { scores[fact.memberId] = MemberScores(memberId: fact.memberId) }

        var rfmCount = 0
        if !purchases.isEmpty {
            let rfm = try RFMAnalysis.run(purchases: purchases, asOfDay: today)
            for score in rfm.customers {
                guard let id = Int64(score.customer), scores[id] != nil else { continue }
                scores[id]!.rfmCell = "\(score.r)\(score.f)\(score.m)"
                scores[id]!.rfmSegment = score.segment.rawValue
                rfmCount += 1
            }
        }

        let campaigns = Set(program.earning.rules.filter { $0.conditions.from != nil || $0.conditions.to != nil }.map(\.name))
        let orderFacts = records.map {
            OrderFact(
                customer: String($0.memberId), day: calendar.localDate(of: $0.placedAt).dayNumber, amount: $0.amount, discount: $0.discount,
                inCampaign: !campaigns.isDisjoint(with: $0.rules))
        }
        if !facts.isEmpty || !orderFacts.isEmpty {
            let loyalty = try LoyaltyAnalysis.run(
                orders: orderFacts, members: facts.map { String($0.memberId) },
                referrals: Dictionary(uniqueKeysWithValues: facts.map { (String($0.memberId), $0.referrals) }),
                options: LoyaltyOptions(asOfDay: today))
            for customer in loyalty.customers {
                guard let id = Int64(customer.customer), scores[id] != nil else { continue }
                scores[id]!.loyaltyStage = customer.stage.rawValue
                scores[id]!.loyaltyType = customer.quadrant?.rawValue
            }
        }

        var clvCount = 0
        var problem: String?
        do {
            guard !purchases.isEmpty else { throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no orders yet") }
            let report = try CLVAnalysis.run(
                purchases: purchases,
                options: CLVAnalysisOptions(
                    period: .week, calibrationEnd: today, observationEnd: today, minorUnitsPerMajor: program.currency.minorPerMajor,
                    includeCustomers: true))
            let fit = report.models.bgnbd
            let model = BGNBD(r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b)
            let minor = Double(program.currency.minorPerMajor)
            var values: [(Int64, Double)] = []
            for prediction in report.customerPredictions ?? [] {
                guard let id = Int64(prediction.customer), scores[id] != nil else { continue }
                let alive = prediction.probabilityAlive.bgnbd
                let expected = model.expectedPurchases(in: 90.0 / 7.0, frequency: prediction.frequency, recency: prediction.recency, T: prediction.T)
                scores[id]!.pAlive = alive.isFinite ? alive : nil
                scores[id]!.expectedPurchases90 = expected.isFinite ? expected : nil
                if let clv = prediction.clv, clv.isFinite {
                    scores[id]!.clv12 = (clv * minor).rounded()
                    values.append((id, clv))
                }
                clvCount += 1
            }
            // Percentile: the share of scored members whose CLV is at most this member's, 0–100.
            let sorted = values.map(\.1).sorted()
            for (id, value) in values {
                var low = 0
                var high = sorted.count
                while low < high {
                    let mid = (low + high) / 2
                    if sorted[mid] <= value { low = mid + 1 } else { high = mid }
                }
                scores[id]!.clvPercentile = (Double(low) / Double(sorted.count) * 1000).rounded() / 10
            }
            if !report.converged { problem = report.problems.joined(separator: " ") }
        } catch let error as AnalyticsError {
            problem = error.message
        }
        try await context.store.saveMemberScores(scores.values.sorted { $0.memberId < $1.memberId }, fittedAt: now)
        return Report(fittedAt: now, members: scores.count, rfm: rfmCount, clv: clvCount, clvProblem: problem)
    }
}
