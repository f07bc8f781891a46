import Foundation
import GRDBSQLite
import PostgresNIO

/// A prepared statement of either database, run with values bound to its `?` placeholders in order.
///
/// The values are a parameter pack, not `any SQLBindable...`: a variadic list of existentials boxed every value
/// and allocated an array for every statement, which showed on the write path.
struct SQLStatement {
    enum Kind {
        case sqlite(SQLiteStatement)
        case postgres(PostgresStatement)
    }

    private let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// Runs an INSERT, UPDATE or DELETE and returns how many rows it changed.
    @discardableResult
    func run<each V: SQLBindable>(_ values: repeat each V) throws -> Int {
        switch kind {
        case .sqlite(let statement): try statement.run(repeat each values)
        case .postgres(let statement): try statement.run(repeat each values)
        }
    }

    /// Runs an INSERT and returns the integer key the database gave the new row (its `key` column).
    ///
    /// SQLite reads its last rowid: `RETURNING` there runs the insert into a temporary table first, which cost more
    /// than the insert. PostgreSQL appends `RETURNING key`.
    func insert<each V: SQLBindable>(_ values: repeat each V, key: String = "id") throws -> Int64 {
        switch kind {
        case .sqlite(let statement): try statement.insert(repeat each values)
        case .postgres(let statement): try statement.returning(key).all(repeat each values, limit: 1) { $0.int(0) }[0]
        }
    }

    /// The first row, read by `read`, or `nil`.
    func one<each V: SQLBindable, T>(_ values: repeat each V, read: (Columns) throws -> T) throws -> T? {
        switch kind {
        case .sqlite(let statement): try statement.one(repeat each values, read: read)
        case .postgres(let statement): try statement.all(repeat each values, limit: 1, read: read).first
        }
    }

    /// Every row, each read by `read`.
    func all<each V: SQLBindable, T>(_ values: repeat each V, read: (Columns) throws -> T) throws -> [T] {
        switch kind {
        case .sqlite(let statement): try statement.all(repeat each values, read: read)
        case .postgres(let statement): try statement.all(repeat each values, limit: nil, read: read)
        }
    }
}

extension SQLStatement {
    /// Reads every row with `body`, keeping none: for a pass that sums as it goes.
    func forEachRow<each V: SQLBindable>(_ values: repeat each V, read body: (Columns) throws -> Void) throws {
        _ = try all(repeat each values, read: body)
    }
}

/// A value either database can bind.
protocol SQLBindable {
    /// Binds the value to parameter `index` (1-based) of a SQLite statement.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
    /// Appends the value to a PostgreSQL query's bindings.
    func append(to bindings: inout PostgresBindings)
    /// Appends the value to a column of rows held for a set-based statement (`HeldWrites`).
    func append(to array: inout PostgresArrayLiteral)
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Int64: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
    func append(to bindings: inout PostgresBindings) { bindings.append(self) }
    func append(to array: inout PostgresArrayLiteral) { array.append(self) }
}

extension Int: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
    func append(to bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
    func append(to array: inout PostgresArrayLiteral) { array.append(Int64(self)) }
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
    func append(to bindings: inout PostgresBindings) { bindings.append(self) }
    func append(to array: inout PostgresArrayLiteral) { array.append(self) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .some(let value): value.append(to: &bindings)
        case .none: bindings.appendNull()
        }
    }
    func append(to array: inout PostgresArrayLiteral) {
        switch self {
        case .some(let value): value.append(to: &array)
        case .none: array.appendNull()
        }
    }
}

/// The columns of the current row, read by position.
struct Columns {
    enum Source {
        case sqlite(OpaquePointer)
        case postgres([SQLValue])
    }

    let source: Source

    /// An integer column (0 for NULL).
    func int(_ index: Int32) -> Int64 {
        if case .sqlite(let handle) = source { return sqlite3_column_int64(handle, index) }
        return optionalInt(index) ?? 0
    }

    /// An integer column that may be NULL.
    func optionalInt(_ index: Int32) -> Int64? {
        switch source {
        case .sqlite(let handle): sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
        case .postgres(let values):
            switch values[Int(index)] {
            case .int(let value): value
            case .real(let value): Int64(value)
            case .text(let text): Int64(text)
            case .null: nil
            }
        }
    }

    /// A floating-point column.
    func double(_ index: Int32) -> Double { optionalDouble(index) ?? 0 }

    /// A floating-point column that may be NULL.
    func optionalDouble(_ index: Int32) -> Double? {
        switch source {
        case .sqlite(let handle): sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_double(handle, index)
        case .postgres(let values):
            switch values[Int(index)] {
            case .int(let value): Double(value)
            case .real(let value): value
            case .text(let text): Double(text)
            case .null: nil
            }
        }
    }

    /// A text column.
    func text(_ index: Int32) -> String { optionalText(index) ?? "" }

    /// A text column that may be NULL.
    func optionalText(_ index: Int32) -> String? {
        switch source {
        case .sqlite(let handle): sqlite3_column_text(handle, index).map { String(cString: $0) }
        case .postgres(let values):
            switch values[Int(index)] {
            case .text(let text): text
            case .int(let value): String(value)
            case .real(let value): String(value)
            case .null: nil
            }
        }
    }
}

/// A column value as read from PostgreSQL.
enum SQLValue: Sendable {
    case int(Int64)
    case real(Double)
    case text(String)
    case null
}
