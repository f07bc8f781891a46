import Foundation
import PatronCore
import Testing

@testable import PatronStore

/// An order event is identified by its id and payload, not by the instant it was stamped with.
@Suite struct ReplayTests {
    @Test func aResendStampedAtAnotherInstantReplaysButAnotherPayloadConflicts() async throws {
        let f = try await Fixture()
        let first = try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0)), enroll: true)
        // The API stamps an event sent without `occurredAt` on arrival: its resend arrives later.
        let resend = try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0, hours: 13)), enroll: true)
        #expect(resend.replayed && resend.pendingDelta == first.pendingDelta)
        await #expect { try await f.apply(.placed(f.order("O1", "ann", [2_000]), at: f.day(0)), enroll: true) } throws: { ($0 as? PatronError)?.code == .idempotencyConflict }
    }

    @Test func eventsRecordedWithTheirInstantInTheFingerprintStillReplay() async throws {
        let f = try await Fixture()
        let event = OrderEvent.placed(f.order("O1", "ann", [1_000]), at: f.day(0))
        try await f.apply(event, enroll: true)
        // What an earlier version stored: the digest with the instant.
        _ = try await f.store.backend.transaction(on: 0) { db in
            try db.prepare("UPDATE idempotency SET fingerprint = ? WHERE key = ?").run(Int64(bitPattern: event.fingerprintWithInstant), "order-event:O1")
            return true
        }
        #expect(try await f.apply(event, enroll: true).replayed)
        #expect(try await f.balances(1).pending == 10)
    }
}
