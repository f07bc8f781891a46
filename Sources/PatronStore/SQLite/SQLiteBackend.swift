import Foundation
import GRDB
import GRDBSQLite
import PatronCore
import PatronSQLiteConfig
import Synchronization

/// The embedded default database: one SQLite file through GRDB, in WAL mode; every acknowledged commit survives a
/// crash or a power cut. With group commit the WAL is synced after each commit, off the writer's thread, before its
/// callers are answered (`WALSync`); otherwise inside each COMMIT (`synchronous=FULL`).
final class SQLiteBackend: SQLBackend {
    let pool: DatabasePool
    /// Read-only connections of their own for `lookup`, which reads on the caller's thread. GRDB's asynchronous reads
    /// keep their reader while they wait for one of Swift's few threads to resume them, so lookups that held those
    /// threads waiting for the same readers would wait forever (seen: the server stopped answering under load).
    private let lookupPool: DatabasePool
    /// The writer's prepared statements.
    private let statements = HotStatements()
    /// The writer's members by identity.
    private let knownMembers = KnownMembers()
    /// Syncs the WAL after commits; `nil` when COMMIT syncs it itself.
    private let walSync: WALSync?

    /// Opens (creating if needed) the database file at `path`. `syncAfterCommit` lets the writer start its next
    /// batch while the last one's commit is synced (`WALSync`); without it each COMMIT waits for the disk.
    init(path: String, syncAfterCommit: Bool = true) throws {
        _ = Self.processSettings
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Room for the write path's allocations: its prepared statements alone fill SQLite's default 100 slots,
            // and every row then went to malloc. 1,000 slots of 1,200 bytes is 1.2 MB per connection.
            _ = patron_sqlite_set_lookaside(UnsafeMutableRawPointer(db.sqliteConnection), 1_200, 1_000)
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // A large page cache keeps a batch's pages in memory until its one commit.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // Savepoint journals stay in memory: one per event, they would otherwise be written to a temporary file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // synchronous=NORMAL (GRDB's default for WAL) alone may lose the last commits on a power cut: then
            // `WALSync` syncs the WAL after each commit, before anyone is told of it.
            walSync = try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(syncAfterCommit ? "NORMAL" : "FULL")")
                // Checkpoint the WAL every ~32 MB instead of every 4 MB: busy pages are copied back once, not each time.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
                // The WAL as SQLite names it: next to the database file after any symbolic link is resolved.
                guard syncAfterCommit else { return nil }
                guard let name = sqlite3_db_filename(db.sqliteConnection, "main"), let wal = sqlite3_filename_wal(name) else {
                    throw PatronError(.storage, "SQLite did not name the WAL file of \(path)")
                }
                return WALSync(walPath: String(cString: wal))
            }
            var lookupConfiguration = configuration
            lookupConfiguration.readonly = true
            // One reader for each of Swift's threads: a lookup then never waits for another's reader.
            lookupConfiguration.maximumReaderCount = max(5, ProcessInfo.processInfo.activeProcessorCount)
            lookupPool = try DatabasePool(path: path, configuration: lookupConfiguration)
        } catch {
            throw PatronError(.storage, "cannot open the database \(path): \(error)")
        }
    }

    /// Process-wide SQLite settings, made before the first connection opens (SQLite ignores them afterwards).
    private static let processSettings: Void = {
        // SQLite's memory statistics take a global mutex on every allocation; only a diagnosis reads them.
        if !SQLiteMemory.counted { _ = patron_sqlite_disable_memory_statistics() }
    }()

    func migrate() async throws {
        try Schema.migrator.migrate(pool)
        // A migration may rewrite identities, and commits outside the group-commit writer.
        try await pool.writeWithoutTransaction { [knownMembers, walSync] _ in
            knownMembers.forgetAll()
            walSync?.committed()
        }
        try await waitUntilDurable()
    }

    var writerCount: Int { 1 }

    func transaction(on writer: Int, _ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool {
        let statements = self.statements
        let known = knownMembers
        return try await pool.writeWithoutTransaction { db in
            var committed = false
            do {
                try db.inTransaction(.immediate) {
                    try known.begin(db)
                    let session = SQLSession(.sqlite(db, statements))
                    session.knownMembers = known
                    committed = try body(session)
                    return committed ? .commit : .rollback
                }
            } catch {
                known.forgetUncommitted()
                throw error
            }
            if committed {
                walSync?.committed()
                known.commit()
            } else {
                known.forgetUncommitted()
            }
            return committed
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        try await pool.read { db in try body(SQLSession(.sqlite(db, nil))) }
    }

    /// GRDB's synchronous read on `lookupPool`: a reader's idle serial queue runs the body on this thread. Awaiting
    /// `read` instead hops to GRDB's queues and back, about three thread switches a read, which under load cost a
    /// member read more CPU than the read and its answer (Benchmarks/api/cpu.sh).
    func lookup<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        try readOnThisThread(body)
    }

    /// Synchronous, so that `read` is GRDB's blocking read rather than its asynchronous one.
    private func readOnThisThread<T>(_ body: (SQLSession) throws -> T) throws -> T {
        try lookupPool.read { db in try body(SQLSession(.sqlite(db, nil))) }
    }

    /// Both reads begin on the writer's queue, between two commits, so they see the same last commit (GRDB's
    /// `asyncConcurrentRead` returns once its reader's snapshot is taken); then they run side by side.
    func readTogether<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable (SQLSession) throws -> A, _ second: @escaping @Sendable (SQLSession) throws -> B
    ) async throws -> (A, B) {
        let pool = self.pool
        return try await withCheckedThrowingContinuation { continuation in
            let results = Mutex<(Result<A, Error>?, Result<B, Error>?)>((nil, nil))
            @Sendable func finish(_ update: (inout (Result<A, Error>?, Result<B, Error>?)) -> Void) {
                let both = results.withLock { results -> Result<(A, B), Error>? in
                    update(&results)
                    guard let a = results.0, let b = results.1 else { return nil }
                    return Result { (try a.get(), try b.get()) }
                }
                if let both { continuation.resume(with: both) }
            }
            pool.asyncWriteWithoutTransaction { _ in
                pool.asyncConcurrentRead { db in
                    let value = Result { try first(SQLSession(.sqlite(try db.get(), nil))) }
                    finish { $0.0 = value }
                }
                pool.asyncConcurrentRead { db in
                    let value = Result { try second(SQLSession(.sqlite(try db.get(), nil))) }
                    finish { $0.1 = value }
                }
            }
        }
    }

    func waitUntilDurable() async throws {
        try await walSync?.sync()
    }

    /// The writer's `PRAGMA synchronous` (1 is NORMAL, 2 FULL), for tests that guard durability.
    func writerSynchronousMode() async throws -> Int {
        try await pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous")! }
    }

    /// How many times the WAL was synced after commits (`nil` when each COMMIT syncs it).
    func walSyncs() -> Int? { walSync?.completedSyncs() }
}
