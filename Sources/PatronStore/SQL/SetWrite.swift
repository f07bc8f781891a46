/// A row write of the hot path that PostgreSQL's writer may hold back and send with the other rows of its kind in the
/// batch as one set-based statement (`SQLSession.write`). Each kind has its one-row statement, which SQLite and
/// unbatched transactions run, and its set form, which binds one array per column (`unnest`).
enum SetWrite: Int, Sendable {
    case idempotency
    case order
    /// A ledger entry: its set form takes the id first, reserved from the entries' sequence, since callers need it.
    case entry
    /// Moves a member's four balances by deltas; the set form adds up several rows for one member.
    case balances
    case outbox
    case ruleUse
    /// Adds to a kept aggregate's row of `daily_totals` (`SQLSession.flushTallies`), creating it when absent.
    case dailyTotal
    /// An order completed on the live path, for the survey job (`survey_candidates`).
    case surveyCandidate

    /// The statement that writes one row.
    var single: StaticString {
        switch self {
        case .idempotency: "INSERT INTO idempotency (key, fingerprint, outcome, created_at) VALUES (?, ?, ?, ?)"
        case .order:
            """
            INSERT INTO orders (id, member_id, status, placed_at, completed_at, activates_at, amount, kept, discount, points, base,
                reversed_points, program_version, breakdown, points_used, lines, shipping, tax, channel)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        case .entry:
            """
            INSERT INTO entries (member_id, kind, active_delta, pending_delta, order_id, program_version, occurred_at, reason, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        case .balances:
            """
            UPDATE members SET active = active + ?, pending = pending + ?, lifetime_earned = lifetime_earned + ?,
                lifetime_spent = lifetime_spent + ? WHERE id = ?
            """
        case .outbox: "INSERT INTO outbox (kind, member_id, payload, occurred_at) VALUES (?, ?, ?, ?)"
        case .ruleUse: "INSERT INTO rule_uses (member_id, rule, day) VALUES (?, ?, ?)"
        case .dailyTotal:
            """
            INSERT INTO daily_totals (day, metric, key, shard, value) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (day, metric, key, shard) DO UPDATE SET value = daily_totals.value + excluded.value
            """
        case .surveyCandidate: "INSERT INTO survey_candidates (order_id, completed_at) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING"
        }
    }

    /// PostgreSQL's statement for many rows: one array parameter per column of `single`, in the same order.
    var set: StaticString {
        switch self {
        case .idempotency:
            "INSERT INTO idempotency (key, fingerprint, outcome, created_at) SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[])"
        case .order:
            """
            INSERT INTO orders (id, member_id, status, placed_at, completed_at, activates_at, amount, kept, discount, points, base,
                reversed_points, program_version, breakdown, points_used, lines, shipping, tax, channel)
            SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[],
                ?::text[])
            """
        case .entry:
            """
            INSERT INTO entries (id, member_id, kind, active_delta, pending_delta, order_id, program_version, occurred_at, reason, actor)
            SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[],
                ?::text[], ?::text[])
            """
        case .balances:
            // One member may have several rows in a batch: an UPDATE … FROM applies only one matching row per target.
            """
            UPDATE members m SET active = m.active + d.active, pending = m.pending + d.pending,
                lifetime_earned = m.lifetime_earned + d.earned, lifetime_spent = m.lifetime_spent + d.spent
            FROM (SELECT id, sum(active) AS active, sum(pending) AS pending, sum(earned) AS earned, sum(spent) AS spent
                  FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(active, pending, earned, spent, id)
                  GROUP BY id) d
            WHERE m.id = d.id
            """
        case .outbox:
            "INSERT INTO outbox (kind, member_id, payload, occurred_at) SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[])"
        case .ruleUse: "INSERT INTO rule_uses (member_id, rule, day) SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[])"
        case .dailyTotal:
            // Its rows come summed by key (`DailyTallies`): no row is upserted twice in the statement.
            """
            INSERT INTO daily_totals (day, metric, key, shard, value)
            SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
            ON CONFLICT (day, metric, key, shard) DO UPDATE SET value = daily_totals.value + excluded.value
            """
        case .surveyCandidate:
            "INSERT INTO survey_candidates (order_id, completed_at) SELECT * FROM unnest(?::text[], ?::bigint[]) ON CONFLICT (order_id) DO NOTHING"
        }
    }

    /// How many columns the set form binds.
    var columns: Int {
        switch self {
        case .idempotency, .outbox: 4
        case .order: 19
        case .entry: 10
        case .balances, .dailyTotal: 5
        case .ruleUse: 3
        case .surveyCandidate: 2
        }
    }
}
