import Foundation

/// Where tests keep their data: SQLite files, or PostgreSQL schemas when `PATRON_TEST_BACKEND=postgres`.
public enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment

    /// Whether the suites run on PostgreSQL.
    public static var isPostgres: Bool { environment["PATRON_TEST_BACKEND"] == "postgres" }

    /// Whether the PostgreSQL suites run on the partitioned layout.
    public static var isPartitioned: Bool { isPostgres && partitions != nil }

    /// `PATRON_TEST_POSTGRES_PARTITIONS`, when set and not empty.
    static var partitions: String? { environment["PATRON_TEST_POSTGRES_PARTITIONS"].flatMap { $0.isEmpty ? nil : $0 } }

    /// A new, empty database: a SQLite file path or a PostgreSQL URL with a schema of its own.
    public static func fresh() -> String {
        let name = "t_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        guard isPostgres else { return FileManager.default.temporaryDirectory.appendingPathComponent("patron-\(name).sqlite").path }
        guard let url = environment["PATRON_TEST_POSTGRES_URL"] else {
            fatalError("PATRON_TEST_BACKEND=postgres needs PATRON_TEST_POSTGRES_URL (scripts/test sets both)")
        }
        // PATRON_TEST_POSTGRES_PARTITIONS=N runs the suites on the partitioned layout (PostgresPartitions).
        return "\(url)?schema=\(name)&pool=2&writers=2\(partitions.map { "&partitions=\($0)" } ?? "")"
    }
}
