import GRDB
import PatronCore

/// Members by identity as SQLite's writer last found them, so that an order event need not look its customer up
/// (a tenth of the writer's work per event). An entry is trusted only while no other connection (another process)
/// has committed since (`PRAGMA data_version`); what a transaction learns counts once it commits; erasing identities
/// forgets everything.
final class KnownMembers: @unchecked Sendable {
    // @unchecked: only the writer connection's serial queue touches it.
    private var committed: [ExactText: Int64] = [:]
    private var added: [ExactText: Int64] = [:]
    private var dataVersion: Int64?
    /// Beyond this many identities the map starts again, so a large shop's memory stays bounded.
    private let capacity = 200_000

    /// Starts a transaction: forgets everything if another connection committed since the last one.
    func begin(_ db: Database) throws {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
        if version != dataVersion {
            committed.removeAll()
            dataVersion = version
        }
        added.removeAll()
    }

    func member(_ identity: Identity) -> Int64? {
        let key = ExactText(identity)
        return added[key] ?? committed[key]
    }

    func remember(_ identity: Identity, member: Int64) { added[ExactText(identity)] = member }

    /// Forgets what the current transaction (or a rolled-back part of it) learnt.
    func forgetUncommitted() { added.removeAll() }

    /// Forgets everything: identities were removed.
    func forgetAll() {
        committed.removeAll()
        added.removeAll()
    }

    /// The transaction committed: what it learnt holds.
    func commit() {
        if committed.count + added.count > capacity { committed.removeAll() }
        committed.merge(added) { $1 }
        added.removeAll()
    }
}
