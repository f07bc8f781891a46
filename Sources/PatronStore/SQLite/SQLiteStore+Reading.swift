import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    public func earningContext(member id: Int64, at instant: Date) async throws -> EarningContext {
        try await pool.read { db in
            guard let program = try self.currentProgram(db)?.program else { throw PatronError(.noProgram, "no program is loaded") }
            return try self.earningContext(db, member: id, program: program, at: instant)
        }
    }

    public func statement(member id: Int64, entries limit: Int) async throws -> AccountStatement {
        try await pool.read { db in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            let entries = try self.ledgerEntries(db, member: id, newestFirst: true, limit: limit)
            let lots = try self.lots(db, member: id, openOnly: true)
            return AccountStatement(member: member, lots: lots.sorted(by: Lot.spendingOrder), entries: entries)
        }
    }

    /// A member's ledger entries, oldest or newest first, at most `limit`.
    func ledgerEntries(_ db: Database, member id: Int64, newestFirst: Bool, limit: Int = Int.max) throws -> [LedgerEntry] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM entries WHERE member_id = ? ORDER BY id \(newestFirst ? "DESC" : "ASC") LIMIT ?", arguments: [id, limit]
        ).map { row in
            LedgerEntry(
                id: row["id"], memberId: id, kind: LedgerEntry.Kind(rawValue: row["kind"])!, activeDelta: row["active_delta"],
                pendingDelta: row["pending_delta"], orderId: row["order_id"], programVersion: row["program_version"],
                occurredAt: Date(ms: row["occurred_at"]), reason: row["reason"], actor: row["actor"])
        }
    }

    /// A member's lots in the order they were made; only those with points left when `openOnly`.
    func lots(_ db: Database, member id: Int64, openOnly: Bool) throws -> [Lot] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, points, remaining, created_at, expires_at, order_id FROM lots
                WHERE member_id = ?\(openOnly ? " AND remaining > 0" : "") ORDER BY id
                """,
            arguments: [id]
        ).map { row in
            Lot(
                id: row[0], memberId: id, points: row[1], remaining: row[2], createdAt: Date(ms: row[3]),
                expiresAt: (row[4] as Int64?).map(Date.init(ms:)), orderId: row[5])
        }
    }

    public func totals() async throws -> Totals {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM members) AS members, (SELECT count(*) FROM orders) AS orders,
                           (SELECT count(*) FROM entries) AS entries,
                           coalesce(sum(active), 0) AS active, coalesce(sum(pending), 0) AS pending,
                           coalesce(sum(lifetime_earned), 0) AS earned, coalesce(sum(active < 0), 0) AS in_debt,
                           (SELECT coalesce(-sum(active_delta), 0) FROM entries WHERE kind = 'expire') AS expired,
                           (SELECT coalesce(-sum(active_delta + pending_delta), 0) FROM entries WHERE kind = 'reverse') AS reversed
                    FROM members
                    """)!
            return Totals(
                members: row["members"], orders: row["orders"], entries: row["entries"], active: row["active"], pending: row["pending"],
                earned: row["earned"], expired: row["expired"], reversed: row["reversed"], membersInDebt: row["in_debt"])
        }
    }

    public func topMembers(limit: Int) async throws -> [Member] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM members ORDER BY lifetime_earned DESC, id LIMIT ?", arguments: [limit])
                .compactMap { try self.fetchMember(db, id: $0) }
        }
    }

    public func purchases() async throws -> [PurchaseRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT member_id, placed_at, amount, lines, discount, breakdown
                    FROM orders WHERE status != 'cancelled' ORDER BY placed_at, id
                    """
            ).compactMap { row -> PurchaseRecord? in
                // An order without lines is left out, as the join with order_lines did before v14.
                let lines = try OrderLinesColumn.decode(row[3])
                guard !lines.isEmpty else { return nil }
                // Returns take back their share of the order's value after its discount (SQL's integer division, per line).
                let amount: Int64 = row[2]
                let net = lines.reduce(Int64(0)) { $0 + $1.netAmount }
                let returned = lines.reduce(Int64(0)) { $1.quantity == 0 ? $0 : $0 + $1.netAmount * Int64($1.returnedQuantity) / Int64($1.quantity) }
                let kept = net > 0 ? amount - (Rate.divide(amount, times: returned, by: net, rounding: .floor) ?? amount) : amount
                let rules = (row[5] as String?)?.split(separator: "\u{1E}").compactMap { $0.split(separator: "\u{1F}").first.map(String.init) } ?? []
                return PurchaseRecord(memberId: row[0], placedAt: Date(ms: row[1]), amount: max(0, kept), discount: row[4], rules: rules)
            }
        }
    }

    public func memberFacts() async throws -> [MemberFact] {
        let spend = Dictionary(try await purchases().map { ($0.memberId, ($0.amount, 1)) }) { ($0.0 + $1.0, $0.1 + $1.1) }
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, lifetime_earned, active, (SELECT count(*) FROM members r WHERE r.referred_by = members.id)
                    FROM members ORDER BY id
                    """
            ).map { row in
                let id: Int64 = row[0]
                let (amount, orders) = spend[id] ?? (0, 0)
                return MemberFact(memberId: id, spend: amount, orders: orders, points: row[1], activePoints: max(0, row[2]), referrals: row[3])
            }
        }
    }

    public func ledgerQuarterHours() async throws -> [LedgerQuarterHour] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT occurred_at / 900000 AS quarter,
                           sum(CASE WHEN kind IN ('activate', 'earn', 'reverse', 'adjust') THEN active_delta ELSE 0 END),
                           -sum(CASE WHEN kind = 'redeem' THEN active_delta ELSE 0 END),
                           -sum(CASE WHEN kind = 'expire' THEN active_delta ELSE 0 END)
                    FROM entries GROUP BY quarter ORDER BY quarter
                    """
            ).map { LedgerQuarterHour(start: Date(ms: ($0[0] as Int64) * 900_000), issued: $0[1], redeemed: $0[2], expired: $0[3]) }
        }
    }

    public func check() async throws -> [Mismatch] {
        try await pool.read { db in
            var mismatches: [Mismatch] = []
            func compare(_ sql: String, _ fields: [String]) throws {
                for row in try Row.fetchAll(db, sql: sql) {
                    for field in fields {
                        let cached: Int64 = row["cached_\(field)"]
                        let ledger: Int64 = row["ledger_\(field)"]
                        if cached != ledger { mismatches.append(Mismatch(memberId: row["member_id"], field: field, cached: cached, ledger: ledger)) }
                    }
                }
            }
            // Balances against the sums of the entries.
            try compare(
                """
                SELECT m.id AS member_id,
                       m.active AS cached_active, coalesce(e.active, 0) AS ledger_active,
                       m.pending AS cached_pending, coalesce(e.pending, 0) AS ledger_pending,
                       m.lifetime_earned AS cached_lifetimeEarned, coalesce(e.earned, 0) AS ledger_lifetimeEarned,
                       m.lifetime_spent AS cached_lifetimeSpent, coalesce(e.spent, 0) AS ledger_lifetimeSpent
                FROM members m LEFT JOIN (
                    SELECT member_id, sum(active_delta) AS active, sum(pending_delta) AS pending,
                           sum(CASE WHEN kind IN (\(Self.sqlList(\.countsAsEarned))) THEN active_delta ELSE 0 END) AS earned,
                           sum(CASE WHEN kind IN (\(Self.sqlList(\.countsAsSpent))) THEN -active_delta ELSE 0 END) AS spent
                    FROM entries GROUP BY member_id
                ) e ON e.member_id = m.id
                WHERE m.active != coalesce(e.active, 0) OR m.pending != coalesce(e.pending, 0)
                   OR m.lifetime_earned != coalesce(e.earned, 0) OR m.lifetime_spent != coalesce(e.spent, 0)
                """, ["active", "pending", "lifetimeEarned", "lifetimeSpent"])
            // Every lot's remaining points against its allocations.
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.member_id, l.remaining, coalesce(sum(a.points), 0) AS allocated
                    FROM lots l LEFT JOIN allocations a ON a.lot_id = l.id
                    GROUP BY l.id HAVING l.remaining != allocated OR l.remaining > l.points
                    """)
            {
                mismatches.append(Mismatch(memberId: row["member_id"], field: "lot \(row["id"] as Int64) remaining", cached: row["remaining"], ledger: row["allocated"]))
            }
            // The open lots hold exactly the positive part of the active balance.
            try compare(
                """
                SELECT m.id AS member_id, coalesce(l.open, 0) AS cached_lots, max(m.active, 0) AS ledger_lots
                FROM members m LEFT JOIN (SELECT member_id, sum(remaining) AS open FROM lots GROUP BY member_id) l ON l.member_id = m.id
                WHERE coalesce(l.open, 0) != max(m.active, 0)
                """, ["lots"])
            // Pending points against the orders still in their pending period.
            try compare(
                """
                SELECT m.id AS member_id, m.pending AS cached_pendingOrders, coalesce(o.pending, 0) AS ledger_pendingOrders
                FROM members m LEFT JOIN (
                    SELECT member_id, sum(points - reversed_points) AS pending FROM orders
                    WHERE status IN ('placed', 'completed') GROUP BY member_id
                ) o ON o.member_id = m.id
                WHERE m.pending != coalesce(o.pending, 0)
                """, ["pendingOrders"])
            return mismatches
        }
    }

    private static func sqlList(_ predicate: (LedgerEntry.Kind) -> Bool) -> String {
        LedgerEntry.Kind.allCases.filter(predicate).map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }
}
