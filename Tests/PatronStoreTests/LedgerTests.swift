import Foundation
import PatronCore
@testable import PatronStore
import PatronFiles
import Testing

@Suite struct LedgerTests {
    @Test func pointsArePendingThenActiveThenExpireAtTheShopsMidnight() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [12_345]), at: f.day(0)))
        #expect(try await f.balances(ann.id) == Balances(active: 0, pending: 123, lifetimeEarned: 0, lifetimeSpent: 0))

        try await f.apply(.completed("O1", at: f.day(2)))
        f.clock.set(f.day(9, hours: 11))  // 7 days after completion, an hour early
        try await f.jobs()
        #expect(try await f.balances(ann.id).pending == 123)
        f.clock.set(f.day(9, hours: 12))
        try await f.jobs()
        #expect(try await f.balances(ann.id) == Balances(active: 123, pending: 0, lifetimeEarned: 123, lifetimeSpent: 0))

        // Active on 2026-01-10 (Shanghai): 30 days later, the lot expires at the start of 2026-02-10 Shanghai = 02-09 16:00 UTC.
        let statement = try await f.store.statement(member: ann.id, entries: 10)
        #expect(statement.lots.first?.expiresAt == ISO8601DateFormatter().date(from: "2026-02-09T16:00:00Z"))
        f.clock.set(ISO8601DateFormatter().date(from: "2026-02-09T15:59:59Z")!)
        try await f.jobs()
        #expect(try await f.balances(ann.id).active == 123)
        f.clock.set(ISO8601DateFormatter().date(from: "2026-02-09T16:00:00Z")!)
        try await f.jobs()
        try await f.jobs()  // twice changes nothing
        #expect(try await f.balances(ann.id) == Balances(active: 0, pending: 0, lifetimeEarned: 123, lifetimeSpent: 0))
        #expect(try await f.store.check().isEmpty)
    }

    @Test func theSameExpiryInUTCFallsEightHoursLater() async throws {
        let f = try await Fixture(program: Fixture.shanghaiProgram.replacingOccurrences(of: "Asia/Shanghai", with: "UTC"))
        let bob = try await f.member("bob")
        try await f.apply(.placed(f.order("O1", "bob", [1_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(2)))
        f.clock.set(f.day(10))
        try await f.jobs()
        let statement = try await f.store.statement(member: bob.id, entries: 10)
        #expect(statement.lots.first?.expiresAt == ISO8601DateFormatter().date(from: "2026-02-10T00:00:00Z"))
    }

    @Test func spendingAndExpiryConsumeLotsEarliestExpiringFirst() async throws {
        let f = try await Fixture()
        let cy = try await f.member("cy")
        for (index, amount) in [10_000, 20_000, 30_000].enumerated() {
            try await f.apply(.placed(f.order("O\(index)", "cy", [Int64(amount)]), at: f.day(index * 10)))
            try await f.apply(.completed("O\(index)", at: f.day(index * 10)))
            f.clock.set(f.day(index * 10 + 8))
            try await f.jobs()
        }
        #expect(try await f.balances(cy.id).active == 600)
        let outcome = try await f.store.adjust(Adjustment(memberId: cy.id, points: -250, reason: "goodwill reversal", actor: "ops", key: "k1", at: f.clock.now()))
        #expect(outcome.balances.active == 350)
        let lots = try await f.store.statement(member: cy.id, entries: 0).lots
        #expect(lots.map(\.remaining) == [50, 300])  // the 100 lot emptied first, then 150 of the 200 lot
        // The first lot would have expired first; the second expires 10 days later and takes its 50 with it.
        f.clock.set(f.day(10 + 7 + 31))
        try await f.jobs()
        #expect(try await f.balances(cy.id).active == 300)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func returnsReverseFromRecordedAmountsEvenAfterTheRulesChange() async throws {
        let f = try await Fixture()
        let dee = try await f.member("dee")
        try await f.apply(.placed(f.order("O1", "dee", [10_000, 30_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(1)))
        f.clock.set(f.day(9))
        try await f.jobs()
        // Double the earning rate: the return must still take back what the order earned under version 1.
        let doubled = Fixture.shanghaiProgram.replacingOccurrences(of: "points: 1,", with: "points: 2,")
        let version = try await f.store.loadProgram(try ProgramFile.parse(doubled), source: doubled)
        #expect(version.version == 2)
        let outcome = try await f.apply(.returned("O1", lines: [ReturnedLine(lineId: "2", quantity: 1)], at: f.day(10), id: "R1"))
        #expect(outcome.activeDelta == -300)
        #expect(try await f.balances(dee.id) == Balances(active: 100, pending: 0, lifetimeEarned: 100, lifetimeSpent: 0))
        let entries = try await f.store.statement(member: dee.id, entries: 10).entries
        #expect(entries.map(\.programVersion) == [2, 1, 1])
    }

    @Test func aReturnBeyondTheBalanceGoesNegativeAndLaterEarningsPayItOff() async throws {
        let f = try await Fixture()
        let eve = try await f.member("eve")
        try await f.apply(.placed(f.order("O1", "eve", [50_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(0)))
        f.clock.set(f.day(8))
        try await f.jobs()
        _ = try await f.store.adjust(Adjustment(memberId: eve.id, points: -400, reason: "spent", actor: "test", key: "spend", at: f.day(8)))
        try await f.apply(.returned("O1", at: f.day(9), id: "R1"))
        #expect(try await f.balances(eve.id).active == -400)
        try await f.apply(.placed(f.order("O2", "eve", [60_000]), at: f.day(10)))
        try await f.apply(.completed("O2", at: f.day(10)))
        f.clock.set(f.day(18))
        try await f.jobs()
        #expect(try await f.balances(eve.id).active == 200)
        #expect(try await f.store.statement(member: eve.id, entries: 0).lots.map(\.remaining) == [200])
        #expect(try await f.store.check().isEmpty)
    }

    @Test func cancellingVoidsPendingPoints() async throws {
        let f = try await Fixture()
        let fay = try await f.member("fay")
        try await f.apply(.placed(f.order("O1", "fay", [9_999]), at: f.day(0)))
        let outcome = try await f.apply(.cancelled("O1", at: f.day(1)))
        #expect(outcome.status == .cancelled && outcome.pendingDelta == -99)
        #expect(try await f.balances(fay.id) == .zero)
        await #expect { try await f.apply(.completed("O1", at: f.day(2))) } throws: { ($0 as? PatronError)?.code == .invalidTransition }
    }

    @Test func aReplayReturnsTheOriginalOutcomeAndADifferentPayloadIsAConflict() async throws {
        let f = try await Fixture()
        let gus = try await f.member("gus")
        let event = OrderEvent.placed(f.order("O1", "gus", [5_000]), at: f.day(0))
        let first = try await f.apply(event)
        let again = try await f.apply(event)
        #expect(!first.replayed && again.replayed)
        #expect(again.pendingDelta == first.pendingDelta)
        #expect(try await f.balances(gus.id).pending == 50)
        var changed = event
        changed.order!.lines[0].unitPrice = 6_000
        do {
            try await f.apply(changed)
            Issue.record("a changed payload under the same key must be refused")
        } catch let error as PatronError {
            #expect(error.code == .idempotencyConflict)
        }
        let adjust = Adjustment(memberId: gus.id, points: 10, reason: "r", actor: "a", key: "same", at: f.day(0))
        _ = try await f.store.adjust(adjust)
        #expect(try await f.store.adjust(adjust).replayed)
        var other = adjust
        other.points = 11
        await #expect { try await f.store.adjust(other) } throws: { ($0 as? PatronError)?.code == .idempotencyConflict }
        #expect(try await f.balances(gus.id).active == 10)
    }

    @Test func hundredEventsEachSentTenTimesConcurrentlyApplyExactlyOnce() async throws {
        let f = try await Fixture()
        for index in 0..<10 { _ = try await f.member("m\(index)") }
        let events = (0..<100).map { OrderEvent.placed(f.order("O\($0)", "m\($0 % 10)", [Int64(100 * ($0 + 1))]), at: f.day(0)) }
        let outcomes = try await withThrowingTaskGroup(of: OrderOutcome.self) { group in
            for event in events {
                for _ in 0..<10 { group.addTask { try await f.apply(event) } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 1_000)
        #expect(outcomes.filter { !$0.replayed }.count == 100)
        let totals = try await f.store.totals()
        #expect(totals.orders == 100)
        #expect(totals.pending == (1...100).reduce(0) { $0 + Int64($1) })
        #expect(try await f.store.check().isEmpty)
    }
}

@Suite struct DurabilityTests {
    @Test func theWriterSyncsEveryCommit() async throws {
        let f = try await Fixture()
        try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0)), enroll: true)
        #expect(try await f.store.commitsAreDurable())
        // One commit per request syncs inside each COMMIT instead.
        let single = try await Fixture(maxBatch: 1)
        try await single.apply(.placed(single.order("O1", "ann", [1_000]), at: single.day(0)), enroll: true)
        #expect(try await single.store.commitsAreDurable())
    }
}
