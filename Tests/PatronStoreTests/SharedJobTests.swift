import Foundation
import PatronCore
import Testing

@testable import PatronStore

/// Two processes (two stores on one database, each with its own writers) run the same jobs at the same moment: every
/// activation and every expiry happens once. On PostgreSQL the jobs are leased; on SQLite the write lock serializes.
@Suite struct SharedJobTests {
    @Test func activationAndExpiryRunTwiceAtOnceHappenOnce() async throws {
        let f = try await Fixture()
        let orders = 150
        let events = (0..<orders).flatMap { index in
            let order = f.order("O\(index)", "c\(index % 40)", [Int64(100 * (index + 1))])
            return [OrderEvent.placed(order, at: f.day(0)), .completed(order.id, at: f.day(1))]
        }
        for result in await f.store.apply(events, options: ApplyOptions(enrollUnknownMembers: true)) { _ = try result.get() }
        let earned = (1...orders).reduce(Int64(0)) { $0 + Int64($1) }  // 1 point per 1.00
        let other = try SQLStore.open(f.path, clock: f.clock)

        // Both run activation after the pending week, then expiry after the lots' 30 days.
        async let first = f.store.runActivation(asOf: f.day(9))
        async let second = other.runActivation(asOf: f.day(9))
        let activated = try await [first, second]
        #expect(activated.map(\.items).reduce(0, +) == orders)
        #expect(activated.map(\.points).reduce(0, +) == earned)
        #expect(try await f.store.totals().active == earned)

        async let firstExpiry = f.store.runExpiry(asOf: f.day(60))
        async let secondExpiry = other.runExpiry(asOf: f.day(60))
        let expired = try await [firstExpiry, secondExpiry]
        #expect(expired.map(\.points).reduce(0, +) == earned)
        let totals = try await f.store.totals()
        #expect(totals.active == 0 && totals.expired == earned)
        #expect(try await f.store.check().isEmpty)
    }
}
