import Testing
@testable import PatronAnalytics

@Suite struct BadInputTests {
    func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as AnalyticsError {
            #expect(!error.message.isEmpty)
            return error.code
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func emptyPurchasesAreRefused() {
        #expect(code { _ = try CustomerSummary.build(from: [], options: SummaryOptions(calibrationEnd: 0)) }
                == AnalyticsError.emptyInput)
        #expect(code { _ = try CLVAnalysis.run(purchases: [], options: CLVAnalysisOptions()) } == AnalyticsError.emptyInput)
    }

    @Test func calibrationEndBeforeEveryPurchaseIsRefused() {
        let purchases = [Purchase(customer: "a", day: 100, amount: 5)]
        #expect(code { _ = try CustomerSummary.build(from: purchases, options: SummaryOptions(calibrationEnd: 50)) }
                == AnalyticsError.noCalibrationData)
    }

    @Test func negativeAmountsAreRefusedNamingTheCustomer() throws {
        let purchases = [Purchase(customer: "a", day: 1, amount: 5), Purchase(customer: "b", day: 2, amount: -1)]
        do {
            _ = try CustomerSummary.build(from: purchases, options: SummaryOptions(calibrationEnd: 50))
            Issue.record("no error thrown")
        } catch let error as AnalyticsError {
            #expect(error.code == AnalyticsError.negativeAmount)
            #expect(error.context["customer"] == "b")
            #expect(error.message.contains("negative"))
        }
    }

    @Test func observationEndBeforeCalibrationEndIsRefused() {
        let purchases = [Purchase(customer: "a", day: 1, amount: 5)]
        #expect(code {
            _ = try CustomerSummary.build(from: purchases, options: SummaryOptions(calibrationEnd: 50, observationEnd: 40))
        } == AnalyticsError.invalidPeriod)
    }

    @Test func dataWithoutRepeatCustomersCannotFitTheModels() {
        let purchases = [Purchase(customer: "a", day: 1, amount: 5), Purchase(customer: "b", day: 2, amount: 5)]
        #expect(code { _ = try CLVAnalysis.run(purchases: purchases, options: CLVAnalysisOptions(calibrationEnd: 10)) }
                == AnalyticsError.insufficientData)
    }

    @Test func impossibleModelRowsAndBadCLVOptionsAreRefused() {
        #expect(code { _ = try FrequencyRecencyData(frequency: [1], recency: [5], T: [3]) } == AnalyticsError.invalidOption)
        #expect(code { try CLVOptions(horizonMonths: -1).validate() } == AnalyticsError.invalidOption)
        #expect(code { try CLVOptions(monthlyDiscountRate: -1).validate() } == AnalyticsError.invalidOption)
    }
}
