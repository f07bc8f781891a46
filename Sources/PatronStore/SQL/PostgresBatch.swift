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
/// are held back and sent in one statement (`SQLSession.write`). A failed request rolls the whole transaction back (the batch
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
    /// Members an event of this batch has changed in ways the batch does not follow (a completion, a return, a
    /// cancellation): what was read ahead about them may be stale. A placed order and a rule's use it follows.
    var applied: Set<Int64> = []
    /// The program's latest version when the batch started, and the session's count of non-reads then.
    private var programVersion: Int64?
    private var startedAfter = 0
    /// What the earning rules read about the locked members, read for all of them by the first event that needs it.
    private var earningFacts: EarningFactsAhead?

    /// Starts a batch on `db` in one statement (`startSQL`): looks up its requests' idempotency keys, placed orders and
    /// identities, locks those members in id order (one lock order for every process's batches, against deadlocks),
    /// reserves entry ids, and reads what every writer transaction reads once (the program's version, the webhook kinds
    /// subscribed to, whether a campaign acts on orders).
    static func start(_ db: SQLSession, _ lookahead: Lookahead) throws {
        let batch = PostgresBatch()
        var keys = PostgresArrayLiteral()
        for key in lookahead.idempotencyKeys {
            keys.append(key)
            batch.idempotency.updateValue(nil, forKey: ExactText(key))
        }
        var orderIds = PostgresArrayLiteral()
        for id in lookahead.orderIds {
            orderIds.append(id)
            batch.orders.updateValue(nil, forKey: ExactText(id))
        }
        var kinds = PostgresArrayLiteral()
        var values = PostgresArrayLiteral()
        for identity in lookahead.identities {
            kinds.append(identity.kind)
            values.append(identity.value)
            batch.members.updateValue(nil, forKey: ExactText(identity))
        }
        var webhookKinds: Set<WebhookEventKind> = []
        var entryIds: [Int64] = []
        guard case .postgres(let session) = db.connection else { preconditionFailure("a PostgreSQL batch on SQLite") }
        try session.everyBatch(startSQL, [keys.literal, orderIds.literal, kinds.literal, values.literal, String(lookahead.entries)]) { row in
            switch row.text(0) {
            case "key": batch.idempotency[ExactText(row.text(1))] = (row.int(3), row.text(2))
            case "order": batch.orders[ExactText(row.text(1))] = row.int(3)
            case "identity": batch.members[ExactText(identityKind: row.text(1), value: row.text(2))] = row.int(3)
            case "locked": batch.locked.insert(row.int(3))
            case "entry": entryIds.append(row.int(3))
            case "webhook": if let kind = WebhookEventKind(rawValue: row.text(1)) { webhookKinds.insert(kind) }
            case "program": batch.programVersion = row.optionalInt(3)
            case "campaigns": db.runsOrderCampaigns = row.int(3) > 0
            default: break
            }
        }
        batch.entryIds = ArraySlice(entryIds)
        db.subscribedKinds = webhookKinds
        batch.startedAfter = session.nonReadsSent
        db.batch = batch
    }

    /// The batch's start, each part a `WITH` (the members' lock in id order, `FOR UPDATE`, after the identities that
    /// name them), its rows told apart by their first column. The orders are joined on the list rather than `id =
    /// ANY(…)`: on the member-partitioned layout (orders by hash of id) each id then searches its own partition. The
    /// once-a-transaction reads are those of `SQLStore.subscribedKinds`, `currentProgram` and `programWithCampaigns`.
    /// Prepared on each writer connection, and planned again about once a second (`PostgresSession.everyBatch`).
    private static let startSQL: StaticString = """
        WITH k AS (SELECT key, fingerprint, outcome FROM idempotency WHERE key = ANY(?::text[])),
        o AS (SELECT o.id, o.member_id FROM unnest(?::text[]) AS k(id) JOIN orders o ON o.id = k.id),
        i AS (
            SELECT i.kind, i.value, i.member_id FROM identities i
            JOIN unnest(?::text[], ?::text[]) AS w(kind, value) ON i.kind = w.kind AND i.value = w.value
        ),
        l AS (SELECT id FROM members WHERE id = ANY(ARRAY(SELECT member_id FROM i)) ORDER BY id FOR UPDATE)
        SELECT 'key', key, outcome, fingerprint FROM k
        UNION ALL SELECT 'order', id, NULL, member_id FROM o
        UNION ALL SELECT 'identity', kind, value, member_id FROM i
        UNION ALL SELECT 'locked', NULL, NULL, id FROM l
        UNION ALL SELECT 'entry', NULL, NULL, nextval(pg_get_serial_sequence('entries', 'id')) FROM generate_series(1, ?::bigint)
        UNION ALL SELECT DISTINCT 'webhook', e.kind, NULL, 0::bigint FROM webhook_subscription_events e
            JOIN webhook_subscriptions s ON s.id = e.subscription_id WHERE s.active = 1
        UNION ALL SELECT 'program', NULL, NULL, max(version) FROM program_versions
        UNION ALL SELECT 'campaigns', NULL, NULL, count(*) FROM (
            SELECT 1 FROM marketing_campaigns WHERE status = 'running' AND order_kind IS NOT NULL LIMIT 1
        ) c
        """

    /// The program's latest version as the batch's start read it (`.some(nil)`: none is loaded), or `nil` once a
    /// statement of the batch other than a read may have loaded another.
    func latestProgram(_ db: SQLSession) -> Int64?? {
        guard case .postgres(let session) = db.connection, session.nonReadsSent == startedAfter else { return nil }
        return .some(programVersion)
    }

    /// What the earning rules need about `member` around `window`'s day, from one read for every member the
    /// batch had locked when it was first asked, or `nil` when the member must be read alone: a member not in that read
    /// or already changed by an event of the batch, another day than the read's, or any write sent since the read
    /// (a level change, a completion's referral reward: a write the batch does not follow could change them) other
    /// than an enrolment's (`enrolling`).
    func earningFacts(_ db: SQLSession, member: Int64, window: RuleUsage.Window, level: Bool, usage: Bool) throws -> SQLStore.EarningFacts? {
        guard locked.contains(member), !applied.contains(member), case .postgres(let session) = db.connection else { return nil }
        if earningFacts == nil {
            earningFacts = try EarningFactsAhead.read(db, members: locked.subtracting(applied), window: window, level: level, usage: usage)
            earningFacts?.nonReadsSent = session.nonReadsSent
        }
        guard let facts = earningFacts, facts.window == window, facts.level == level, facts.usage == usage,
            facts.nonReadsSent == session.nonReadsSent
        else { return nil }
        return facts.members[member]
    }

    /// A placed order of `member` is held in the batch: what was read ahead about them now says they have ordered (a
    /// read made later sends the held rows first, and finds it).
    func placedOrder(member: Int64) {
        earningFacts?.members[member]?.hasOrdered = true
    }

    /// A use of `rule` by `member` on day number `day` is held in the batch: counted into what was read ahead about
    /// them, around the day it was read for.
    func usedRule(_ rule: String, member: Int64, day: Int) {
        guard let window = earningFacts?.window else { return }
        earningFacts?.members[member]?.usage[rule, default: .none].count(useOn: day, around: window)
    }

    /// Runs `enrol`, an enrolment in the batch: its writes are about a member who was not locked at the start, so what
    /// was read ahead about the others still holds if it held before.
    static func enrolling<T>(_ db: SQLSession, _ enrol: () throws -> T) rethrows -> T {
        guard let batch = db.batch, case .postgres(let session) = db.connection else { return try enrol() }
        let before = session.nonReadsSent
        let member = try enrol()
        if batch.earningFacts?.nonReadsSent == before { batch.earningFacts?.nonReadsSent = session.nonReadsSent }
        return member
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

/// The earning facts of a batch's members read at once (`PostgresBatch.earningFacts`): each one's level state,
/// whether they have ordered, and their limited rules' uses around one local day.
struct EarningFactsAhead {
    let window: RuleUsage.Window
    let level: Bool
    let usage: Bool
    var members: [Int64: SQLStore.EarningFacts] = [:]
    /// The session's count of non-read statements when these were read.
    var nonReadsSent = 0

    static func read(_ db: SQLSession, members ids: Set<Int64>, window: RuleUsage.Window, level: Bool, usage: Bool) throws -> EarningFactsAhead {
        var facts = EarningFactsAhead(window: window, level: level, usage: usage)
        var list = PostgresArrayLiteral()
        for id in ids {
            list.append(id)
            facts.members[id] = SQLStore.EarningFacts()
        }
        if level {
            for (id, state, hasOrdered) in try db.prepare(
                """
                SELECT level, level_since, level_until, override_level, override_until, override_reason,
                    CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND o.status != 'cancelled') THEN 1 ELSE 0 END, m.id
                FROM members m WHERE m.id = ANY(?::bigint[])
                """
            ).all(list.literal, read: SQLStore.readLevelFacts) {
                facts.members[id]?.state = state
                facts.members[id]?.hasOrdered = hasOrdered
            }
        }
        if usage {
            for (id, rule, used) in try db.prepare(
                // Joined member by member: on the partitioned layout each searches its own partition (`= ANY` all).
                """
                SELECT member_id, rule, sum(CASE WHEN day = ? THEN 1 ELSE 0 END), sum(CASE WHEN day >= ? AND day < ? THEN 1 ELSE 0 END),
                    sum(CASE WHEN day >= ? THEN 1 ELSE 0 END), count(*)
                FROM unnest(?::bigint[]) AS k(id) JOIN rule_uses ON member_id = k.id WHERE day <= ? GROUP BY member_id, rule
                """
            ).all(window.day, window.monday, window.monday + 7, window.firstOfMonth, list.literal, window.day, read: SQLStore.readRuleUses) {
                facts.members[id]?.usage[rule] = used
            }
        }
        return facts
    }
}
