import Foundation
import PatronCore
import Testing
@testable import PatronAnalytics

@Suite struct RetentionTests {
    func day(_ y: Int, _ m: Int, _ d: Int) -> Int { LocalDate(year: y, month: m, day: d)!.dayNumber }

    @Test func repurchaseRateAndGapsCountPurchaseDays() throws {
        let purchases = [
            Purchase(customer: "a", day: 0, amount: 1), Purchase(customer: "a", day: 10, amount: 1),
            Purchase(customer: "a", day: 40, amount: 1), Purchase(customer: "b", day: 5, amount: 1),
            Purchase(customer: "c", day: 0, amount: 1), Purchase(customer: "c", day: 0, amount: 1),
            Purchase(customer: "c", day: 400, amount: 1),
        ]
        let stats = try RepeatPurchaseStats.compute(purchases: purchases)
        #expect(stats.customers == 3)
        #expect(stats.repeatCustomers == 2)
        #expect(abs(stats.repurchaseRate - 2.0 / 3) < 1e-12)
        #expect(stats.gaps == 3)
        #expect(abs(stats.meanDays - 440.0 / 3) < 1e-12)
        #expect(stats.medianDays == 30)
        #expect(stats.p90Days == 400)
        #expect(stats.histogram == [0, 1, 1, 0, 0, 0, 0, 1])
    }

    @Test func monthlyRetentionComparesEachMonthWithThePrevious() throws {
        let purchases = [
            Purchase(customer: "a", day: day(2024, 1, 5), amount: 1), Purchase(customer: "a", day: day(2024, 2, 5), amount: 1),
            Purchase(customer: "b", day: day(2024, 1, 9), amount: 1), Purchase(customer: "b", day: day(2024, 3, 9), amount: 1),
            Purchase(customer: "c", day: day(2024, 2, 1), amount: 1), Purchase(customer: "c", day: day(2024, 3, 31), amount: 1),
        ]
        let rows = try MonthlyRetention.compute(purchases: purchases)
        #expect(rows.map(\.month) == ["2024-01", "2024-02", "2024-03"])
        #expect(rows.map(\.active) == [2, 2, 2])
        #expect(rows.map(\.new) == [2, 1, 0])
        #expect(rows.map(\.retained) == [0, 1, 1])
        #expect(rows[0].retentionRate == nil)
        #expect(rows[1].retentionRate == 0.5 && rows[1].churnRate == 0.5)
        #expect(rows[2].retentionRate == 0.5)

        let matrix = try CohortMatrix.compute(purchases: purchases)
        #expect(matrix.cohorts.map(\.month) == ["2024-01", "2024-02"])
        #expect(matrix.cohorts[0].size == 2)
        #expect(matrix.cohorts[0].active == [2, 1, 1])
        #expect(matrix.cohorts[0].retention == [1, 0.5, 0.5])
        #expect(matrix.cohorts[1].active == [1, 1])
    }

    @Test func revenueConcentrationFindsTheTop20PercentAndGini() throws {
        let amounts: [Int64] = [1, 1, 1, 1, 96]
        let purchases = amounts.enumerated().map { Purchase(customer: "c\($0.offset)", day: 1, amount: $0.element) }
        let c = try RevenueConcentration.compute(purchases: purchases)
        #expect(c.customers == 5)
        #expect(c.revenue == 100)
        #expect(abs(c.top20RevenueShare - 0.96) < 1e-12)
        #expect(abs(c.gini - 0.76) < 1e-12)
        #expect(c.lorenz.count == 21)
        #expect(c.lorenz.first?.revenueShare == 0)
        #expect(abs(c.lorenz[16].revenueShare - 0.04) < 1e-12)  // the poorest 80 %
        #expect(abs(c.lorenz.last!.revenueShare - 1) < 1e-12)
    }

    @Test func winBackFindsValuableCustomersWhoAreProbablyGone() throws {
        let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        var purchases: [Purchase] = []
        for k in 0..<10 {
            purchases.append(Purchase(customer: "gone-whale", day: k * 3, amount: 50_000))
            purchases.append(Purchase(customer: "active-whale", day: 200 + k * 30, amount: 50_000))
        }
        for k in 0..<8 { purchases.append(Purchase(customer: "small-\(k)", day: 10 * k, amount: 500)) }
        let candidates = try WinBack.candidates(purchases: purchases, model: model, period: .week, asOfDay: 500)
        #expect(candidates.map(\.customer) == ["gone-whale"])
        #expect(candidates[0].daysSinceLastPurchase == 473)
        #expect(candidates[0].purchaseDays == 10)
        #expect(candidates[0].probabilityAlive < 0.3)
    }

    @Test func retentionAnalysesRefuseEmptyInput() {
        #expect { try RepeatPurchaseStats.compute(purchases: []) } throws: { ($0 as? AnalyticsError)?.code == AnalyticsError.emptyInput }
        #expect { try MonthlyRetention.compute(purchases: []) } throws: { ($0 as? AnalyticsError)?.code == AnalyticsError.emptyInput }
        #expect { try CohortMatrix.compute(purchases: []) } throws: { ($0 as? AnalyticsError)?.code == AnalyticsError.emptyInput }
        #expect { try RevenueConcentration.compute(purchases: []) } throws: { ($0 as? AnalyticsError)?.code == AnalyticsError.emptyInput }
    }
}
