import Foundation
import PatronCore
import PostgresNIO

/// Where a PostgreSQL database is, from a URL such as `postgres://user:secret@host:5432/patron?schema=shop&pool=8`.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// The schema Patron's tables live in (`search_path`); `public` unless given.
    public var schema: String
    /// Reader connections per process.
    public var poolSize: Int
    /// Writer connections per process, each committing its own group-commit batches; order events are spread over
    /// them by member.
    public var writers: Int
    /// Hash partitions for the tables that grow with every order (`PostgresPartitions`), or nil for plain tables.
    /// Applied by the migration that finds the tables plain; a store once partitioned keeps its count.
    public var partitions: Int?

    /// Reads a `postgres://` or `postgresql://` URL; `schema`, `pool`, `writers` and `partitions` may be given as query
    /// items.
    public init(url text: String) throws {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme?.lowercased() ?? ""),
            let host = url.host, !host.isEmpty
        else {
            throw PatronError(.invalidInput, "a PostgreSQL database is a URL like postgres://user:password@host:5432/name, not '\(text)'")
        }
        self.host = host
        port = url.port ?? 5432
        user = url.user?.removingPercentEncoding ?? "postgres"
        password = url.password?.removingPercentEncoding
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : path
        let items = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { $1 }
        schema = items["schema"] ?? "public"
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw PatronError(.invalidInput, "the schema '\(schema)' in \(text) must be lower-case letters, digits and underscores")
        }
        func connections(_ name: String, _ range: ClosedRange<Int>, default fallback: Int) throws -> Int {
            guard let text = items[name] else { return fallback }
            guard let count = Int(text), range.contains(count) else {
                throw PatronError(.invalidInput, "\(name)=\(text) in the database URL must be a number of connections from \(range.lowerBound) to \(range.upperBound)")
            }
            return count
        }
        poolSize = try connections("pool", 1...256, default: 4)
        // Two writer connections: the writer's batches take turns on them, one running its requests while PostgreSQL
        // commits the other (docs/benchmarks.md, "Two batches side by side").
        writers = try connections("writers", 1...64, default: 2)
        if let text = items["partitions"] {
            guard let count = Int(text), PostgresPartitions.counts.contains(count) else {
                throw PatronError(.invalidInput, "partitions=\(text) in the database URL must be a number of hash partitions from \(PostgresPartitions.counts.lowerBound) to \(PostgresPartitions.counts.upperBound)")
            }
            partitions = count
        }
        if let unknown = items.keys.first(where: { !["schema", "pool", "writers", "partitions"].contains($0) }) {
            throw PatronError(.invalidInput, "unknown setting '\(unknown)' in the database URL; known: schema, pool, writers, partitions")
        }
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The URL without its password, for messages.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?schema=\(schema)&pool=\(poolSize)&writers=\(writers)"
            + (partitions.map { "&partitions=\($0)" } ?? "")
    }

    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }
}
