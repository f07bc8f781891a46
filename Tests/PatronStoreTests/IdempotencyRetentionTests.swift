import Foundation
import PatronCore
import PatronFiles
import PatronTestSupport
import Testing

@testable import PatronStore

/// Idempotency records are kept for the program's window (`idempotency.retentionDays`, 30 days by default): a replay
/// inside it returns the first outcome, a request dated before it is refused and writes nothing, the purge job forgets
/// only records past it, and history imports write none.
@Suite struct IdempotencyRetentionTests {
    static func count(_ f: Fixture, _ table: String, where condition: String = "1 = 1") async throws -> Int64 {
        try await f.store.backend.read { db in try db.prepare(dynamic: "SELECT count(*) FROM \(table) WHERE \(condition)").one { $0.int(0) } ?? -1 }
    }

    @Test func aResendInsideTheWindowReplaysTheFirstOutcome() async throws {
        let f = try await Fixture()
        let event = OrderEvent.placed(f.order("O1", "ann", [1_000]), at: f.day(0))
        let first = try await f.apply(event, enroll: true)
        f.clock.set(f.day(29))
        let resend = try await f.apply(event, enroll: true)
        #expect(resend.replayed && !first.replayed)
        #expect(resend.pendingDelta == first.pendingDelta && resend.memberId == first.memberId && resend.enrolled)
        #expect(try await Self.count(f, "entries") == 1)
    }

    @Test func anEventDatedBeforeTheWindowIsRefusedNamingTheFieldAndTheWindowAndWritesNothing() async throws {
        let f = try await Fixture()
        f.clock.set(f.day(40))
        let error = await #expect(throws: PatronError.self) {
            try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(9)), enroll: true)
        }
        #expect(error?.code == .eventTooOld)
        #expect(error?.message.contains("occurredAt 2026-01-10T04:00:00Z") == true)
        #expect(error?.message.contains("window of 30 days") == true)
        #expect(error?.details.contains("field: occurredAt") == true)
        for table in ["orders", "members", "entries", "idempotency"] { #expect(try await Self.count(f, table) == 0, "\(table)") }
        // A day later the same event is inside the window and is applied.
        #expect(try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(10, hours: 13)), enroll: true).pendingDelta == 10)
    }

    @Test func theWindowIsTheProgramsAndCoversEveryKeyedRequest() async throws {
        let f = try await Fixture(program: Fixture.shanghaiProgram + "\nidempotency: { retentionDays: 7 }\n")
        let ann = try await f.member("ann")
        f.clock.set(f.day(20))
        await #expect { try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(12))) } throws: { ($0 as? PatronError)?.code == .eventTooOld }
        #expect(try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(13, hours: 13))).pendingDelta == 10)
        let error = await #expect(throws: PatronError.self) {
            try await f.store.adjust(Adjustment(memberId: ann.id, points: 5, reason: "goodwill", actor: "staff", key: "k1", at: f.day(12)))
        }
        #expect(error?.code == .eventTooOld && error?.details.contains("field: at") == true && error?.message.contains("7 days") == true)
        #expect(try await f.balances(ann.id).active == 0)
    }

    @Test func aProgramWithABadWindowIsRefusedWithItsPath() throws {
        #expect { try ProgramFile.parse(Fixture.shanghaiProgram + "\nidempotency: { retentionDays: 0 }\n") } throws: { error in
            (error as? PatronError)?.details.contains { $0.contains("idempotency.retentionDays") && $0.contains("1 to 3650") } == true
        }
    }

    @Test func thePurgeForgetsOnlyRecordsPastTheWindowInBoundedChunks() async throws {
        let f = try await Fixture()
        for index in 0..<5 { try await f.apply(.placed(f.order("OLD\(index)", "ann", [1_000]), at: f.day(0)), enroll: true) }
        f.clock.set(f.day(20))
        let recent = OrderEvent.placed(f.order("NEW", "bob", [2_000]), at: f.day(20))
        let first = try await f.apply(recent, enroll: true)
        f.clock.set(f.day(35))
        // Two records read per writer transaction: the five old ones and the recent one take several chunks.
        let purged = try await f.store.purgeIdempotency(asOf: f.clock.now(), scan: 2)
        #expect(purged.items == 5)
        #expect(try await Self.count(f, "idempotency") == 1)
        let replay = try await f.apply(recent, enroll: true)
        #expect(replay.replayed && replay.pendingDelta == first.pendingDelta)
        // Its record is gone, but the old event is refused, not applied twice.
        await #expect { try await f.apply(.placed(f.order("OLD0", "ann", [1_000]), at: f.day(0)), enroll: true) } throws: {
            ($0 as? PatronError)?.code == .eventTooOld
        }
        #expect(try await Self.count(f, "orders") == 6)
        #expect(try await Self.count(f, "entries") == 6)
        // Running it again forgets nothing more.
        #expect(try await f.store.runIdempotencyPurge(asOf: f.clock.now()).items == 0)
    }

    @Test func aRequestDatedAheadIsRememberedUntilItsOwnTimeLeavesTheWindow() async throws {
        let f = try await Fixture()
        let event = OrderEvent.placed(f.order("O1", "ann", [1_000]), at: f.day(50))
        try await f.apply(event, enroll: true)
        f.clock.set(f.day(60))
        _ = try await f.store.runIdempotencyPurge(asOf: f.clock.now())
        #expect(try await f.apply(event, enroll: true).replayed)
    }

    @Test func aReplayAfterTheStoreIsReopenedStillReturnsTheFirstOutcome() async throws {
        let f = try await Fixture()
        let event = OrderEvent.placed(f.order("O1", "ann", [1_000]), at: f.day(0))
        let first = try await f.apply(event, enroll: true)
        await f.store.close()
        f.clock.set(f.day(10))
        let reopened = try SQLStore.open(f.path, clock: f.clock)
        let replay = try await reopened.apply([event], options: ApplyOptions(enrollUnknownMembers: true))[0].get()
        #expect(replay.replayed && replay.pendingDelta == first.pendingDelta && replay.memberId == first.memberId)
        await reopened.close()
    }

    @Test func historyWritesNoRecordsIsNotBoundByTheWindowAndKnowsWhatItAppliedByTheOrder() async throws {
        let f = try await Fixture()
        f.clock.set(f.day(400))
        let history: [OrderEvent] = [
            .placed(f.order("H1", "ann", [1_000, 500]), at: f.day(0)), .completed("H1", at: f.day(1)),
            .returned("H1", lines: [ReturnedLine(lineId: "2", quantity: 1)], at: f.day(3), id: "H1:return"),
            .placed(f.order("H2", "ann", [700]), at: f.day(2)), .cancelled("H2", at: f.day(2, hours: 14)),
        ]
        let options = ApplyOptions(enrollUnknownMembers: true, history: true)
        let first = try await f.store.apply(history, options: options).map { try $0.get() }
        #expect(first.allSatisfy { !$0.replayed })
        #expect(try await Self.count(f, "idempotency") == 0)
        let entries = try await Self.count(f, "entries")
        let again = try await f.store.apply(history, options: options).map { try $0.get() }
        #expect(again.allSatisfy { $0.replayed && $0.pendingDelta == 0 && $0.activeDelta == 0 })
        #expect(try await Self.count(f, "entries") == entries)
        #expect(try await Self.count(f, "orders") == 2)
        #expect(try await Self.count(f, "idempotency") == 0)
        #expect(try await f.balances(first[0].memberId).pending == 10)
        // The same order id from another customer is another order.
        let clash = await f.store.apply([.placed(f.order("H1", "bob", [1_000]), at: f.day(0))], options: options)[0]
        #expect(throws: PatronError.self) { try clash.get() }
        // Outside an import the same old event is refused.
        await #expect { try await f.apply(history[0], enroll: true) } throws: { ($0 as? PatronError)?.code == .eventTooOld }
    }

    @Test func aReturnIsAppliedOnceWhetherItCameLiveOrFromAnImportFirst() async throws {
        let f = try await Fixture()
        let placed = OrderEvent.placed(f.order("R1", "ann", [1_000, 500]), at: f.day(0))
        let live = try await f.apply(placed, enroll: true)
        _ = try await f.apply(.completed("R1", at: f.day(1)))
        let returnOne = OrderEvent.returned("R1", lines: [ReturnedLine(lineId: "2", quantity: 1)], at: f.day(3), id: "R1:return-1")
        f.clock.set(f.day(3))
        let sent = try await f.apply(returnOne)
        #expect(!sent.replayed && sent.pendingDelta < 0)
        let entries = try await Self.count(f, "entries")
        // The storefront's export, imported later, holds the same return: the import knows it by its event id.
        let history = ApplyOptions(enrollUnknownMembers: true, history: true)
        let imported = try await f.store.apply([returnOne], options: history)[0].get()
        #expect(imported.replayed && imported.pendingDelta == 0)
        #expect(try await Self.count(f, "entries") == entries)

        // The other way round: a return imported first and then sent live (no idempotency record for it) replays.
        let returnTwo = OrderEvent.returned("R1", lines: [ReturnedLine(lineId: "1", quantity: 1)], at: f.day(4), id: "R1:return-2")
        let importedFirst = try await f.store.apply([returnTwo], options: history)[0].get()
        #expect(!importedFirst.replayed && importedFirst.pendingDelta < 0)
        let afterImport = try await Self.count(f, "entries")
        f.clock.set(f.day(4))
        let sentLater = try await f.apply(returnTwo)
        #expect(sentLater.replayed && sentLater.pendingDelta == 0)
        #expect(try await Self.count(f, "entries") == afterImport)
        #expect(try await f.balances(live.memberId).pending == 0)
    }

    @Test func anImportedOrderThatFailsLeavesNoTraceForTheNextEventOfTheBatch() async throws {
        let f = try await Fixture()
        _ = try await f.member("ann")  // known already, so only the order tells the second event from a replay
        var refused = f.order("P1", "ann", [1_000])
        refused.partner = "no-such-partner"  // refused after the order row is written, so the savepoint rolls it back
        let retried = f.order("P1", "ann", [1_000])
        let outcomes = await f.store.apply(
            [.placed(refused, at: f.day(0)), .placed(retried, at: f.day(0))], options: ApplyOptions(enrollUnknownMembers: true, history: true))
        #expect(throws: PatronError.self) { try outcomes[0].get() }
        let placed = try outcomes[1].get()
        #expect(!placed.replayed && placed.pendingDelta > 0)
        #expect(try await Self.count(f, "orders") == 1)
    }
}
