import Foundation
import PatronCore

/// What keeps several processes on one PostgreSQL database correct. On SQLite one writer connection serializes every
/// change, so these take nothing there. On PostgreSQL (read committed):
/// - a change that reads a member's balances, limits or streaks first locks the member's row; two members are
///   locked in id order;
/// - an order read for a change is locked, so no process writes back a stale copy;
/// - a background job takes a transaction-scoped advisory lock, so one process runs it at a time; the next run
///   sees what the last one committed, so each activation, expiry or gift happens once.
/// A deadlock or serialization failure rolls the batch back, and the writer runs it again.
extension SQLStore {
    /// Locks one or two members' rows until the transaction ends, lowest id first.
    func lockMembers(_ db: SQLSession, _ first: Int64, _ second: Int64? = nil) throws {
        guard db.isPostgres else { return }
        for id in Set([first, second ?? first]).sorted() where db.batch?.locked.contains(id) != true {
            try sql(db, "SELECT id FROM members WHERE id = ? FOR UPDATE").run(id)
            db.batch?.locked.insert(id)
        }
    }

    /// Locks one or two members about to change (as `lockMembers`) and refuses an erased one with `memberErased`: an
    /// erased member's points, level and profile stay as they were. Every change a member asks for (an adjustment, a
    /// redemption or its reversal, a transfer on either side, an activity, a level override, a profile update) starts
    /// here.
    func lockChangeable(_ db: SQLSession, _ first: Int64, _ second: Int64? = nil) throws {
        try lockMembers(db, first, second)
        for id in [first, second].compactMap({ $0 }) {
            if let erasedAt = try erasedAt(db, member: id) {
                throw PatronError(
                    .memberErased, "member \(id) was erased at \(erasedAt); an erased member's points, level and profile no longer change")
            }
        }
    }

    /// When member `id` was erased, or `nil` (never erased, or no such member).
    func erasedAt(_ db: SQLSession, member id: Int64) throws -> Date? {
        let row = try sql(db, "SELECT erased_at FROM members WHERE id = ?").one(id) { $0.optionalInt(0) }
        guard case let ms?? = row else { return nil }
        return Date(ms: ms)
    }

    /// Takes the lease of background job `name` for this transaction: `false` when another process holds it.
    func leaseJob(_ db: SQLSession, _ name: String) throws -> Bool {
        guard case .postgres(let session) = db.connection else { return true }
        return try sql(db, "SELECT pg_try_advisory_xact_lock(?)").one(Self.lockKey("job:\(name)", session)) { $0.int(0) == 1 } ?? false
    }

    /// Waits for the lock named `name` until the transaction ends (a reward's stock).
    func lock(_ db: SQLSession, _ name: String) throws {
        guard case .postgres(let session) = db.connection else { return }
        try sql(db, "SELECT pg_advisory_xact_lock(?)").run(Self.lockKey(name, session))
    }

    /// Advisory locks are per database: the key names the schema too.
    private static func lockKey(_ name: String, _ session: PostgresSession) -> Int64 {
        Int64(bitPattern: Fingerprint.of("patron:\(session.schema):\(name)"))
    }
}
