import Foundation
import GRDBSQLite

/// SQLite's own heap in this process — page caches, prepared statements, lookaside — to tell it from the rest of a
/// server's memory (docs/reliability.md, "Soak"). SQLite counts it only with its memory statistics on, which take a
/// process-wide mutex on every allocation, so they are off unless the process starts with
/// `PATRON_SQLITE_MEMORY_STATISTICS=1`; then `/metrics` shows `patron_sqlite_memory_bytes`.
public enum SQLiteMemory {
    /// Whether SQLite counts its memory in this process (read once, before the first connection opens).
    public static let counted = ProcessInfo.processInfo.environment["PATRON_SQLITE_MEMORY_STATISTICS"] == "1"

    /// The bytes SQLite holds now, or nil when it does not count them.
    public static func bytes() -> Int64? {
        counted ? sqlite3_memory_used() : nil
    }

    /// The Prometheus lines of `bytes`, or nothing when SQLite does not count them.
    public static func prometheusText(bytes: Int64? = bytes()) -> String {
        guard let bytes else { return "" }
        return """
            # HELP patron_sqlite_memory_bytes Bytes SQLite holds in this process (page caches, statements, lookaside).
            # TYPE patron_sqlite_memory_bytes gauge
            patron_sqlite_memory_bytes \(bytes)

            """
    }
}
