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
            await Self.roundTrips(store, backend, placing: range.map { ("O\($0)", "c\($0 % 100)") }, at: placedAt)
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

    /// The round trips (and each statement's count) of one call placing one-line orders `(order id, customer)`.
    static func roundTrips(_ store: SQLStore, _ backend: PostgresBackend, placing orders: [(String, String)], at instant: Date) async
        -> (count: Int, statements: [String: Int])
    {
        let events = orders.map { id, customer in
            OrderEvent.placed(
                Order(id: id, member: try! .customer(customer), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 1_500)]), at: instant)
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

    /// What an order event's earning rules read about its member — level, first order, each limited rule's uses — is
    /// two statements whatever the number of limited rules (gold-club has a level multiplier, a first-order bonus and
    /// two limited rules; a statement each was four). With the previous event's held rows, sent before the first read,
    /// an event costs three round trips (it was five).
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func theEarningRulesReadTheirMemberInTwoStatementsPerEvent() async throws {
        let clock = ManualClock(Fixture.start)
        let store = try SQLStore.open(TestDatabase.fresh() + "&writers=1", clock: clock)
        try await store.migrate()
        let source = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
        _ = try await store.loadProgram(try ProgramFile.parse(source), source: source)
        for customer in 0..<40 { _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("g\(customer)")]), key: nil) }
        let backend = try #require(store.backend as? PostgresBackend)
        backend.roundTrips.record()

        func roundTrips(ofOrders range: Range<Int>) async -> (count: Int, statements: [String: Int]) {
            await Self.roundTrips(store, backend, placing: range.map { ("G\($0)", "g\($0)") }, at: Fixture.start.addingTimeInterval(3_600))
        }

        _ = await roundTrips(ofOrders: 0..<5)  // the first batch reads what later ones find cached
        let ten = await roundTrips(ofOrders: 5..<15)
        let twenty = await roundTrips(ofOrders: 15..<35)
        #expect(twenty.count - ten.count == 3 * 10, "10 orders: \(ten.statements); 20 orders: \(twenty.statements)")
        let reads = twenty.statements.filter { $0.key.hasPrefix("SELECT level, level_since") || $0.key.hasPrefix("SELECT rule, sum(") }
        #expect(reads.count == 2 && reads.values.allSatisfy { $0 == 20 }, "\(twenty.statements)")
        #expect(try await store.check().isEmpty)
        await store.close()
    }
}
