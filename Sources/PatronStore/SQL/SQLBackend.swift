import Foundation

/// What the store's logic needs from a database: transactions on writer connections, reads, and the schema.
protocol SQLBackend: Sendable {
    /// How many writer connections run batches side by side: SQLite has one writer, PostgreSQL may have several.
    var writerCount: Int { get }
    /// Creates or upgrades the schema.
    func migrate() async throws
    /// Runs `body` in one transaction on writer connection `writer`: committed when it returns `true`, rolled back
    /// when it returns `false` or throws. Returns what `body` returned.
    func transaction(on writer: Int, _ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool
    /// Returns once every transaction committed so far is on disk (a commit itself may return earlier).
    func waitUntilDurable() async throws
    /// Runs `body` on a reader connection, in one consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T
    /// As `read`, for a few rows found by key (a member, their statement, a quote's inputs) that the API's hot paths
    /// ask for: where the database answers such a read faster than a hop to another thread and back (SQLite), it runs
    /// on the calling thread. Never for a scan: that would hold one of the few threads every request shares.
    func lookup<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T
    /// Runs `first` and `second` in one consistent snapshot: side by side on two reader connections where the
    /// database can share a snapshot between them, one after the other in one read otherwise.
    func readTogether<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable (SQLSession) throws -> A, _ second: @escaping @Sendable (SQLSession) throws -> B
    ) async throws -> (A, B)
}

extension SQLBackend {
    func lookup<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        try await read(body)
    }

    func readTogether<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable (SQLSession) throws -> A, _ second: @escaping @Sendable (SQLSession) throws -> B
    ) async throws -> (A, B) {
        try await read { db in (try first(db), try second(db)) }
    }
}
