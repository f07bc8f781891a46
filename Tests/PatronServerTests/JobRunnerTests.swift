import Foundation
import PatronCore
import PatronServer
import PatronStore
import Testing

@Suite struct JobRunnerTests {
    @Test func runningTheJobsTwiceChangesNothingTheSecondTime() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)
        let program = cdnowProgram.replacingOccurrences(of: "expiry: never", with: "expiry: { afterDays: 10 }")
        let store = try await temporaryStore(program, clock: clock)
        let order = Order(id: "O1", member: try .customer("c1"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        _ = await store.apply([.placed(order, at: clock.now()), .completed("O1", at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))
        let jobs = JobRunner(store: store, clock: clock)
        clock.advance(days: 31)
        let first = try await jobs.runOnce()
        #expect(first.activated == JobReport(items: 1, points: 50))
        #expect(first.expired == JobReport(items: 0, points: 0))
        clock.advance(days: 11)
        let second = try await jobs.runOnce()
        #expect(second.activated.items == 0)
        #expect(second.expired == JobReport(items: 1, points: 50))
        let third = try await jobs.runOnce()
        #expect(third.activated.items == 0 && third.expired.items == 0)
        #expect(try await store.check().isEmpty)
    }
}
