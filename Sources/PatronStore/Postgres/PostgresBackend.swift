import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PatronCore
import PostgresNIO
import Synchronization

/// PostgreSQL through PostgresNIO, for shops that outgrow one machine: several processes may share the database.
/// Each process has a few writer connections (its group-commit batches take turns on them) and reader connections. The store's
/// logic is synchronous, so each connection runs its work on its own thread and waits for the query futures there,
/// never on an event loop.
final class PostgresBackend: SQLBackend {
    private let location: PostgresLocation
    private let logger = Logger(label: "patron.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    private let writers: [PostgresWorker]
    private let readers: PostgresWorkerPool
    /// The statements this backend's connections sent and waited for, each a round trip to the server.
    let roundTrips = RoundTrips()

    init(location: PostgresLocation) {
        self.location = location
        let logger = self.logger
        let roundTrips = self.roundTrips
        writers = (0..<location.writers).map {
            PostgresWorker(
                location: location, logger: logger, label: "patron.postgres.writer\($0)", roundTrips: roundTrips, settings: Self.writerSettings)
        }
        readers = PostgresWorkerPool(
            (0..<location.poolSize).map { PostgresWorker(location: location, logger: logger, label: "patron.postgres.reader\($0)", roundTrips: roundTrips) })
    }

    /// The writers plan every statement for any values (generic plans). Their statements look rows up by key or by a
    /// batch's list of keys, whose best plan does not depend on the values; planned for the values at hand (the
    /// default for PostgresNIO's unnamed statements), a small or not yet analyzed table — a new store, a shop's first
    /// members, a fresh partition — got sequential scans that grew slower with every dead row: 3 ms a batch to lock 32
    /// members of 2,000 instead of 0.2. `patron bench ingest`, 64 callers on one writer: about 3,600 → 5,600 events/s
    /// (docs/benchmarks.md). Readers keep the default: their analytics may gain from plans for their values.
    static let writerSettings = ["SET plan_cache_mode = force_generic_plan"]

    var writerCount: Int { writers.count }

    /// A COMMIT returns once PostgreSQL has flushed it (`synchronous_commit=on`).
    func waitUntilDurable() async throws {}

    func migrate() async throws { try await migrate(upTo: PostgresSchema.migrations.count) }

    /// Applies the migrations up to `version` (tests of one migration start from the one before).
    func migrate(upTo version: Int) async throws {
        try await writers[0].run { session in
            try PostgresSchema.migrate(session, schema: self.location.schema, upTo: version, partitions: self.location.partitions)
        }
    }

    func transaction(on writer: Int, _ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool {
        try await writers[writer].run { session in try session.transaction(committing: { $0 }, body) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        let worker = await readers.take()
        defer { Task { await readers.give(worker) } }
        // One snapshot for every statement of the read, as SQLite's readers have.
        return try await worker.run { session in try session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body) }
    }

    /// Closes every connection.
    func close() async {
        for writer in writers { await writer.close() }
        for worker in await readers.all { await worker.close() }
    }
}

/// One connection and the thread its synchronous work runs on. It connects on first use, and again after the
/// connection was lost.
final class PostgresWorker: Sendable {
    private let location: PostgresLocation
    private let logger: Logger
    private let queue: DispatchQueue
    private let roundTrips: RoundTrips
    /// Statements run on every new connection after the schema's `search_path`.
    private let settings: [String]
    // Touched only on `queue`.
    private let session = Mutex<PostgresSession?>(nil)

    init(location: PostgresLocation, logger: Logger, label: String, roundTrips: RoundTrips, settings: [String] = []) {
        self.location = location
        self.logger = logger
        self.roundTrips = roundTrips
        self.settings = settings
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on this connection's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(try self.connected()) }.mapError(Self.naming))
            }
        }
    }

    /// A lost connection or a server that is shutting down or starting becomes `unavailable` (503 over HTTP, the
    /// next use connects again); every other error stays as it is.
    private static func naming(_ error: any Error) -> any Error {
        guard !(error is PatronError), SQLFailure(error) == .unavailable else { return error }
        return PatronError(.unavailable, "PostgreSQL cannot be reached: \(error)")
    }

    private func connected() throws -> PostgresSession {
        if let session = session.withLock({ $0 }), !session.connection.isClosed { return session }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: location.configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw PatronError(.unavailable, "cannot connect to \(location): \(String(reflecting: error))")
        }
        let fresh = PostgresSession(connection, schema: location.schema, logger: logger, roundTrips: roundTrips)
        _ = try fresh.execute("SET search_path TO \(location.schema)", PostgresBindings())
        // Held rows are sent as array literals whose unquoted NULL means NULL only with this on (the default).
        _ = try fresh.execute("SET array_nulls = on", PostgresBindings())
        for setting in settings { _ = try fresh.execute(setting, PostgresBindings()) }
        session.withLock { $0 = fresh }
        return fresh
    }

    func close() async {
        guard let session = session.withLock({ $0 }) else { return }
        try? await session.connection.close()
    }
}

/// Reader connections, each lent to one read at a time.
actor PostgresWorkerPool {
    let all: [PostgresWorker]
    private var idle: [PostgresWorker]
    private var waiting: [CheckedContinuation<PostgresWorker, Never>] = []

    init(_ workers: [PostgresWorker]) {
        all = workers
        idle = workers
    }

    func take() async -> PostgresWorker {
        if let worker = idle.popLast() { return worker }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func give(_ worker: PostgresWorker) {
        if waiting.isEmpty { idle.append(worker) } else { waiting.removeFirst().resume(returning: worker) }
    }
}

/// Counts the statements sent to PostgreSQL and waited for (each a round trip), and, while `recording`, how many of
/// each statement by its first words: the writer's cost per batch is mostly its round trips.
final class RoundTrips: Sendable {
    private let count = Atomic<Int>(0)
    private let recording = Atomic<Bool>(false)
    private let byStatement = Mutex<[String: Int]>([:])

    /// Round trips so far.
    var total: Int { count.load(ordering: .relaxed) }

    /// Starts keeping the statements' first words too (off by default: it costs a lock per statement).
    func record() { recording.store(true, ordering: .relaxed) }

    /// Round trips per statement since `record()`, by the statement's first 60 characters.
    var statements: [String: Int] { byStatement.withLock { $0 } }

    func add(_ sql: String) {
        count.add(1, ordering: .relaxed)
        guard recording.load(ordering: .relaxed) else { return }
        let head = String(sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ").prefix(60))
        byStatement.withLock { $0[head, default: 0] += 1 }
    }
}
