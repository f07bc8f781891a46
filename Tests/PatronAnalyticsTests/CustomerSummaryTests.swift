import Foundation
import PatronCore
import Testing
@testable import PatronAnalytics

@Suite struct CustomerSummaryTests {
    /// Sample customer id → the file's ID (the sample's second column numbers the 2,357 customers 1…2357).
    func sampleIDs() throws -> [String: Int] {
        var ids: [String: Int] = [:]
        for line in try CDNOWFixture.text("CDNOW_sample.txt").split(whereSeparator: \.isNewline) {
            let f = line.split(separator: " ")
            ids[String(f[0])] = Int(f[1])!
        }
        return ids
    }

    func summaries() throws -> [Int: CustomerSummary] {
        let built = try CustomerSummary.build(
            from: try CDNOWFixture.samplePurchases(),
            options: SummaryOptions(period: .week, calibrationEnd: CDNOWFixture.calibrationEnd))
        let ids = try sampleIDs()
        return Dictionary(uniqueKeysWithValues: built.map { (ids[$0.customer]!, $0) })
    }

    func close(_ value: Double, _ text: Substring) -> Bool {
        abs(value - Double(text)!) <= 0.005 + 1e-9
    }

    @Test func rebuildFromSampleReproducesCustomersSummaryFile() throws {
        let ours = try summaries()
        let rows = try CDNOWFixture.csv("cdnow_customers_summary.csv")
        #expect(rows.count == 2357)
        #expect(ours.count == 2357)
        var mismatches: [String] = []
        for row in rows {
            guard let s = ours[Int(row[0])!] else { mismatches.append("missing \(row[0])"); continue }
            if s.frequency != Int(row[1])! || !close(s.recency, row[2]) || !close(s.T, row[3]) {
                mismatches.append("\(row[0]): \(s.frequency) \(s.recency) \(s.T) vs \(row[1...3])")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func rebuildFromSampleReproducesSummaryWithTransactionsFile() throws {
        let ours = try summaries()
        let rows = try CDNOWFixture.csv("cdnow_customers_summary_with_transactions.csv")
        #expect(rows.count == 2357)
        var mismatches: [String] = []
        for row in rows {
            guard let s = ours[Int(row[0])!] else { mismatches.append("missing \(row[0])"); continue }
            if s.frequency != Int(row[1])! || !close(s.recency, row[2]) || !close(s.T, row[3])
                || !close(s.monetaryValue, row[4]) {
                mismatches.append("\(row[0]): \(s.frequency) \(s.recency) \(s.T) \(s.monetaryValue) vs \(row[1...4])")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func sameDayPurchasesCountOnceWithAmountsSummed() throws {
        let purchases = [
            Purchase(customer: "a", day: 0, amount: 1000),
            Purchase(customer: "a", day: 7, amount: 500),
            Purchase(customer: "a", day: 7, amount: 700),
            Purchase(customer: "a", day: 14, amount: 300),
            Purchase(customer: "a", day: 30, amount: 900),  // holdout
            Purchase(customer: "a", day: 30, amount: 100),  // same holdout day
            Purchase(customer: "a", day: 40, amount: 100),  // after observation end: ignored
        ]
        let s = try CustomerSummary.build(
            from: purchases, options: SummaryOptions(period: .day, calibrationEnd: 21, observationEnd: 35))
        #expect(s.count == 1)
        #expect(s[0].frequency == 2)
        #expect(s[0].recency == 14)
        #expect(s[0].T == 21)
        #expect(s[0].monetaryValue == 7.5)  // (12.00 + 3.00) / 2
        #expect(s[0].calibrationSpend == 2500)
        #expect(s[0].holdoutFrequency == 1)
        #expect(s[0].holdoutSpend == 1000)
    }

    @Test func customersFirstSeenAfterCalibrationEndAreLeftOut() throws {
        let purchases = [Purchase(customer: "a", day: 0, amount: 1), Purchase(customer: "b", day: 20, amount: 1)]
        let s = try CustomerSummary.build(from: purchases, options: SummaryOptions(period: .day, calibrationEnd: 10))
        #expect(s.map(\.customer) == ["a"])
    }

    @Test func weeksAreSevenDays() throws {
        let purchases = [Purchase(customer: "a", day: 0, amount: 1), Purchase(customer: "a", day: 14, amount: 1)]
        let s = try CustomerSummary.build(from: purchases, options: SummaryOptions(period: .week, calibrationEnd: 21))
        #expect(s[0].recency == 2)
        #expect(s[0].T == 3)
    }
}
