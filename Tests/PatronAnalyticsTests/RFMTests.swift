import Testing
@testable import PatronAnalytics

@Suite struct RFMTests {
    @Test func quintileScoresGiveTiedCustomersTheSameScore() {
        #expect(RFMAnalysis.quintiles([1, 1, 1, 2, 3]) == [1, 1, 1, 4, 5])
        #expect(RFMAnalysis.quintiles([5, 4, 3, 2, 1]) == [5, 4, 3, 2, 1])
        #expect(RFMAnalysis.quintiles(Array(0..<10)) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    }

    @Test(arguments: [
        (5, 5, 9, RFMSegment.champions), (4, 4, 3, .champions), (3, 5, 6, .loyal), (4, 3, 3, .loyal),
        (5, 1, 1, .new), (4, 2, 2, .potential), (3, 1, 1, .potential), (2, 4, 5, .atRisk), (1, 3, 3, .atRisk),
        (2, 2, 2, .hibernating), (1, 1, 1, .lost), (1, 2, 2, .lost),
    ])
    func segmentRulesFollowTheDocumentedTable(r: Int, f: Int, days: Int, expected: RFMSegment) {
        #expect(RFMSegment.classify(r: r, f: f, purchaseDays: days) == expected)
    }

    @Test func segmentsCountEveryCustomerAndShareAllRevenue() throws {
        var purchases: [Purchase] = []
        // 10 customers: customer k buys k+1 times, the last time k*10 days before day 100, 1000 cents each.
        for k in 0..<10 {
            for j in 0...k { purchases.append(Purchase(customer: "c\(k)", day: 100 - 10 * (9 - k) - j, amount: 1000)) }
        }
        let report = try RFMAnalysis.run(purchases: purchases, asOfDay: 100)
        #expect(report.customers.count == 10)
        #expect(report.segments.map(\.customers).reduce(0, +) == 10)
        #expect(abs(report.segments.map(\.revenueShare).reduce(0, +) - 1) < 1e-12)
        let best = try #require(report.customers.first { $0.customer == "c9" })
        #expect(best.r == 5 && best.f == 5 && best.m == 5 && best.segment == .champions)
        #expect(best.recencyDays == 0 && best.frequency == 10 && best.monetary == 10_000)
        let worst = try #require(report.customers.first { $0.customer == "c0" })
        #expect(worst.r == 1 && worst.f == 1 && worst.segment == .lost)
        let champions = try #require(report.segments.first { $0.segment == .champions })
        #expect(champions.customers == 4)  // c6…c9: R and F ≥ 4
        #expect(abs(champions.revenueShare - Double(7 + 8 + 9 + 10) / 55) < 1e-12)
    }

    @Test func purchasesAfterTheAnalysisDayAreIgnored() throws {
        let purchases = [Purchase(customer: "a", day: 1, amount: 100), Purchase(customer: "a", day: 50, amount: 100)]
        let report = try RFMAnalysis.run(purchases: purchases, asOfDay: 10)
        #expect(report.customers[0].frequency == 1)
        #expect(report.customers[0].recencyDays == 9)
        #expect(report.customers[0].monetary == 100)
    }
}
