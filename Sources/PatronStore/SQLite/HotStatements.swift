import Foundation
import GRDB
import GRDBSQLite

/// Statements of the write path, prepared once on the writer connection and run through SQLite's C API.
///
/// GRDB's general-purpose statement API boxes every argument and looks statements up by their SQL text; on the write
/// path, at a dozen statements per order event, that overhead was larger than SQLite's own work. Reads and migrations
/// keep using GRDB. Statements are keyed by the address of their `StaticString`, so a lookup hashes no text.
final class HotStatements: @unchecked Sendable {
    // @unchecked: only the writer connection uses it, and GRDB runs every writer access on one serial queue;
    // `lock` guards the dictionary anyway, since it is cheap.
    private let lock = NSLock()
    private var statements: [UnsafeRawPointer: Statement] = [:]
    private var connection: ObjectIdentifier?

    /// The prepared statement for `sql` on `db`.
    func callAsFunction(_ db: Database, _ sql: StaticString) throws -> HotStatement {
        let key = UnsafeRawPointer(sql.utf8Start)
        lock.lock()
        defer { lock.unlock() }
        if connection != ObjectIdentifier(db) {
            statements = [:]
            connection = ObjectIdentifier(db)
        }
        if let statement = statements[key] { return HotStatement(statement) }
        let statement = try db.makeStatement(sql: sql.description)
        statements[key] = statement
        return HotStatement(statement)
    }
}

extension HotStatements {
    /// Runs `body` in a savepoint inside the current transaction: released on success, rolled back on error.
    ///
    /// GRDB's `inSavepoint` compiles its SAVEPOINT statements on every call; at one savepoint per request that cost
    /// more than the request. Nothing observes GRDB's transactions here, so prepared statements do the same.
    func inSavepoint<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try self(db, "SAVEPOINT request").run()
        do {
            let value = try body()
            try self(db, "RELEASE SAVEPOINT request").run()
            return value
        } catch {
            try self(db, "ROLLBACK TO SAVEPOINT request").run()
            try self(db, "RELEASE SAVEPOINT request").run()
            throw error
        }
    }
}

/// A value SQLite can bind.
protocol SQLBindable {
    /// Binds the value to parameter `index` (1-based) of `statement`.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Int64: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension String: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        // `withUTF8` reads a native string in place, with its length: passing `self` as a C string made a
        // NUL-terminated copy of it first, and SQLite then measured it.
        if isEmpty { return sqlite3_bind_text(statement, index, "", 0, transient) }
        var text = self
        return text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}

/// One run of a hot statement.
struct HotStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    fileprivate init(_ statement: Statement) { self.statement = statement }

    /// Runs an INSERT, UPDATE or DELETE.
    ///
    /// The values are a parameter pack, not `any SQLBindable...`: a variadic list of existentials boxed every value
    /// and allocated an array for every statement.
    func run<each V: SQLBindable>(_ values: repeat each V) throws {
        try bind(repeat each values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
    }

    /// The first row, read by `read`, or `nil`.
    func one<each V: SQLBindable, T>(_ values: repeat each V, read: (Columns) throws -> T) throws -> T? {
        try bind(repeat each values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw error(code) }
        return try read(Columns(handle: handle))
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
            rows.append(try read(Columns(handle: handle)))
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

/// The columns of the current row.
struct Columns {
    fileprivate let handle: OpaquePointer

    /// An integer column.
    func int(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// An integer column that may be NULL.
    func optionalInt(_ index: Int32) -> Int64? { sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : int(index) }

    /// A text column.
    func text(_ index: Int32) -> String { optionalText(index) ?? "" }

    /// A text column that may be NULL.
    func optionalText(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: pointer)
    }
}
