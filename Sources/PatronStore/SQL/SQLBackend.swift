import Foundation

/// What the store's logic needs from a database: transactions on the one writer connection, reads, and the schema.
protocol SQLBackend: Sendable {
    /// Creates or upgrades the schema.
    func migrate() async throws
    /// Runs `body` in one transaction on the writer connection: committed when it returns `true`, rolled back when
    /// it returns `false` or throws. Returns what `body` returned.
    func transaction(_ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool
    /// Runs `body` on a reader connection, in one consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T
}
