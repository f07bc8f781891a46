import Foundation
import PatronCore
import PatronTestSupport
import Testing

@testable import PatronStore

/// The member-partitioned layout (`?partitions=N`, `PostgresPartitions`): a store with history keeps every row and
/// every rule through the rebuild, and goes on working. (`scripts/test` also runs the whole store suite on it.)
@Suite struct PostgresPartitionTests {
    static let program = Fixture.shanghaiProgram + "\npointsAsPayment: { points: 100, per: \"1.00\", maxPercent: 50 }"

    /// Welcome points, then orders paid partly with them, completed, partly returned, activated and expired: rows in
    /// entries, lots, allocations and orders.
    static func history(_ f: Fixture, customers: Int) async throws -> [Int64] {
        var members: [Int64] = []
        for customer in 0..<customers {
            let member = try await f.member("p\(customer)")
            members.append(member.id)
            _ = try await f.store.adjust(Adjustment(memberId: member.id, points: 3_000, reason: "welcome", actor: "t", key: "w\(customer)", at: f.day(0)))
            var paid = f.order("P\(customer)", "p\(customer)", [10_000, 10_000])
            paid.pointsUsed = 2_000
            try await f.apply(.placed(paid, at: f.day(1)))
            try await f.apply(.completed("P\(customer)", at: f.day(2)))
            try await f.apply(.returned("P\(customer)", lines: [ReturnedLine(lineId: "1", quantity: 1)], at: f.day(3), id: "R\(customer)"))
        }
        f.clock.set(f.day(40))
        try await f.jobs()
        return members
    }

    @Test(.enabled(if: TestDatabase.isPostgres && !TestDatabase.isPartitioned, "needs PostgreSQL on the plain layout"))
    func aStoreWithHistoryIsPartitionedWithEveryRowAndKey() async throws {
        let f = try await Fixture(program: Self.program)
        let members = try await Self.history(f, customers: 12)
        var statements: [AccountStatement] = []
        for member in members { statements.append(try await f.store.statement(member: member, entries: 100)) }
        let totals = try await f.store.totals()
        await f.store.close()

        let store = try SQLStore.open(f.path + "&partitions=4", clock: f.clock)
        try await store.migrate()
        let counts = try await store.backend.read { try PostgresPartitions.partitionCounts($0) }
        #expect(counts == Dictionary(uniqueKeysWithValues: PostgresPartitions.tables.map { ($0.key, 4) }))
        #expect(try await store.check().isEmpty)
        #expect(try await store.totals() == totals)
        for (member, before) in zip(members, statements) {
            let after = try await store.statement(member: member, entries: 100)
            #expect(after.member == before.member && after.entries == before.entries && after.lots == before.lots)
        }
        // Members spread over the partitions, each member's ledger in one of them.
        let spread = try await store.backend.read { db in
            try db.prepare(dynamic: "SELECT count(DISTINCT p), max(n) FROM (SELECT min(tableoid::bigint) AS p, count(DISTINCT tableoid) AS n FROM entries GROUP BY member_id) e")
                .one { ($0.int(0), $0.int(1)) }
        }
        #expect(spread?.0 ?? 0 > 1 && spread?.1 == 1, "\(String(describing: spread))")

        // New rows continue the identities, and the foreign keys hold across partitions.
        let lastEntry = try #require(statements.flatMap(\.entries).map(\.id).max())
        let outcome = try await store.apply([.placed(f.order("N1", "p0", [5_000]), at: f.day(41))], options: ApplyOptions())[0].get()
        let newEntry = try #require(try await store.statement(member: outcome.memberId, entries: 1).entries.first)
        #expect(newEntry.id > lastEntry)
        await #expect(throws: (any Error).self) {
            _ = try await store.backend.transaction(on: 0) { db in
                _ = try db.prepare(dynamic: "INSERT INTO lots (id, member_id, points, remaining) VALUES (\(newEntry.id), \(members[1]), 1, 1)").run()
                return true
            }
        }
        #expect(try await store.check().isEmpty)
        await store.close()

        // A partitioned store keeps its count: another is refused, naming both; leaving the setting out is fine.
        let other = try SQLStore.open(f.path + "&partitions=8", clock: f.clock)
        await #expect {
            try await other.migrate()
        } throws: { error in
            let message = (error as? PatronError)?.message ?? ""
            return message.contains("into 4") && message.contains("partitions=8")
        }
        await other.close()
        let plain = try SQLStore.open(f.path, clock: f.clock)
        try await plain.migrate()
        #expect(try await plain.check().isEmpty)
        await plain.close()
    }
}
