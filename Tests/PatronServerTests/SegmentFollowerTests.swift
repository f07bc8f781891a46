import Foundation
import Logging
import PatronCore
@testable import PatronServer
import PatronStore
import Testing

/// The segment follower inside `serve`: members whose ledger changed move at the next pass; scoring and the full
/// refresh run once per local day.
@Suite struct SegmentFollowerTests {
    @Test func aPassMovesMembersWhoseOrdersChangedAndTheDailyPassScoresEveryone() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T04:30:00Z")!)
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let place = { (id: String, customer: String) async throws in
            let order = Order(id: id, member: try .customer(customer), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
            _ = try await store.apply([.placed(order, at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))[0].get()
        }
        try await place("O1", "c1")
        _ = try await store.saveSegments(
            [SegmentDefinition(name: "two-orders", kind: .dynamic, condition: .orders(days: nil, SegmentRange(min: 2)))], actor: "test", at: clock.now())
        let follower = SegmentFollower(store: store, clock: clock, interval: .seconds(5), logger: Logger(label: "test"))
        let day = try await follower.tick(lastDailyRun: nil)  // the first pass: daily scoring and refresh, cursors at the present
        #expect(try await store.memberScores(member: 1) != nil)
        let segment = try #require(try await store.segment(named: "two-orders"))
        #expect(segment.refreshedAt == clock.now())
        #expect(try await !store.isSegmentMember(segment: segment.id, member: 1))

        try await place("O2", "c1")
        #expect(try await follower.tick(lastDailyRun: day) == day)
        #expect(try await store.isSegmentMember(segment: segment.id, member: 1))
    }
}
