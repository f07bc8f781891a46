import ArgumentParser
import Foundation
import PatronCore
import PatronStore

/// Options every command that touches the database shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The SQLite database file (created if missing), or a PostgreSQL URL: postgres://user:password@host:5432/name?schema=public&pool=4&writers=4. Also PATRON_DATABASE."
    )
    var database: String = ProcessInfo.processInfo.environment["PATRON_DATABASE"] ?? "patron.sqlite"

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

    /// Opens the store and brings its schema up to date.
    func open(maxBatch: Int = 2_000) async throws -> SQLStore {
        let store = try SQLStore.open(database, clock: try clock(), maxBatch: maxBatch)
        try await store.migrate()
        return store
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

/// Who the audit log says ran a command: `cli:` and the login name.
func commandLineActor() -> String {
    let environment = ProcessInfo.processInfo.environment
    return "cli:" + (environment["USER"] ?? environment["LOGNAME"] ?? "unknown")
}
