import Foundation
import PatronCore
import PatronFiles
import Synchronization

/// The store: every use case of `Store` written once, in SQL that SQLite and PostgreSQL both run. Writes go
/// through the group-commit writer; the backend supplies the connections.
public final class SQLStore: Store {
    let backend: any SQLBackend
    /// The group-commit writer every write goes through; its batches take turns on the backend's writer connections.
    let writer: GroupCommitWriter
    let clock: any Clock
    /// The newest program version parsed, shared by every transaction, reader or writer (parsing is costly; a version
    /// never changes once written, so a cached version is right for as long as it is the newest).
    private let programCache = Mutex<ProgramVersion?>(nil)
    /// How many times a program's text was parsed, for tests that prove the cache is used.
    let programParses = Atomic<Int>(0)

    init(backend: any SQLBackend, clock: any Clock, maxBatch: Int) {
        self.backend = backend
        self.writer = GroupCommitWriter(backend: backend, connections: backend.writerCount, maxBatch: maxBatch)
        self.clock = clock
    }

    /// Opens (creating if needed) the SQLite database file at `path`. `maxBatch` 1 disables group commit (the
    /// baseline).
    public convenience init(path: String, clock: any Clock, maxBatch: Int = 2_000) throws {
        // One commit per request (the benchmarks' baseline) is SQLite's plain durable commit: it syncs inside COMMIT.
        self.init(backend: try SQLiteBackend(path: path, syncAfterCommit: maxBatch > 1), clock: clock, maxBatch: maxBatch)
    }

    /// Opens the PostgreSQL database at `location`; several processes may share it.
    public convenience init(postgres location: PostgresLocation, clock: any Clock, maxBatch: Int = 2_000) {
        self.init(backend: PostgresBackend(location: location), clock: clock, maxBatch: maxBatch)
    }

    /// Opens `database`: a `postgres://` URL, or else the path of a SQLite file.
    public static func open(_ database: String, clock: any Clock, maxBatch: Int = 2_000) throws -> SQLStore {
        PostgresLocation.isPostgres(database)
            ? SQLStore(postgres: try PostgresLocation(url: database), clock: clock, maxBatch: maxBatch)
            : try SQLStore(path: database, clock: clock, maxBatch: maxBatch)
    }

    /// Closes the database's connections (PostgreSQL's; SQLite's close with the store).
    public func close() async {
        await (backend as? PostgresBackend)?.close()
    }

    /// Drops a PostgreSQL schema and everything in it, for benchmarks that measure in a schema of their own.
    public func dropSchema(_ name: String) async throws {
        guard name.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw PatronError(.invalidInput, "'\(name)' is not a schema name")
        }
        _ = try await backend.transaction(on: 0) { db in
            try db.prepare(dynamic: "DROP SCHEMA IF EXISTS \(name) CASCADE").run()
            return true
        }
    }

    /// Transactions the writer has committed since the store was opened, for benchmarks.
    public func commitCount() async -> Int {
        await writer.commits
    }

    /// Batches that ran again with savepoints because a request failed (or, on PostgreSQL, lost a race).
    func savepointRetries() async -> Int {
        await writer.retries
    }

    /// Whether every commit is on disk before it is acknowledged, for tests that guard durability: SQLite's writer
    /// writes the WAL at every commit and every acknowledged batch was synced after it (`WALSync`); PostgreSQL flushes
    /// its WAL (`synchronous_commit=on`).
    func commitsAreDurable() async throws -> Bool {
        if let sqlite = backend as? SQLiteBackend {
            let commits = await commitCount()
            guard let syncs = sqlite.walSyncs() else { return try await sqlite.writerSynchronousMode() == 2 }
            return try await sqlite.writerSynchronousMode() == 1 && syncs >= commits
        }
        return try await backend.read { db in
            try self.sql(db, "SELECT current_setting('synchronous_commit'), current_setting('fsync')").one { ($0.text(0), $0.text(1)) }
                .map { $0 == ("on", "on") } ?? false
        }
    }

    public func migrate() async throws {
        try await backend.migrate()
        // A database that had members before the kept aggregates existed gets them counted once.
        let needsCount = try await backend.read { db in
            try self.sql(db, "SELECT (SELECT count(*) FROM daily_totals), (SELECT count(*) FROM members)").one { $0.int(0) == 0 && $0.int(1) > 0 } ?? false
        }
        if needsCount { try await rebuildDailyTotals() }
    }

    /// The prepared statement for `text` in `db`: the one way the logic runs SQL.
    func sql(_ db: SQLSession, _ text: StaticString) throws -> SQLStatement {
        try db.prepare(text)
    }

    /// The prepared statement for `text`, with the row-lock clause `lock` (if any) on PostgreSQL.
    func sql(_ db: SQLSession, _ text: StaticString, postgresLock lock: StaticString?) throws -> SQLStatement {
        try db.prepare(text, postgresLock: lock)
    }

    // MARK: Programs

    public func loadProgram(_ program: Program, source: String) async throws -> ProgramVersion {
        let now = clock.now()
        let version = try await writer.submit { db -> ProgramVersion in
            // A message trigger's segment must exist (or be defined in the file's own segments: section).
            if program.messages?.triggers.contains(where: { $0.segment != nil }) == true {
                try ProgramFile.checkSegments(source, stored: Set(try self.sql(db, "SELECT name FROM segments").all { $0.text(0) }))
            }
            if let current = try self.currentProgram(db, writing: true), current.source == source {
                var same = current
                same.isNew = false
                return same
            }
            let id = try self.sql(db, "INSERT INTO program_versions (name, source, loaded_at) VALUES (?, ?, ?)").insert(
                program.name, source, now.ms, key: "version")
            return ProgramVersion(version: Int(id), program: program, source: source, loadedAt: now, isNew: true)
        }
        // Only once committed: a batch that checks the version next reads it from the database anyway.
        remember(version)
        return version
    }

    public func currentProgram() async throws -> ProgramVersion? {
        try await backend.lookup { db in try self.currentProgram(db) }
    }

    /// Keeps `version` as the cached one unless a newer one is cached already: a reader whose snapshot predates a
    /// load (or another process's load) must not put an older version back.
    private func remember(_ version: ProgramVersion) {
        programCache.withLock { cached in
            if cached.map({ $0.version <= version.version }) ?? true { cached = version }
        }
    }

    /// The cached version if it is version `number` (a version never changes once written, so it needs no check).
    func cachedProgram(_ number: Int) -> ProgramVersion? {
        programCache.withLock { cached in cached.flatMap { $0.version == number ? $0 : nil } }
    }

    /// The current program inside a transaction, parsed once per version by whichever transaction meets it first. The
    /// version id is read every time (one indexed lookup), so a version loaded by this process or another is seen by
    /// the next read. On the writer it is looked up once per transaction (a batch), not once per event: another
    /// process may load a new version between batches only.
    func currentProgram(_ db: SQLSession, writing: Bool = false) throws -> ProgramVersion? {
        if writing, let checked = db.program { return checked }
        let read = writing ? db.batch?.latestProgram(db) : nil
        guard let latest = try read ?? sql(db, "SELECT max(version) FROM program_versions").one(read: { $0.optionalInt(0) }) ?? nil else {
            return nil
        }
        let cached = programCache.withLock { $0 }
        let version: ProgramVersion
        if let cached, cached.version == latest {
            version = cached
        } else {
            let row = try sql(db, "SELECT source, loaded_at FROM program_versions WHERE version = ?").one(latest) { ($0.text(0), $0.int(1)) }!
            programParses.add(1, ordering: .relaxed)
            version = ProgramVersion(
                version: Int(latest), program: try ProgramFile.parse(row.0), source: row.0, loadedAt: Date(ms: row.1), isNew: false)
            remember(version)
        }
        if writing { db.program = version }
        return version
    }

    /// The current program, or `noProgram`.
    func requireProgram(_ db: SQLSession) throws -> ProgramVersion {
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
