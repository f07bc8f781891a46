import Foundation
import PatronCore
import Testing
@testable import PatronAnalytics

@Suite struct CLVAnalysisTests {
    @Test func cdnowSampleAnalysisReportsEveryFieldTheCommandPrints() throws {
        let purchases = try CDNOWFixture.samplePurchases()
        let report = try CLVAnalysis.run(purchases: purchases, options: CLVAnalysisOptions(
            period: .week, calibrationEnd: CDNOWFixture.calibrationEnd,
            observationEnd: LocalDate(year: 1998, month: 6, day: 30)!.dayNumber, includeCustomers: true))
        #expect(report.customers == 2357)
        #expect(report.calibration.repeatCustomers == 946)
        #expect(report.calibration.repeatPurchases == 2457)  // Σ x of cdnow_customers_summary.csv
        #expect(abs(report.models.bgnbd.r - 0.243) < 0.001)
        #expect(abs(report.models.paretoNbd.s - 0.606) < 0.001)
        let holdout = try #require(report.holdout)
        // Holdout purchase days counted independently: distinct (customer, day) after the calibration end.
        let holdoutDays = Set(purchases.filter { $0.day > CDNOWFixture.calibrationEnd }.map { "\($0.customer)/\($0.day)" })
        #expect(holdout.actualPurchases == holdoutDays.count)
        #expect(holdout.periods == 39)
        // Both models under-predict the 39-week holdout by about 12 % on this sample (1653, 1666 vs 1882).
        #expect(abs(holdout.predictedPurchases.bgnbd - 1653.4) < 1)
        #expect(abs(holdout.predictedPurchases.paretoNbd - 1665.5) < 1)
        #expect((report.clv.mean ?? 0) > 0 && report.converged && report.problems.isEmpty)
        #expect(report.customerPredictions?.count == 2357)

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as! [String: Any]
        let models = json["models"] as! [String: Any]
        for key in ["r", "alpha", "a", "b", "logLikelihood"] { #expect((models["bgnbd"] as! [String: Any])[key] != nil) }
        for key in ["r", "alpha", "s", "beta", "logLikelihood"] {
            #expect((models["paretoNbd"] as! [String: Any])[key] != nil)
        }
        for key in ["p", "q", "v"] { #expect((models["gammaGamma"] as! [String: Any])[key] != nil) }
        let calibration = json["calibration"] as! [String: Any]
        #expect(calibration["repeatCustomers"] as? Int == 946)
        let h = json["holdout"] as! [String: Any]
        #expect(h["actualPurchases"] != nil)
        #expect((h["predictedPurchases"] as! [String: Any])["paretoNbd"] != nil)
        let clv = json["clv"] as! [String: Any]
        for key in ["horizonMonths", "monthlyDiscountRate", "mean"] { #expect(clv[key] != nil) }
        #expect(json["customers"] as? Int == 2357)

        let text = report.text
        #expect(text.contains("BG/NBD"))
        #expect(text.contains("Pareto/NBD"))
        #expect(text.contains("0.2426"))
    }
}
