import Foundation
import GRDB
import PatronCore
import PatronSQLiteConfig
import Synchronization

/// The embedded default store: one SQLite file through GRDB, in WAL mode with `synchronous=FULL`, so every
/// acknowledged commit survives a crash or a power cut. Writes go through the group-commit writer.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    let writer: GroupCommitWriter
    /// The write path's prepared statements; use only inside `writer` jobs.
    let sql = HotStatements()
    let clock: any Clock
    /// The event kinds webhook subscribers want, read once per writer transaction.
    let subscribedKinds = SubscribedKinds()
    private let programCache = Mutex<ProgramVersion?>(nil)
    /// Whether the writer's current transaction has already checked the program version (see `currentProgram`).
    private let programCheckedInTransaction = Mutex(false)

    /// Opens (creating if needed) the database file at `path`. `maxBatch` 1 disables group commit (the baseline).
    public init(path: String, clock: any Clock, maxBatch: Int = 2_000) throws {
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
            // GRDB opens WAL databases with synchronous=NORMAL, which may lose the last commits on a power cut.
            // Every acknowledged write must survive one, so the writer syncs the WAL on each commit.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Checkpoint the WAL every ~32 MB instead of every 4 MB: busy pages are copied back once, not each time.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            }
        } catch {
            throw PatronError(.storage, "cannot open the database \(path): \(error)")
        }
        writer = GroupCommitWriter(database: pool, statements: sql, maxBatch: maxBatch)
        self.clock = clock
    }

    /// Process-wide SQLite settings, made before the first connection opens (SQLite ignores them afterwards).
    private static let processSettings: Void = {
        // SQLite's memory statistics take a global mutex on every allocation; nothing reads them.
        _ = patron_sqlite_disable_memory_statistics()
    }()

    /// Transactions the writer has committed since the store was opened, for benchmarks.
    public func commitCount() async -> Int { await writer.commits }

    /// The writer's `PRAGMA synchronous` (2 is FULL), for tests that guard durability.
    func writerSynchronousMode() async throws -> Int {
        try await pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous")! }
    }

    public func migrate() async throws {
        try Schema.migrator.migrate(pool)
    }

    // MARK: Programs

    public func loadProgram(_ program: Program, source: String) async throws -> ProgramVersion {
        let now = clock.now()
        let version = try await writer.submit { db -> ProgramVersion in
            if let current = try self.currentProgram(db, writing: true), current.source == source {
                var same = current
                same.isNew = false
                return same
            }
            try db.execute(
                sql: "INSERT INTO program_versions (name, source, loaded_at) VALUES (?, ?, ?)",
                arguments: [program.name, source, now.ms])
            return ProgramVersion(version: Int(db.lastInsertedRowID), program: program, source: source, loadedAt: now, isNew: true)
        }
        // Only once committed: a batch that checks the version next reads it from the database anyway.
        programCache.withLock { $0 = version }
        return version
    }

    public func currentProgram() async throws -> ProgramVersion? {
        try await pool.read { db in try self.currentProgram(db) }
    }

    /// The current program inside a transaction, parsed once per version. On the writer it is looked up once per
    /// transaction (a batch), not once per event: another process may load a new version between batches only.
    func currentProgram(_ db: Database, writing: Bool = false) throws -> ProgramVersion? {
        if writing, programCheckedInTransaction.withLock({ $0 }), let cached = programCache.withLock({ $0 }) { return cached }
        if writing, db.isInsideTransaction {
            programCheckedInTransaction.withLock { $0 = true }
            db.afterNextTransaction { _ in self.programCheckedInTransaction.withLock { $0 = false } } onRollback: { _ in
                self.programCheckedInTransaction.withLock { $0 = false }
            }
        }
        // On the writer, a prepared statement: GRDB compiled this one on every transaction.
        let latest =
            writing
            ? try sql(db, "SELECT max(version) FROM program_versions").one { $0.optionalInt(0) }.flatMap { $0.map(Int.init) }
            : try Int.fetchOne(db, sql: "SELECT max(version) FROM program_versions")
        guard let latest else { return nil }
        if let cached = programCache.withLock({ $0 }), cached.version == latest { return cached }
        let row = try Row.fetchOne(db, sql: "SELECT source, loaded_at FROM program_versions WHERE version = ?", arguments: [latest])!
        let source: String = row["source"]
        let version = ProgramVersion(
            version: latest, program: try ProgramFile.parse(source), source: source, loadedAt: Date(ms: row["loaded_at"]), isNew: false)
        // Readers may see an older snapshot than the writer: only the writer's view goes into the shared cache.
        if writing { programCache.withLock { $0 = version } }
        return version
    }

    /// The current program, or `noProgram`.
    func requireProgram(_ db: Database) throws -> ProgramVersion {
        guard let version = try currentProgram(db, writing: true) else {
            throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE` first")
        }
        return version
    }
}

extension Date {
    /// Milliseconds since 1970 UTC, as stored.
    var ms: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The instant `ms` milliseconds after 1970 UTC.
    init(ms: Int64) { self.init(timeIntervalSince1970: TimeInterval(ms) / 1000) }
}
