import Foundation
import Testing
@testable import PatronAnalytics

/// Data no model can fit well — nobody ever lapses, one customer, only one-time buyers — through every analysis and
/// every output (JSON, HTML): an analysis either answers with finite numbers (a fit that did not converge says so)
/// or refuses with a specific error; it never prints NaN or infinity.
@Suite struct DegenerateDataTests {
    static let start = 20_089  // 2025-01-01

    /// Every customer buys every week until the end: nobody lapses (the old demo).
    static func nobodyLapses() -> [Purchase] {
        (0..<60).flatMap { c in
            stride(from: start + c % 7, through: start + 364, by: 7).map {
                Purchase(customer: "C\(c)", day: $0, amount: Int64(1_000 + 10 * c))
            }
        }
    }

    static func oneCustomer() -> [Purchase] {
        [0, 10, 25, 60].map { Purchase(customer: "only", day: start + $0, amount: 2_500) }
    }

    static func oneTimeBuyers() -> [Purchase] {
        (0..<40).map { Purchase(customer: "O\($0)", day: start + 5 * $0, amount: 1_999) }
    }

    static let cases: [(String, [Purchase])] = [
        ("nobody lapses", nobodyLapses()), ("one customer", oneCustomer()), ("one-time buyers", oneTimeBuyers()),
    ]

    /// Runs `body`; a refusal must be an ``AnalyticsError`` with one of the codes that say the data is too thin.
    func attempt<T>(_ what: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as AnalyticsError {
            #expect([AnalyticsError.insufficientData, AnalyticsError.fitFailed, AnalyticsError.noCalibrationData].contains(error.code),
                    "\(what): \(error)")
            return nil
        } catch {
            Issue.record("\(what): \(error)")
            return nil
        }
    }

    static let nonFinite = #"(?i)\b(nan|[+-]?inf(inity)?)\b"#

    func expectFinite(_ text: String, _ what: String) {
        #expect(text.range(of: Self.nonFinite, options: .regularExpression) == nil, "\(what) prints a non-finite number")
    }

    func expectFiniteJSON<T: Encodable>(_ value: T?, _ what: String) throws {
        guard let value else { return }
        let data = try AnalyticsJSON.encode(value)
        #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(what): not JSON")
        expectFinite(String(decoding: data, as: UTF8.self), what)
    }

    @Test(arguments: [0, 1, 2])
    func everyAnalysisAndOutputStaysFinite(_ index: Int) throws {
        let (name, purchases) = Self.cases[index]
        let clv = attempt("\(name) CLV") {
            try CLVAnalysis.run(purchases: purchases, options: CLVAnalysisOptions(includeCustomers: true))
        }
        if let clv {
            // A report the plain encoder refuses (NaN inside) must say it did not converge.
            if (try? JSONEncoder().encode(clv)) == nil {
                #expect(!clv.converged && !clv.problems.isEmpty, "\(name): non-finite figures without a word")
            }
            if clv.clv.withheld != nil {
                #expect(clv.clv.mean == nil && clv.clv.total == nil)
                #expect(clv.customerPredictions?.allSatisfy { $0.clv == nil } ?? true)
            }
            expectFinite(clv.text, "\(name) CLV text")
        }
        let rfm = attempt("\(name) RFM") { try RFMAnalysis.run(purchases: purchases) }
        let repeats = attempt("\(name) repeat purchases") { try RepeatPurchaseStats.compute(purchases: purchases) }
        let monthly = attempt("\(name) monthly retention") { try MonthlyRetention.compute(purchases: purchases) }
        let cohorts = attempt("\(name) cohorts") { try CohortMatrix.compute(purchases: purchases) }
        let concentration = attempt("\(name) concentration") { try RevenueConcentration.compute(purchases: purchases) }
        let lastDay = purchases.map(\.day).max()!
        let winBack = attempt("\(name) win-back") { () throws -> [WinBackCandidate] in
            let summaries = try CustomerSummary.build(from: purchases, options: SummaryOptions(period: .week, calibrationEnd: lastDay))
            let model = try BGNBD.fit(try FrequencyRecencyData(summaries)).model
            return try WinBack.candidates(purchases: purchases, model: model, period: .week, asOfDay: lastDay)
        }
        let loyalty = attempt("\(name) loyalty") {
            try LoyaltyAnalysis.run(orders: purchases.map {
                OrderFact(customer: $0.customer, day: $0.day, amount: $0.amount, discount: 0, inCampaign: false)
            })
        }
        let totals = Dictionary(grouping: purchases, by: \.customer).values.map { $0.reduce(Int64(0)) { $0 + $1.amount } }
        let calibration = attempt("\(name) levels") {
            try LevelCalibration.calibrate(values: totals, thresholds: [0, 10_000, 50_000],
                                           targetShares: [0.8, 0.15, 0.05], roundingUnit: 100)
        }
        let economics = attempt("\(name) economics") {
            try ProgramEconomics.compute(EconomicsInput(
                periods: [LedgerPeriod(period: "2025-01", sales: 0, issued: 0, redeemed: 0, expired: 0)],
                outstandingPoints: 0, pointValue: 1, operationsShare: 0.2))
        }
        try expectFiniteJSON(clv, "\(name) CLV JSON")
        try expectFiniteJSON(rfm, "\(name) RFM JSON")
        try expectFiniteJSON(repeats, "\(name) repeat JSON")
        try expectFiniteJSON(monthly, "\(name) monthly JSON")
        try expectFiniteJSON(cohorts, "\(name) cohorts JSON")
        try expectFiniteJSON(concentration, "\(name) concentration JSON")
        try expectFiniteJSON(winBack, "\(name) win-back JSON")
        try expectFiniteJSON(loyalty, "\(name) loyalty JSON")
        try expectFiniteJSON(calibration, "\(name) levels JSON")
        try expectFiniteJSON(economics, "\(name) economics JSON")
        let report = AnalyticsReport(
            source: "test", currency: "CNY", clv: clv, rfm: rfm, repeatPurchases: repeats, monthlyRetention: monthly,
            cohorts: cohorts, concentration: concentration, winBack: winBack, calibration: calibration,
            economics: economics, loyalty: loyalty)
        for language in ReportLanguage.allCases {
            expectFinite(report.html(language: language), "\(name) HTML (\(language.rawValue))")
        }
    }

    /// The old demo's shape: the fit "converged" with BG/NBD's a at 0 and standard errors of NaN, and the JSON
    /// could not be written. Now the report says it did not converge, and why, in JSON and text.
    @Test func nobodyLapsingIsReportedAsNotConverged() throws {
        let report = try CLVAnalysis.run(purchases: Self.nobodyLapses(), options: CLVAnalysisOptions())
        #expect(!report.converged)
        #expect(report.problems.contains { $0.hasPrefix("BG/NBD") }, "\(report.problems)")
        let json = try AnalyticsJSON.string(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["converged"] as? Bool == false)
        #expect((object["problems"] as? [String])?.count == report.problems.count)
        #expect(report.text.contains("NOT CONVERGED"))
        // The model's own line agrees with the warning: the optimiser stopped, but at a limiting case.
        #expect(report.text.contains("NO: a limiting case"))
        let page = AnalyticsReport(source: "test", currency: "CNY", clv: report)
        #expect(page.html(language: .english).contains("no: a limiting case"))
        #expect(page.html(language: .chinese).contains("否：模型的极限情形"))
    }

    @Test func nonFiniteNumbersAreWrittenAsNull() throws {
        struct Sample: Encodable { var a = Double.nan, b = Double.infinity, c = -Double.infinity, d = 1.5, name = "NaN" }
        let json = try AnalyticsJSON.string(Sample(), pretty: false)
        #expect(json == #"{"a":null,"b":null,"c":null,"d":1.5,"name":"NaN"}"#)
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(Sample()) }  // what the CLI did before
    }
}
