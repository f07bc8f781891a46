import Foundation
import GRDB
import GRDBSQLite

/// Statements of the write path, prepared once on the writer connection and run through SQLite's C API.
///
/// GRDB's general-purpose statement API boxes every argument and looks statements up by their SQL text; on the write
/// path, at a dozen statements per order event, that overhead was larger than SQLite's own work. Readers take their
/// statements from GRDB's cache; migrations use GRDB. Statements are keyed by the address of their `StaticString`, so
/// a lookup hashes no text.
final class HotStatements: @unchecked Sendable {
    // @unchecked: only the writer connection uses it, and GRDB runs every writer access on one serial queue;
    // `lock` guards the dictionary anyway, since it is cheap.
    private let lock = NSLock()
    private var statements: [UnsafeRawPointer: Statement] = [:]
    private var connection: ObjectIdentifier?

    /// The prepared statement for `sql` on `db`.
    func callAsFunction(_ db: Database, _ sql: StaticString) throws -> SQLiteStatement {
        let key = UnsafeRawPointer(sql.utf8Start)
        lock.lock()
        defer { lock.unlock() }
        if connection != ObjectIdentifier(db) {
            statements = [:]
            connection = ObjectIdentifier(db)
        }
        if let statement = statements[key] { return SQLiteStatement(statement) }
        let statement = try db.makeStatement(sql: sql.description)
        statements[key] = statement
        return SQLiteStatement(statement)
    }
}

/// A SQLite statement run through SQLite's C API.
struct SQLiteStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ statement: Statement) { self.statement = statement }

    /// Runs an INSERT, UPDATE or DELETE and returns how many rows it changed.
    func run<each V: SQLBindable>(_ values: repeat each V) throws -> Int {
        try bind(repeat each values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
        return Int(sqlite3_changes(sqlite3_db_handle(handle)))
    }

    /// Runs an INSERT and returns the new row's rowid.
    func insert<each V: SQLBindable>(_ values: repeat each V) throws -> Int64 {
        _ = try run(repeat each values)
        return sqlite3_last_insert_rowid(sqlite3_db_handle(handle))
    }

    /// The first row, read by `read`, or `nil`.
    func one<each V: SQLBindable, T>(_ values: repeat each V, read: (Columns) throws -> T) throws -> T? {
        try bind(repeat each values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw error(code) }
        return try read(Columns(source: .sqlite(handle)))
    }

    /// Every row, each read by `read`.
    func all<each V: SQLBindable, T>(_ values: repeat each V, read: (Columns) throws -> T) throws -> [T] {
        try bind(repeat each values)
        defer { sqlite3_reset(handle) }
        var rows: [T] = []
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw error(code) }
            rows.append(try read(Columns(source: .sqlite(handle))))
        }
    }

    private func bind<each V: SQLBindable>(_ values: repeat each V) throws {
        // Statements are reset after each run.
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            let code = value.bind(to: handle, at: index)
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(sqlite3_db_handle(handle))), message: message, sql: statement.sql)
    }
}
