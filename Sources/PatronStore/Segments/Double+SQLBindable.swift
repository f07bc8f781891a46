import GRDBSQLite
import PostgresNIO

/// Scores (P(alive), expected purchases, CLV) are doubles: the one place the store binds a floating-point value.
extension Double: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_double(statement, index, self) }
    func append(to bindings: inout PostgresBindings) { bindings.append(self) }
    /// A quoted element of a `double precision[]` literal (PostgreSQL reads quoted numbers in arrays).
    func append(to array: inout PostgresArrayLiteral) { array.append(String(self)) }
}
