import ArgumentParser
import Foundation
import PatronCore
import PatronStore

/// Options every command that touches the database shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: "The SQLite database file, or a PostgreSQL URL: postgres://user:password@host:5432/name?schema=public&pool=4&writers=2 (default: PATRON_DATABASE, else patron.sqlite). Only migrate, program load, import and serve --create make a missing SQLite file."
    )
    var databaseOption: String?

    /// The database: `--database`, else `PATRON_DATABASE`, else `patron.sqlite`. (Help never shows the variable's
    /// value, which may hold a password.)
    var database: String { databaseOption ?? ProcessInfo.processInfo.environment["PATRON_DATABASE"] ?? "patron.sqlite" }

    @Option(name: .long, help: ArgumentHelp("Pretend it is this instant (ISO 8601), for replays and tests.", visibility: .hidden))
    var now: String?

    /// The database as messages name it: a PostgreSQL URL without its password.
    var databaseName: String {
        PostgresLocation.isPostgres(database) ? ((try? PostgresLocation(url: database))?.description ?? "PostgreSQL") : database
    }

    /// The clock: the system's, or a fixed instant.
    func clock() throws -> any Clock {
        guard let now else { return SystemClock() }
        guard let date = ISO8601DateFormatter().date(from: now), OrderEvent.acceptedTimes.contains(date) else {
            throw ValidationError("--now: '\(now)' is not an ISO 8601 instant such as 2026-01-31T12:00:00Z")
        }
        return ManualClock(date)
    }

    /// Opens the store and brings its schema up to date. A missing SQLite file is refused (naming it) unless `create`
    /// is true: only the commands that make a database (migrate, program load, import, serve --create) pass it, so a
    /// mistyped `--database` never yields a new, empty database that "passes".
    func open(maxBatch: Int = 2_000, create: Bool = false) async throws -> SQLStore {
        if !create { try Self.requireExisting(database) }
        let store = try SQLStore.open(database, clock: try clock(), maxBatch: maxBatch)
        try await store.migrate()
        return store
    }
}

extension StoreOptions {
    /// Refuses a SQLite file that does not exist (PostgreSQL URLs and in-memory databases pass).
    static func requireExisting(_ database: String) throws {
        guard !PostgresLocation.isPostgres(database), database != ":memory:", !database.hasPrefix("file:") else { return }
        guard FileManager.default.fileExists(atPath: database) else {
            throw PatronError(
                .notFound,
                "--database: no database at '\(database)'; check the path, or create it with `patron migrate --database \(database)`")
        }
    }
}

/// Prints a `PatronError` plainly and exits with status 1, instead of a stack of Swift names.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as PatronError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}

/// Encodes a value as pretty, key-sorted JSON.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Who the audit log and the ledger say made a change: `--actor`, or else `cli:` and the login name.
struct ActorOption: ParsableArguments {
    @Option(help: "Who is making the change, as the audit log (and the ledger, for points) records it (default: cli: and the login name from USER or LOGNAME; refused when neither is set).")
    var actor: String?

    /// The actor; refused when neither `--actor` nor a login name is known, so no change is recorded as by nobody.
    func resolve() throws -> String {
        try ActorOption.resolve(actor, environment: ProcessInfo.processInfo.environment)
    }

    /// The actor from an explicit value or the environment's USER or LOGNAME.
    static func resolve(_ explicit: String?, environment: [String: String]) throws -> String {
        if let explicit {
            guard !explicit.trimmingCharacters(in: .whitespaces).isEmpty else { throw PatronError(.invalidInput, "--actor must not be empty") }
            return explicit
        }
        for name in ["USER", "LOGNAME"] {
            if let login = environment[name]?.trimmingCharacters(in: .whitespaces), !login.isEmpty { return "cli:" + login }
        }
        throw PatronError(.invalidInput, "--actor is required: neither USER nor LOGNAME names who is running this command")
    }
}
