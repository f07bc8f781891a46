import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct AnalyticsInputTests {
    @Test func purchasesKeepWhatWasNotReturnedAndSkipCancelledOrders() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        var order = f.order("O1", "ann", [10_000, 30_000])
        order.lines[1].discount = 5_000
        order.discount = 5_000  // goods 35,000 after line discounts, 30,000 after the order discount
        try await f.apply(.placed(order, at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(1)))
        try await f.apply(.returned("O1", lines: [ReturnedLine(lineId: "1", quantity: 1)], at: f.day(2), id: "R1"))
        try await f.apply(.placed(f.order("O2", "ann", [7_000]), at: f.day(3)))
        try await f.apply(.cancelled("O2", at: f.day(4)))

        let purchases = try await f.store.purchases()
        #expect(purchases.count == 1)
        // The returned line was 10,000 of the 35,000 of line value: it takes back 10/35 of the 30,000 paid.
        #expect(purchases.first == PurchaseRecord(memberId: ann.id, placedAt: f.day(0), amount: 30_000 - 8_571, discount: 10_000, rules: ["base"]))
    }

    @Test func ledgerQuarterHoursAddUpToTheLedger() async throws {
        let f = try await Fixture()
        _ = try await f.member("bo")
        for index in 0..<3 {
            try await f.apply(.placed(f.order("O\(index)", "bo", [Int64(10_000 * (index + 1))]), at: f.day(index)))
            try await f.apply(.completed("O\(index)", at: f.day(index)))
        }
        f.clock.set(f.day(60))
        try await f.jobs()  // activates 600 points, then expires them 30 days later
        let hours = try await f.store.ledgerQuarterHours()
        #expect(hours.reduce(0) { $0 + $1.issued } == 600)
        #expect(hours.reduce(0) { $0 + $1.expired } == 600)
        #expect(hours.reduce(0) { $0 + $1.redeemed } == 0)
        #expect(hours.map(\.start) == hours.map(\.start).sorted())
    }

    @Test func aWhatIfReadsTheSameQuarterHoursAndCreditsInItsOnePassOverTheLedger() async throws {
        let f = try await Fixture()
        let bo = try await f.member("bo")
        for index in 0..<3 {
            try await f.apply(.placed(f.order("O\(index)", "bo", [Int64(10_000 * (index + 1))]), at: f.day(index)))
            try await f.apply(.completed("O\(index)", at: f.day(index)))
        }
        _ = try await f.store.adjust(Adjustment(memberId: bo.id, points: 40, reason: "goodwill", actor: "a", key: "k1", at: f.day(3)))
        _ = try await f.store.adjust(Adjustment(memberId: bo.id, points: -15, reason: "correction", actor: "a", key: "k2", at: f.day(4)))
        f.clock.set(f.day(60))
        try await f.jobs()
        let history = try await f.store.replayHistory(credits: true)
        #expect(history.quarterHours == (try await f.store.ledgerQuarterHours()))
        #expect(history.quarterHours.count >= 5)
        // Adjustments are not earnings: no credit, as `ORDER BY occurred_at, id` over the earned kinds gives.
        #expect(history.credits.isEmpty)
        #expect(history.orders.map(\.ledgerPoints) == [100, 200, 300])
    }
}

@Suite struct AnalyticsFactsTests {
    @Test func purchasesNameTheRulesThatEarnedAndMembersCountTheirReferrals() async throws {
        let gold = try String(contentsOf: EarningRulesTests.root.appendingPathComponent("examples/programs/gold-club.yaml"), encoding: .utf8)
        let f = try await Fixture(program: gold)
        let ann = try await f.member("ann")
        _ = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bo")], referredBy: try .customer("ann")), key: nil)
        var order = f.order("O1", "ann", [10_000])
        order.channel = "web"
        try await f.apply(.placed(order, at: ISO8601DateFormatter().date(from: "2026-11-27T15:00:00Z")!))
        let purchase = try await f.store.purchases().first
        #expect(Set(purchase?.rules ?? []) == ["base", "welcome", "black friday"])
        let facts = try await f.store.memberFacts()
        #expect(facts.first { $0.memberId == ann.id }?.referrals == 1)
    }
}
