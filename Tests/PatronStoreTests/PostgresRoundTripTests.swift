import Foundation
import PatronCore
import PatronFiles
import PatronTestSupport
import Testing

@testable import PatronStore

/// PostgreSQL's writer pays for a batch mostly in round trips to the server: a batch of placed orders for known members
/// takes the same few round trips whatever its size.
@Suite struct PostgresRoundTripTests {
    /// The round trips of one batch of placed orders for known members, in the test's own schema.
    static let batchRoundTrips = 10

    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func aBatchOfPlacedOrdersTakesTheSameFewRoundTripsWhateverItsSize() async throws {
        let clock = ManualClock(Fixture.start)
        // One writer connection, so that one call is one batch in one transaction.
        let store = try SQLStore.open(TestDatabase.fresh() + "&writers=1", clock: clock)
        try await store.migrate()
        let source = Fixture.shanghaiProgram
        _ = try await store.loadProgram(try ProgramFile.parse(source), source: source)
        for customer in 0..<100 { _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("c\(customer)")]), key: nil) }
        let backend = try #require(store.backend as? PostgresBackend)
        backend.roundTrips.record()
        let placedAt = Fixture.start.addingTimeInterval(3_600)

        func roundTrips(ofOrders range: Range<Int>) async throws -> (count: Int, statements: [String: Int]) {
            let events = range.map { index in
                OrderEvent.placed(
                    Order(id: "O\(index)", member: try! .customer("c\(index % 100)"), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 1_500)]),
                    at: placedAt)
            }
            let (before, statementsBefore) = (backend.roundTrips.total, backend.roundTrips.statements)
            let results = await store.apply(events, options: ApplyOptions())
            #expect(results.allSatisfy { (try? $0.get()) != nil }, "every order is placed")
            let statements = backend.roundTrips.statements.reduce(into: [String: Int]()) { counts, entry in
                let delta = entry.value - (statementsBefore[entry.key] ?? 0)
                if delta > 0 { counts[entry.key] = delta }
            }
            return (backend.roundTrips.total - before, statements)
        }

        _ = try await roundTrips(ofOrders: 0..<5)  // the first batch reads what later ones find cached
        let small = try await roundTrips(ofOrders: 5..<15)
        let large = try await roundTrips(ofOrders: 15..<115)
        #expect(small.count == large.count, "10 orders: \(small.statements); 100 orders: \(large.statements)")
        #expect(large.count <= Self.batchRoundTrips, "\(large.count) round trips: \(large.statements.sorted { $0.key < $1.key })")
        #expect(await store.savepointRetries() == 0)
        #expect(try await store.check().isEmpty)
        await store.close()
    }
}
