import Foundation
import PatronCore
import PatronTestSupport
import Testing

@testable import PatronStore

/// A batch's hot rows: on PostgreSQL its writer looks its requests up at once and sends their rows as one statement
/// per kind (`PostgresBatch`, `SetWrite`); on SQLite the same calls write row by row. Either way the results are those
/// of one request after another.
@Suite struct SetWriteTests {
    static let awkward = ["plain", "quote\"d", "back\\slash", "comma,brace{}", "NULL", " spaced ", "ünïcødé-注文", "\"\\\"", "a'b"]

    @Test func awkwardTextSurvivesTheBatchedRows() async throws {
        let f = try await Fixture()
        _ = try await f.store.createWebhookSubscription(NewWebhookSubscription(url: "https://example.com/hook", events: [.pointsEarned], at: f.day(0)))
        let events = Self.awkward.enumerated().map { index, text in
            OrderEvent.placed(f.order("O-\(text)", "C-\(text)", [Int64(1_000 + index * 100)]), at: f.day(0))
        }
        let results = await f.store.apply(events, options: ApplyOptions(enrollUnknownMembers: true))
        for (text, result) in zip(Self.awkward, results) {
            let outcome = try result.get()
            #expect(outcome.orderId == "O-\(text)")
            let member = try #require(try await f.store.member(identity: .customer("C-\(text)")))
            #expect(member.id == outcome.memberId)
            let statement = try await f.store.statement(member: member.id, entries: 10)
            #expect(statement.entries.map(\.orderId) == ["O-\(text)"])
            #expect(member.balances.pending == outcome.pendingDelta && outcome.pendingDelta > 0)
        }
        let announced = try await f.store.outbox(after: 0, limit: 100).filter { $0.kind == "points.earned" }.map { event in
            try #require(try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any])["order_id"] as? String
        }
        #expect(Set(announced.compactMap { $0 }) == Set(Self.awkward.map { "O-\($0)" }))
        #expect(try await f.store.check().isEmpty)
        #expect(await f.store.savepointRetries() == 0)
        // A replay of the whole call returns the same outcomes from the stored keys.
        let replays = await f.store.apply(events, options: ApplyOptions(enrollUnknownMembers: true))
        #expect(try replays.map { try $0.get().replayed } == Array(repeating: true, count: events.count))
        #expect(try zip(results, replays).allSatisfy { try $0.get().pendingDelta == $1.get().pendingDelta })
    }

    @Test func oneCallReplaysRefusesAndReadsItsOwnWrites() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        let placed = OrderEvent.placed(f.order("O1", "ann", [1_000]), at: f.day(0))
        var other = OrderEvent.placed(f.order("O1", "ann", [5_000]), at: f.day(0))
        other.id = "another event placing O1"
        let results = await f.store.apply(
            [placed, placed, other, .completed("O1", at: f.day(1)), .placed(f.order("O2", "ann", [2_000]), at: f.day(1))],
            options: ApplyOptions())
        #expect(try results[0].get().replayed == false)
        #expect(try results[1].get().replayed == true)
        #expect { try results[2].get() } throws: { ($0 as? PatronError)?.code == .orderExists }
        #expect(try results[3].get().status == .completed)
        #expect(try results[4].get().pendingDelta == 20)
        let balances = try await f.balances(ann.id)
        #expect(balances.pending == 30 && balances.active == 0)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func concurrentCallersForSharedMembersNeedNoSecondPass() async throws {
        let f = try await Fixture()
        var members: [Int64] = []
        for customer in 0..<20 { members.append(try await f.member("c\(customer)").id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<400 {
                group.addTask {
                    try await f.apply(.placed(f.order("O\(index)", "c\(index % 20)", [Int64(100 * (1 + index % 7))]), at: f.day(0)))
                }
            }
            try await group.waitForAll()
        }
        var pending: Int64 = 0
        for id in members { pending += try await f.balances(id).pending }
        let expected = (0..<400).reduce(Int64(0)) { $0 + Int64(1 + $1 % 7) }
        #expect(pending == expected)
        #expect(try await f.store.check().isEmpty)
        #expect(await f.store.savepointRetries() == 0)
    }
}

/// SQLite's writer keeps members by identity across transactions (`KnownMembers`); on PostgreSQL a batch looks them
/// up at its start. Either way a change committed by another store on the same database is seen at once.
@Suite struct KnownMembersTests {
    @Test func anIdentityErasedAndReusedElsewhereIsFoundAnew() async throws {
        let f = try await Fixture()
        let first = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0)))
        // Another store (another process, in production) erases Ann and enrolls a new member with her customer id.
        let other = try SQLStore.open(f.path, clock: f.clock)
        _ = try await other.eraseMember(id: first.id, at: f.day(1))
        let second = try await other.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
        await other.close()
        #expect(second.id != first.id)
        let outcome = try await f.apply(.placed(f.order("O2", "ann", [2_000]), at: f.day(2)))
        #expect(outcome.memberId == second.id)
        #expect(try await f.balances(second.id).pending == 20)
    }

    @Test func whatARolledBackRequestLearntIsForgotten() async throws {
        let f = try await Fixture()
        // The first event enrolls Bob and then fails on its unknown partner: its savepoint is rolled back, Bob with it.
        var order = f.order("O1", "bob", [1_000])
        order.partner = "nobody"
        let results = await f.store.apply(
            [.placed(order, at: f.day(0)), .placed(f.order("O2", "bob", [2_000]), at: f.day(0))], options: ApplyOptions(enrollUnknownMembers: true))
        #expect { try results[0].get() } throws: { ($0 as? PatronError)?.code == .invalidInput }
        let outcome = try results[1].get()
        #expect(outcome.enrolled)
        #expect(try await f.balances(outcome.memberId).pending == 20)
        #expect(try await f.store.check().isEmpty)
    }
}

/// The writers' caches compare text byte for byte, as the databases do (`ExactText`).
@Suite struct ExactTextTests {
    @Test func canonicallyEquivalentCustomerIdsAreTwoMembers() async throws {
        let f = try await Fixture()
        let composed = "Jos\u{E9}"  // é as one scalar
        let decomposed = "Jose\u{301}"  // e and a combining accent: equal as Swift strings, not as bytes
        #expect(composed == decomposed)
        let first = try await f.member(composed)
        try await f.apply(.placed(f.order("O1", composed, [1_000]), at: f.day(0)))
        let second = try await f.member(decomposed)
        #expect(second.id != first.id)
        let outcome = try await f.apply(.placed(f.order("O2", decomposed, [2_000]), at: f.day(0)))
        #expect(outcome.memberId == second.id)
        #expect(try await f.balances(first.id).pending == 10)
        #expect(try await f.balances(second.id).pending == 20)
    }

    @Test func idsWithANulCharacterAreRefused() async throws {
        let f = try await Fixture()
        #expect { try Identity.customer("a\u{0}b") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        let results = await f.store.apply([.placed(f.order("O\u{0}1", "ann", [1_000]), at: f.day(0))], options: ApplyOptions(enrollUnknownMembers: true))
        #expect { try results[0].get() } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect(try await f.store.check().isEmpty)
    }
}

/// Two stores (two processes, in production) on one database receive the same events at once: on PostgreSQL their
/// batches race on the same keys and orders in set-based inserts; the loser runs again with savepoints and replays.
@Suite struct SameEventsTwiceTests {
    @Test func twoStoresApplyingTheSameEventsApplyEachOnce() async throws {
        let f = try await Fixture()
        for customer in 0..<20 { _ = try await f.member("c\(customer)") }
        let other = try SQLStore.open(f.path, clock: f.clock)
        let events = (0..<200).map { OrderEvent.placed(f.order("O\($0)", "c\($0 % 20)", [Int64(100 * (1 + $0 % 7))]), at: f.day(0)) }
        let outcomes = try await withThrowingTaskGroup(of: [OrderOutcome].self) { group in
            for store in [f.store, other] {
                for chunk in stride(from: 0, to: events.count, by: 10) {
                    group.addTask {
                        try await store.apply(Array(events[chunk..<chunk + 10]), options: ApplyOptions()).map { try $0.get() }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await other.close()
        #expect(outcomes.count == 400)
        #expect(outcomes.filter { !$0.replayed }.count == 200)
        let totals = try await f.store.totals()
        #expect(totals.orders == 200)
        let expected: Int64 = (0..<200).reduce(0) { sum, index in sum + Int64(1 + index % 7) }
        #expect(totals.pending == expected)
        #expect(try await f.store.check().isEmpty)
    }
}
