import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct LevelTests {
    static let textbook = try! String(
        contentsOf: EarningRulesTests.root.appendingPathComponent("examples/programs/textbook.yaml"), encoding: .utf8)

    @Test func levelsRiseAtOnceWithCompletedSpendAndReturnsUndoThem() async throws {
        let f = try await Fixture(program: Self.textbook.replacingOccurrences(of: "enrollment: { type: restricted, condition: firstOrder }", with: "enrollment: open"))
        _ = try await f.store.createWebhookSubscription(NewWebhookSubscription(url: "https://shop.example/hooks", events: [.levelChanged], at: f.day(0)))
        let ann = try await f.member("ann")
        #expect(try await f.store.member(id: ann.id)?.level.level == "普通会员")
        try await f.apply(.placed(f.order("O1", "ann", [45_000]), at: f.day(0)))
        #expect(try await f.store.member(id: ann.id)?.level.level == "普通会员")  // placed is not spent yet
        try await f.apply(.completed("O1", at: f.day(1)))
        #expect(try await f.store.member(id: ann.id)?.level.level == "高级会员")
        try await f.apply(.placed(f.order("O2", "ann", [50_000]), at: f.day(2)))
        try await f.apply(.completed("O2", at: f.day(3)))
        #expect(try await f.store.member(id: ann.id)?.level.level == "至尊VIP会员")
        try await f.apply(.returned("O2", at: f.day(4), id: "R2"))
        #expect(try await f.store.member(id: ann.id)?.level.level == "高级会员")
        let history = try await f.store.levelHistory(member: ann.id)
        #expect(history.map(\.to) == ["普通会员", "高级会员", "至尊VIP会员", "高级会员"])
        #expect(history.last?.reason == "return undid qualification")
        // Each change is announced in the outbox, in the same transaction, for the webhook subscriber.
        let events = try await f.store.outbox(after: 0, limit: 10)
        #expect(events.map(\.kind) == Array(repeating: "level.changed", count: 4))
        #expect(events.last?.payload.contains("\"to\":\"高级会员\"") == true)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func theMembersLevelAndFirstOrderFeedTheEarningRules() async throws {
        let f = try await Fixture(program: Self.textbook.replacingOccurrences(of: "enrollment: { type: restricted, condition: firstOrder }", with: "enrollment: open"))
        _ = try await f.member("bo")
        // First order 300.00: 450 bracket points + 100 first-order bonus.
        #expect(try await f.apply(.placed(f.order("O1", "bo", [30_000]), at: f.day(0))).pendingDelta == 550)
        try await f.apply(.completed("O1", at: f.day(0)))  // 300.00 spent: still 普通会员
        try await f.apply(.placed(f.order("O2", "bo", [40_000]), at: f.day(1)))  // no bonus the second time
        try await f.apply(.completed("O2", at: f.day(1)))  // 700.00: VIP会员
        // Third order 100.00 as VIP: 100 + 20 % = 120.
        #expect(try await f.apply(.placed(f.order("O3", "bo", [10_000]), at: f.day(2))).pendingDelta == 120)
    }

    @Test func ruleLimitsCountAcrossOrders() async throws {
        // Birthday month double, at most once a month.
        let f = try await Fixture(program: Self.textbook.replacingOccurrences(of: "enrollment: { type: restricted, condition: firstOrder }", with: "enrollment: open"))
        let cy = try await f.store.enroll(
            EnrollmentRequest(identities: [try .customer("cy")], profile: Profile(birthday: LocalDate(year: 1990, month: 1, day: 20))), key: nil)
        let first = try await f.apply(.placed(f.order("O1", "cy", [10_000]), at: f.day(5)))
        let second = try await f.apply(.placed(f.order("O2", "cy", [10_000]), at: f.day(6)))
        #expect(first.pendingDelta == 100 + 100 + 100)  // base, first order, birthday double
        #expect(second.pendingDelta == 100)  // the birthday rule is used up for January
        let february = try await f.apply(.placed(f.order("O3", "cy", [10_000]), at: f.day(40)))
        #expect(february.pendingDelta == 100)  // not the birthday month
        #expect(try await f.balances(cy.id).pending == 500)
    }

    @Test func validityReviewsDowngradeAndManualLevelsEnd() async throws {
        let gold = try String(contentsOf: EarningRulesTests.root.appendingPathComponent("examples/programs/gold-club.yaml"), encoding: .utf8)
        let f = try await Fixture(program: gold)
        let dee = try await f.member("dee")
        try await f.apply(.placed(f.order("O1", "dee", [80_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(1)))
        #expect(try await f.store.member(id: dee.id)?.level.level == "Gold")
        // A year later nothing new was bought in the rolling window: Gold drops one level to Silver.
        f.clock.set(f.day(400))
        #expect(try await f.store.runLevelReview(asOf: f.clock.now()).items == 1)
        #expect(try await f.store.member(id: dee.id)?.level.level == "Silver")
        #expect(try await f.store.runLevelReview(asOf: f.clock.now()).items == 0)

        let until = f.day(420)
        let request = LevelOverrideRequest(memberId: dee.id, level: "Diamond", until: until, reason: "service recovery", actor: "ops", key: "k", at: f.clock.now())
        let overridden = try await f.store.setLevel(request)
        #expect(overridden.level.effectiveLevel(at: f.clock.now()) == "Diamond")
        #expect(overridden.level.effectiveLevel(at: until) == "Silver")
        await #expect {
            try await f.store.setLevel(LevelOverrideRequest(memberId: dee.id, level: "Platinum", until: until, reason: "r", actor: "a", key: "k2", at: f.clock.now()))
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }
}
