import Foundation
import PatronCore
import PatronFiles
import PatronTestSupport
import Synchronization
import Testing

@testable import PatronStore

/// PostgreSQL's writer pays for a batch mostly in round trips to the server: a batch of placed orders for known members
/// takes the same few round trips whatever its size.
@Suite struct PostgresRoundTripTests {
    /// The round trips of one batch of placed orders for known members, in the test's own schema.
    static let batchRoundTrips = 4

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
        let preparedFirst = try await Self.preparedStatements(backend)
        let small = try await roundTrips(ofOrders: 5..<15)
        let large = try await roundTrips(ofOrders: 15..<115)
        #expect(small.count == large.count, "10 orders: \(small.statements); 100 orders: \(large.statements)")
        #expect(large.count <= Self.batchRoundTrips, "\(large.count) round trips: \(large.statements.sorted { $0.key < $1.key })")
        // The start and the held rows were prepared on the writer connection once (the enrolments' daily totals are a
        // set of kinds of their own) by the first batch, and used by the others.
        #expect(preparedFirst.filter { $0.hasPrefix("WITH k AS") }.count == 1, "\(preparedFirst)")
        #expect(preparedFirst.filter { $0.hasPrefix("WITH w0 AS (INSERT INTO idempotency") }.count == 1, "\(preparedFirst)")
        #expect(try await Self.preparedStatements(backend) == preparedFirst)
        #expect(await store.savepointRetries() == 0)
        #expect(try await store.check().isEmpty)
        await store.close()
    }

    /// The statements prepared on writer connection 0, by their text.
    static func preparedStatements(_ backend: PostgresBackend) async throws -> [String] {
        let statements = Mutex<[String]>([])
        _ = try await backend.transaction(on: 0) { db in
            let texts = try db.prepare("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time").all { $0.text(0) }
            statements.withLock { $0 = texts }
            return true
        }
        return statements.withLock { $0 }
    }

    /// The batch's start reads the program's latest version, and the batch uses it without asking again — but only
    /// until the batch itself sends a statement that is not a read: one that loads a version is then seen.
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func theVersionReadAtTheStartServesTheBatchUntilItWrites() async throws {
        let store = try SQLStore.open(TestDatabase.fresh() + "&writers=1", clock: ManualClock(Fixture.start))
        try await store.migrate()
        let source = Fixture.shanghaiProgram
        let first = try await store.loadProgram(try ProgramFile.parse(source), source: source).version
        let backend = try #require(store.backend as? PostgresBackend)
        backend.roundTrips.record()

        let asked = backend.roundTrips.statements["SELECT max(version) FROM program_versions"] ?? 0
        let unwritten = try await store.writer.submit { db in try store.currentProgram(db, writing: true)?.version }
        #expect(unwritten == first)
        #expect(backend.roundTrips.statements["SELECT max(version) FROM program_versions"] ?? 0 == asked, "read again, not from the start")

        let changed = source.replacingOccurrences(of: "name: ", with: "name: Changed ")
        let (loaded, seen) = try await store.writer.submit { db -> (Int64, Int?) in
            let id = try store.sql(db, "INSERT INTO program_versions (name, source, loaded_at) VALUES (?, ?, ?)").insert(
                "changed", changed, Fixture.start.ms, key: "version")
            return (id, try store.currentProgram(db, writing: true)?.version)
        }
        #expect(seen == Int(loaded) && loaded > first, "the batch's own load is seen: \(String(describing: seen)), loaded \(loaded)")
        #expect(backend.roundTrips.statements["SELECT max(version) FROM program_versions"] == asked + 1, "asked again after the write")
        await store.close()
    }

    /// The round trips (and each statement's count) of one call placing one-line orders `(order id, customer)`.
    static func roundTrips(_ store: SQLStore, _ backend: PostgresBackend, placing orders: [(String, String)], at instant: Date, enrolling: Bool = false) async
        -> (count: Int, statements: [String: Int])
    {
        let events = orders.map { id, customer in
            OrderEvent.placed(
                Order(id: id, member: try! .customer(customer), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 1_500)]), at: instant)
        }
        let (before, statementsBefore) = (backend.roundTrips.total, backend.roundTrips.statements)
        let results = await store.apply(events, options: ApplyOptions(enrollUnknownMembers: enrolling))
        #expect(results.allSatisfy { (try? $0.get()) != nil }, "every order is placed")
        let statements = backend.roundTrips.statements.reduce(into: [String: Int]()) { counts, entry in
            let delta = entry.value - (statementsBefore[entry.key] ?? 0)
            if delta > 0 { counts[entry.key] = delta }
        }
        return (backend.roundTrips.total - before, statements)
    }

    /// What an order event's earning rules read about its member — level, first order, each limited rule's uses — is
    /// read for every member of the batch at once (gold-club has a level multiplier, a first-order bonus and two
    /// limited rules; a statement each per event was four, and the held rows went before each): more orders in a
    /// batch add no round trip.
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func theEarningRulesReadTheBatchsMembersOnce() async throws {
        let clock = ManualClock(Fixture.start)
        let store = try SQLStore.open(TestDatabase.fresh() + "&writers=1", clock: clock)
        try await store.migrate()
        let source = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
        _ = try await store.loadProgram(try ProgramFile.parse(source), source: source)
        for customer in 0..<40 { _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("g\(customer)")]), key: nil) }
        let backend = try #require(store.backend as? PostgresBackend)
        backend.roundTrips.record()
        let placedAt = Fixture.start.addingTimeInterval(3_600)

        func roundTrips(ofOrders range: Range<Int>) async -> (count: Int, statements: [String: Int]) {
            await Self.roundTrips(store, backend, placing: range.map { ("G\($0)", "g\($0)") }, at: placedAt)
        }

        _ = await roundTrips(ofOrders: 0..<5)  // the first batch reads what later ones find cached
        let ten = await roundTrips(ofOrders: 5..<15)
        let twenty = await roundTrips(ofOrders: 15..<35)
        #expect(twenty.count == ten.count, "10 orders: \(ten.statements); 20 orders: \(twenty.statements)")
        // Each member twice: their second order reads nothing either, the batch follows what their first one held (an
        // order, a limited rule's use).
        let twice = await Self.roundTrips(store, backend, placing: (75..<95).map { ("G\($0)", "g\($0 % 10)") }, at: placedAt)
        #expect(twice.count == ten.count, "10 orders: \(ten.statements); 10 members twice: \(twice.statements)")
        #expect(twenty.count <= Self.batchRoundTrips + 2, "\(twenty.count) round trips: \(twenty.statements.sorted { $0.key < $1.key })")
        // A new customer's order in the batch enrols them, and only their own writes are added (the member row, the
        // identity, the level and its history, the rows held before them): nothing about a member created here needs
        // reading, and the others' facts read ahead still hold. (The first such batch prepares the statement for the
        // kinds of rows it holds, once per connection: it is not the one measured.)
        _ = await Self.roundTrips(
            store, backend, placing: (100..<120).map { ("G\($0)", $0 == 105 ? "first-new" : "g\($0 % 40)") }, at: placedAt, enrolling: true)
        let known = await Self.roundTrips(store, backend, placing: (35..<55).map { ("G\($0)", "g\($0 % 40)") }, at: placedAt)
        let withNew = await Self.roundTrips(
            store, backend, placing: (55..<75).map { ("G\($0)", $0 == 60 ? "new" : "g\($0 % 40)") }, at: placedAt, enrolling: true)
        let perEnrolment = withNew.count - known.count
        #expect(perEnrolment <= 6, "an enrolment added \(perEnrolment): \(withNew.statements.sorted { $0.key < $1.key })")
        // The statements are counted by their first 60 characters: a member's or the batch's level facts, rule uses.
        let factReads = withNew.statements.filter { $0.key.hasPrefix("SELECT level, level_since") || $0.key.hasPrefix("SELECT member_id, rule, sum(") }
        #expect(factReads.values.reduce(0, +) == 2, "the batch's level facts and rule uses, once each: \(factReads)")
        #expect(try await store.check().isEmpty)
        await store.close()
    }
}
