import PatronCore

/// What a request will look up, named when it is submitted, so that PostgreSQL's writer reads it for the whole batch
/// in a few statements instead of a few round trips per request.
struct Lookahead: Sendable {
    var idempotencyKeys: [String] = []
    var identities: [Identity] = []
    /// Orders a history import places (`ApplyOptions.history`), which it tells apart from orders already in the store.
    var orderIds: [String] = []
    /// About how many ledger entries the requests will write (their ids are reserved at once).
    var entries = 0

    mutating func add(_ other: Lookahead) {
        idempotencyKeys += other.idempotencyKeys
        identities += other.identities
        orderIds += other.orderIds
        entries += other.entries
    }
}

/// What PostgreSQL's writer knows while it runs a batch without savepoints: what the batch looked up at its start,
/// kept up to date by the batch's own writes, so that most requests need no round trip of their own; their hot rows
/// are held back and sent per kind (`SQLSession.write`). A failed request rolls the whole transaction back (the batch
/// then runs again with savepoints, without any of this), so nothing here has to be undone.
final class PostgresBatch {
    /// Idempotency keys looked up or written in this transaction: the stored fingerprint and outcome, or `nil` when free.
    var idempotency: [ExactText: (fingerprint: Int64, outcome: String)?] = [:]
    /// Orders looked up or placed in this transaction by a history import: their member, or `nil` when absent.
    var orders: [ExactText: Int64?] = [:]
    /// Identities looked up or added in this transaction: their member, or `nil` when nobody has them.
    var members: [ExactText: Int64?] = [:]
    /// Members whose rows this transaction has locked (or inserted).
    var locked: Set<Int64> = []
    /// Ledger entry ids taken from the entries' sequence and not used yet.
    private var entryIds: ArraySlice<Int64> = []

    /// Starts a batch on `db`: looks up its requests' idempotency keys and identities, locks those members in id
    /// order (one lock order for every process's batches, against deadlocks) and reserves entry ids.
    static func start(_ db: SQLSession, _ lookahead: Lookahead) throws {
        let batch = PostgresBatch()
        if !lookahead.idempotencyKeys.isEmpty {
            var keys = PostgresArrayLiteral()
            for key in lookahead.idempotencyKeys {
                keys.append(key)
                batch.idempotency.updateValue(nil, forKey: ExactText(key))
            }
            for row in try db.prepare("SELECT key, fingerprint, outcome FROM idempotency WHERE key = ANY(?::text[])").all(keys.literal, read: {
                ($0.text(0), $0.int(1), $0.text(2))
            }) {
                batch.idempotency[ExactText(row.0)] = (row.1, row.2)
            }
        }
        if !lookahead.orderIds.isEmpty {
            var ids = PostgresArrayLiteral()
            for id in lookahead.orderIds {
                ids.append(id)
                batch.orders.updateValue(nil, forKey: ExactText(id))
            }
            // A join on the list rather than `id = ANY(…)`: on the member-partitioned layout (orders by hash of id) each id
            // then searches its own partition, where `= ANY` searched every partition for every id.
            let orders = try db.prepare("SELECT o.id, o.member_id FROM unnest(?::text[]) AS k(id) JOIN orders o ON o.id = k.id")
            for row in try orders.all(ids.literal, read: { ($0.text(0), $0.int(1)) }) {
                batch.orders[ExactText(row.0)] = row.1
            }
        }
        if !lookahead.identities.isEmpty {
            var kinds = PostgresArrayLiteral()
            var values = PostgresArrayLiteral()
            for identity in lookahead.identities {
                kinds.append(identity.kind)
                values.append(identity.value)
                batch.members.updateValue(nil, forKey: ExactText(identity))
            }
            let found = try db.prepare(
                """
                SELECT i.kind, i.value, i.member_id FROM identities i
                JOIN unnest(?::text[], ?::text[]) AS w(kind, value) ON i.kind = w.kind AND i.value = w.value
                """
            ).all(kinds.literal, values.literal) { ($0.text(0), $0.text(1), $0.int(2)) }
            var ids = PostgresArrayLiteral()
            for (kind, value, member) in found {
                batch.members[ExactText(identityKind: kind, value: value)] = member
                ids.append(member)
            }
            if !found.isEmpty {
                batch.locked = Set(
                    try db.prepare("SELECT id FROM members WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE").all(ids.literal) { $0.int(0) })
            }
        }
        if lookahead.entries > 0 { try batch.reserveEntryIds(db, lookahead.entries) }
        db.batch = batch
    }

    /// A ledger entry id from the entries' sequence, as the column's default would have taken.
    func nextEntryId(_ db: SQLSession) throws -> Int64 {
        if entryIds.isEmpty { try reserveEntryIds(db, 64) }
        return entryIds.removeFirst()
    }

    private func reserveEntryIds(_ db: SQLSession, _ count: Int) throws {
        entryIds = ArraySlice(
            try db.prepare("SELECT nextval(pg_get_serial_sequence('entries', 'id')) FROM generate_series(1, ?)").all(count) { $0.int(0) })
    }
}
