import Foundation
import GRDB
import PatronCore
import Synchronization

/// The embedded default store: one SQLite file through GRDB, in WAL mode with `synchronous=FULL`, so every
/// acknowledged commit survives a crash or a power cut. Writes go through the group-commit writer.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    let writer: GroupCommitWriter
    let clock: any Clock
    private let programCache = Mutex<ProgramVersion?>(nil)

    /// Opens (creating if needed) the database file at `path`. `maxBatch` 1 disables group commit (the baseline).
    public init(path: String, clock: any Clock, maxBatch: Int = 2_000) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw PatronError(.storage, "cannot open the database \(path): \(error)")
        }
        writer = GroupCommitWriter(database: pool, maxBatch: maxBatch)
        self.clock = clock
    }

    public func migrate() async throws {
        try Schema.migrator.migrate(pool)
    }

    // MARK: Programs

    public func loadProgram(_ program: Program, source: String) async throws -> ProgramVersion {
        let now = clock.now()
        let version = try await writer.submit { db -> ProgramVersion in
            if let current = try self.currentProgram(db), current.source == source {
                var same = current
                same.isNew = false
                return same
            }
            try db.execute(
                sql: "INSERT INTO program_versions (name, source, loaded_at) VALUES (?, ?, ?)",
                arguments: [program.name, source, now.ms])
            return ProgramVersion(version: Int(db.lastInsertedRowID), program: program, source: source, loadedAt: now, isNew: true)
        }
        programCache.withLock { $0 = version }
        return version
    }

    public func currentProgram() async throws -> ProgramVersion? {
        try await pool.read { db in try self.currentProgram(db) }
    }

    /// The current program inside a transaction, parsed once per version.
    func currentProgram(_ db: Database) throws -> ProgramVersion? {
        guard let latest = try Int.fetchOne(db.cachedStatement(sql: "SELECT max(version) FROM program_versions")) else { return nil }
        if let cached = programCache.withLock({ $0 }), cached.version == latest { return cached }
        let row = try Row.fetchOne(db, sql: "SELECT source, loaded_at FROM program_versions WHERE version = ?", arguments: [latest])!
        let source: String = row["source"]
        let version = ProgramVersion(
            version: latest, program: try ProgramFile.parse(source), source: source, loadedAt: Date(ms: row["loaded_at"]), isNew: false)
        programCache.withLock { $0 = version }
        return version
    }

    /// The current program, or `noProgram`.
    func requireProgram(_ db: Database) throws -> ProgramVersion {
        guard let version = try currentProgram(db) else {
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

extension Database {
    /// Runs a statement that GRDB prepares once and caches.
    func run(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
