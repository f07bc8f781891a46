import Foundation
import GRDB
import PatronCore
import PatronTestSupport
import Testing

@testable import PatronStore

/// SQLite's v30: the survey job's queue takes over from the index of every completed order.
@Suite struct SurveyQueueMigrationTests {
    @Test func v30QueuesTheLastYearsCompletionsAndDropsTheIndex() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v29: idempotency retention and slimmer ledger rows")
        let day: Int64 = 86_400_000
        let last = 1_000 * day
        try queue.write { db in
            try db.execute(sql: "INSERT INTO members (id, enrolled_at, program_version) VALUES (1, 0, 1)")
            for (order, completed) in [("recent", last), ("a-year-ago", last - 364 * day), ("older", last - 366 * day), ("open", nil)] {
                try db.execute(
                    sql: """
                        INSERT INTO orders (id, member_id, status, placed_at, completed_at, amount, points, base, program_version)
                        VALUES (?, 1, ?, 0, ?, 3000, 30, 3000, 1)
                        """, arguments: [order, completed == nil ? "placed" : "completed", completed])
            }
        }
        try Schema.migrator.migrate(queue)
        let queued = try queue.read { db in try String.fetchAll(db, sql: "SELECT order_id FROM survey_candidates ORDER BY order_id") }
        #expect(queued == ["a-year-ago", "recent"])
        let indexes = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'") }
        #expect(!indexes.contains("orders_by_completion"))
    }
}

/// PostgreSQL's migration 16, the same change as SQLite's v30.
@Suite struct PostgresSurveyQueueMigrationTests {
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: PATRON_TEST_BACKEND=postgres"))
    func migration16QueuesTheLastYearsCompletionsAndDropsTheIndex() async throws {
        let store = try SQLStore.open(TestDatabase.fresh(), clock: SystemClock())
        let backend = try #require(store.backend as? PostgresBackend)
        try await backend.migrate(upTo: 15)
        let day: Int64 = 86_400_000
        let last = 1_000 * day
        _ = try await backend.transaction(on: 0) { db in
            try db.prepare("INSERT INTO members (id, enrolled_at, program_version) VALUES (1, 0, 1)").run()
            for (order, completed) in [("recent", last), ("a-year-ago", last - 364 * day), ("older", last - 366 * day), ("open", nil)] {
                try db.prepare(
                    """
                    INSERT INTO orders (id, member_id, status, placed_at, completed_at, amount, points, base, program_version)
                    VALUES (?, 1, ?, 0, ?, 3000, 30, 3000, 1)
                    """
                ).run(order, completed == nil ? "placed" : "completed", completed)
            }
            return true
        }
        try await store.migrate()
        let (queued, indexes) = try await backend.read { db in
            (try db.prepare("SELECT order_id FROM survey_candidates ORDER BY order_id").all { $0.text(0) },
             try db.prepare("SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()").all { $0.text(0) })
        }
        #expect(queued == ["a-year-ago", "recent"])
        #expect(indexes.contains("orders_by_member") && !indexes.contains("orders_by_completion"))
        await store.close()
    }
}
