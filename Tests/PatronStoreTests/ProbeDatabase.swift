import Foundation

@testable import PatronStore

/// A SQLite backend on a temporary file with one table, `probe`, of one row: for tests of how reads see commits.
struct ProbeDatabase {
    let path = NSTemporaryDirectory() + "patron-probe-\(UUID().uuidString).sqlite"
    let sqlite: SQLiteBackend

    /// How many rows `probe` has, read in the session given.
    static let count: @Sendable (SQLSession) throws -> Int64 = { db in
        try db.prepare(dynamic: "SELECT count(*) FROM probe").one { $0.int(0) } ?? -1
    }

    init() async throws {
        sqlite = try SQLiteBackend(path: path)
        _ = try await sqlite.transaction(on: 0) { db in
            try db.prepare(dynamic: "CREATE TABLE probe (x INTEGER)").run()
            try db.prepare(dynamic: "INSERT INTO probe VALUES (1)").run()
            return true
        }
    }

    /// Commits one more row.
    func insert(_ x: Int) async throws {
        _ = try await sqlite.transaction(on: 0) { db in
            try db.prepare(dynamic: "INSERT INTO probe VALUES (\(x))").run()
            return true
        }
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
