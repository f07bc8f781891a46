import Foundation
import Logging
import PatronCore
@testable import PatronServer
import PatronStore
import Testing

@Suite struct JobSchedulerTests {
    @Test func dailyJobsRunOncePerLocalDayOfTheProgram() async throws {
        // 2026-03-01 23:30 in New York is 04:30 UTC on the 2nd.
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T04:30:00Z")!)
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let order = Order(id: "O1", member: try .customer("c1"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        _ = await store.apply([.placed(order, at: clock.now()), .completed("O1", at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))
        let scheduler = JobScheduler(store: store, clock: clock, interval: .seconds(60), logger: Logger(label: "test"))

        let first = try await scheduler.tick(lastDailyRun: nil)
        #expect(first == LocalDate(year: 2026, month: 3, day: 1))
        clock.advance(seconds: 20 * 60)  // 23:50 local: the same day, the daily jobs wait
        #expect(try await scheduler.tick(lastDailyRun: first) == first)
        clock.advance(seconds: 20 * 60)  // 00:10 local on the 2nd
        #expect(try await scheduler.tick(lastDailyRun: first) == LocalDate(year: 2026, month: 3, day: 2))

        // Activation runs on every tick: 30 days on, the order's points are active.
        clock.advance(days: 31)
        _ = try await scheduler.tick(lastDailyRun: nil)
        let member = try #require(try await store.member(identity: try .customer("c1")))
        #expect(member.balances.active == 50 && member.balances.pending == 0)
    }
}
