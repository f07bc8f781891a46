import Foundation
import PatronCore
import Testing

@testable import PatronStore

/// What a what-if replay reads (SQLite, and PostgreSQL with `PATRON_TEST_BACKEND=postgres`).
@Suite struct ReplayHistoryTests {
    @Test("orders come by their placing, then by id in byte order, whatever order they were written in")
    func ordersComeByPlacingThenId() async throws {
        let f = try await Fixture()
        // Written out of order: three at one instant (ids out of order, one non-ASCII), one earlier, one later.
        for (id, day) in [("b", 1), ("é", 1), ("Z", 1), ("late", 2), ("early", 0)] {
            try await f.apply(.placed(f.order(id, "ann", [1_000]), at: f.day(day)), enroll: true)
        }
        let history = try await f.store.replayHistory(credits: false)
        // "Z" (0x5A) < "b" (0x62) < "é" (0xC3 0xA9) as bytes, as `ORDER BY placed_at, id` gives.
        #expect(history.orders.map(\.id) == ["early", "Z", "b", "é", "late"])
    }
}
