import Foundation
import GRDB
import PatronCore
import PatronTestSupport
import Synchronization
import Testing

@testable import PatronStore

/// A database that cannot take requests for a while — PostgreSQL unreachable or restarting, a lost connection, a full
/// disk — is `unavailable` (503 over HTTP, "send again"), not an internal error, and Patron serves again once it is
/// back, without a restart.
@Suite struct UnavailableDatabaseTests {
    @Test func anUnreachablePostgreSQLIsUnavailableForReadsAndWrites() async throws {
        // Port 1 on loopback: nothing listens there, so every connection is refused at once.
        let store = SQLStore(postgres: try PostgresLocation(url: "postgres://patron@127.0.0.1:1/none"), clock: ManualClock(Date()))
        defer { Task { await store.close() } }
        await #expect { try await store.ping() } throws: { ($0 as? PatronError)?.code == .unavailable }
        await #expect {
            try await store.enroll(EnrollmentRequest(identities: [try Identity.customer("c1")]), key: nil)
        } throws: { ($0 as? PatronError)?.code == .unavailable }
    }

    @Test func aFullDiskRefusesTheBatchAsUnavailableAndTheNextOneCommits() async throws {
        let path = NSTemporaryDirectory() + "patron-full-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let sqlite = try SQLiteBackend(path: path, syncAfterCommit: false)
        try await sqlite.migrate()
        let backend = FillingBackend(committing: sqlite)
        let writer = GroupCommitWriter(backend: backend)
        let work: @Sendable (SQLSession) throws -> Int = { db in
            try db.prepare("INSERT INTO audit_log (at, actor, action, subject) VALUES (0, 'test', 'full-disk', 'test')").run()
        }
        await #expect { try await writer.submit(work) } throws: { ($0 as? PatronError)?.code == .unavailable }
        // Space came back: the writer is not broken (unlike after a failed sync) and the same write now commits.
        backend.full.withLock { $0 = false }
        #expect(try await writer.submit(work) == 1)
    }

    @Test func aLostPostgreSQLConnectionIsReplacedOnTheNextRequest() async throws {
        guard TestDatabase.isPostgres else { return }
        let fixture = try await Fixture()
        let store = fixture.store
        _ = try await fixture.member("before")
        // End the server process of each of the store's writer connections, as a PostgreSQL restart would: each
        // asks for its own end, so the statement itself finds its connection gone.
        for writer in 0..<store.backend.writerCount {
            await #expect {
                try await store.backend.transaction(on: writer) { db in
                    _ = try db.prepare("SELECT pg_terminate_backend(pg_backend_pid())").one { $0.int(0) }
                    return true
                }
            } throws: { ($0 as? PatronError)?.code == .unavailable }
        }
        var lastError: (any Error)?
        var enrolled = false
        // The first request may find its connection gone (unavailable); one after it connects again.
        for attempt in 0..<3 where !enrolled {
            do {
                _ = try await fixture.member("after-\(attempt)")
                enrolled = true
            } catch let error as PatronError where error.code == .unavailable {
                lastError = error
            }
        }
        #expect(enrolled, "no write succeeded after the connection was lost: \(String(describing: lastError))")
        try await store.ping()
    }
}

/// A backend whose transactions fail with SQLite's "database or disk is full" while `full` is set.
private final class FillingBackend: SQLBackend, Sendable {
    let committing: SQLiteBackend
    let full = Mutex(true)
    init(committing: SQLiteBackend) { self.committing = committing }
    var writerCount: Int { 1 }
    func migrate() async throws { try await committing.migrate() }
    func transaction(on writer: Int, _ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool {
        if full.withLock({ $0 }) { throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full") }
        return try await committing.transaction(on: writer, body)
    }
    func waitUntilDurable() async throws { try await committing.waitUntilDurable() }
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T { try await committing.read(body) }
}
