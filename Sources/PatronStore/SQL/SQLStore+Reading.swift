import Foundation
import PatronCore

extension SQLStore {
    public func earningContext(member id: Int64, at instant: Date) async throws -> EarningContext {
        try await backend.lookup { db in
            guard let program = try self.currentProgram(db)?.program else { throw PatronError(.noProgram, "no program is loaded") }
            return try self.earningContext(db, member: id, program: program, at: instant)
        }
    }

    public func checkoutInputs(member reference: String, at instant: Date) async throws -> CheckoutInputs {
        try await backend.lookup { db in
            guard let program = try self.currentProgram(db) else {
                throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE`")
            }
            let member = try self.member(db, reference: reference)
            let earning = try self.earningContext(db, member: member.id, program: program.program, at: instant)
            return CheckoutInputs(program: program, member: member, earning: earning)
        }
    }

    public func statement(member id: Int64, entries limit: Int) async throws -> AccountStatement {
        try await backend.lookup { db in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            return try self.statement(db, member, entries: limit)
        }
    }

    public func statement(reference: String, entries limit: Int) async throws -> AccountStatement {
        try await backend.lookup { db in try self.statement(db, try self.member(db, reference: reference), entries: limit) }
    }

    private func statement(_ db: SQLSession, _ member: Member, entries limit: Int) throws -> AccountStatement {
        let entries = try ledgerEntries(db, member: member.id, newestFirst: true, limit: limit)
        let open = try self.lots(db, member: member.id, openOnly: true)
        return AccountStatement(member: member, lots: open.sorted(by: Lot.spendingOrder), entries: entries)
    }

    /// The member a reference names, as `Store.member(reference:)` finds them, inside a read.
    func member(_ db: SQLSession, reference: String) throws -> Member {
        if let id = Int64(reference) {
            guard let found = try fetchMember(db, id: id) else { throw PatronError(.notFound, "no member has id \(id)") }
            return found
        }
        let identity = try Identity(reference: reference)
        guard let id = try memberId(db, identity), let found = try fetchMember(db, id: id) else {
            throw PatronError(.notFound, "no member has identity \(identity)")
        }
        return found
    }

    /// A member's ledger entries, oldest or newest first, at most `limit`.
    func ledgerEntries(_ db: SQLSession, member id: Int64, newestFirst: Bool, limit: Int = Int.max) throws -> [LedgerEntry] {
        let read = { (row: Columns) in
            LedgerEntry(
                id: row.int(0), memberId: id, kind: LedgerEntry.Kind(rawValue: row.text(1))!, activeDelta: row.int(2), pendingDelta: row.int(3),
                orderId: row.optionalText(4), programVersion: Int(row.int(5)), occurredAt: Date(ms: row.int(6)), reason: row.optionalText(7),
                actor: row.optionalText(8))
        }
        return newestFirst
            ? try sql(
                db,
                """
                SELECT id, kind, active_delta, pending_delta, order_id, program_version, occurred_at, reason, actor
                FROM entries WHERE member_id = ? ORDER BY id DESC LIMIT ?
                """
            ).all(id, limit, read: read)
            : try sql(
                db,
                """
                SELECT id, kind, active_delta, pending_delta, order_id, program_version, occurred_at, reason, actor
                FROM entries WHERE member_id = ? ORDER BY id LIMIT ?
                """
            ).all(id, limit, read: read)
    }

    /// A member's lots in the order they were made; only those with points left when `openOnly`.
    func lots(_ db: SQLSession, member id: Int64, openOnly: Bool) throws -> [Lot] {
        let read = { (row: Columns) in
            Lot(
                id: row.int(0), memberId: id, points: row.int(1), remaining: row.int(2), createdAt: Date(ms: row.int(3)),
                expiresAt: row.optionalInt(4).map(Date.init(ms:)), orderId: row.optionalText(5))
        }
        return openOnly
            ? try sql(db, "SELECT l.id, l.points, l.remaining, e.occurred_at, l.expires_at, e.order_id FROM lots l JOIN entries e ON e.id = l.id WHERE l.member_id = ? AND l.remaining > 0 ORDER BY l.id")
                .all(id, read: read)
            : try sql(db, "SELECT l.id, l.points, l.remaining, e.occurred_at, l.expires_at, e.order_id FROM lots l JOIN entries e ON e.id = l.id WHERE l.member_id = ? ORDER BY l.id").all(id, read: read)
    }

    public func ping() async throws {
        _ = try await backend.read { db in try db.prepare("SELECT 1").one { $0.int(0) } }
    }

    public func totals() async throws -> Totals {
        try await backend.read { db in
            try db.prepare(
                dynamic: """
                SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM orders), (SELECT count(*) FROM entries),
                       coalesce(sum(active), 0), coalesce(sum(pending), 0), coalesce(sum(lifetime_earned), 0),
                       coalesce(sum(CASE WHEN active < 0 THEN 1 ELSE 0 END), 0),
                       (SELECT coalesce(-sum(active_delta), 0) FROM entries WHERE kind = \(SQLLiteral.text(LedgerEntry.Kind.expire))),
                       (SELECT coalesce(-sum(active_delta + pending_delta), 0) FROM entries WHERE kind = \(SQLLiteral.text(LedgerEntry.Kind.reverse)))
                FROM members
                """
            ).one {
                Totals(
                    members: Int($0.int(0)), orders: Int($0.int(1)), entries: Int($0.int(2)), active: $0.int(3), pending: $0.int(4), earned: $0.int(5),
                    expired: $0.int(7), reversed: $0.int(8), membersInDebt: Int($0.int(6)))
            }!
        }
    }

    public func topMembers(limit: Int) async throws -> [Member] {
        try await backend.read { db in
            try self.sql(db, "SELECT id FROM members ORDER BY lifetime_earned DESC, id LIMIT ?").all(limit) { $0.int(0) }
                .compactMap { try self.fetchMember(db, id: $0) }
        }
    }

    public func purchases() async throws -> [PurchaseRecord] {
        try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT member_id, placed_at, amount, lines, discount, breakdown
                FROM orders WHERE status != 'cancelled' ORDER BY placed_at, id
                """
            ).all { row -> PurchaseRecord? in
                // An order without lines is left out, as the join with order_lines did before v14.
                let lines = try OrderLinesColumn.decode(row.text(3))
                guard !lines.isEmpty else { return nil }
                // Returns take back their share of the order's value after its discount (SQL's integer division, per line).
                let amount = row.int(2)
                let net = lines.reduce(Int64(0)) { $0 + $1.netAmount }
                let returned = lines.reduce(Int64(0)) { $1.quantity == 0 ? $0 : $0 + $1.netAmount * Int64($1.returnedQuantity) / Int64($1.quantity) }
                let kept = net > 0 ? amount - (Rate.divide(amount, times: returned, by: net, rounding: .floor) ?? amount) : amount
                let rules = row.optionalText(5)?.split(separator: "\u{1E}").compactMap { $0.split(separator: "\u{1F}").first.map(String.init) } ?? []
                return PurchaseRecord(memberId: row.int(0), placedAt: Date(ms: row.int(1)), amount: max(0, kept), discount: row.int(4), rules: rules)
            }.compactMap { $0 }
        }
    }

    public func memberFacts() async throws -> [MemberFact] {
        let spend = Dictionary(try await purchases().map { ($0.memberId, ($0.amount, 1)) }) { ($0.0 + $1.0, $0.1 + $1.1) }
        return try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT id, lifetime_earned, active, (SELECT count(*) FROM members r WHERE r.referred_by = members.id)
                FROM members ORDER BY id
                """
            ).all { row in
                let id = row.int(0)
                let (amount, orders) = spend[id] ?? (0, 0)
                return MemberFact(
                    memberId: id, spend: amount, orders: orders, points: row.int(1), activePoints: max(0, row.int(2)), referrals: Int(row.int(3)))
            }
        }
    }

    public func ledgerQuarterHours() async throws -> [LedgerQuarterHour] {
        try await backend.read { db in
            try db.prepare(
                dynamic: """
                SELECT occurred_at / 900000 AS quarter,
                       sum(CASE WHEN kind IN \(LedgerEntry.Kind.issuedSQL) THEN active_delta ELSE 0 END),
                       -sum(CASE WHEN kind = \(SQLLiteral.text(LedgerEntry.Kind.redeem)) THEN active_delta ELSE 0 END),
                       -sum(CASE WHEN kind = \(SQLLiteral.text(LedgerEntry.Kind.expire)) THEN active_delta ELSE 0 END)
                FROM entries GROUP BY occurred_at / 900000 ORDER BY quarter
                """
            ).all { LedgerQuarterHour(start: Date(ms: $0.int(0) * 900_000), issued: $0.int(1), redeemed: $0.int(2), expired: $0.int(3)) }
        }
    }

    public func check() async throws -> [Mismatch] {
        try await backend.read { db in
            var mismatches: [Mismatch] = []
            // Each query's rows are a member id, then a cached and a ledger value per field.
            func compare(_ sql: String, _ fields: [String]) throws {
                for row in try db.prepare(dynamic: sql).all(read: { row in (0..<(1 + 2 * fields.count)).map { row.int(Int32($0)) } }) {
                    for (index, field) in fields.enumerated() where row[1 + 2 * index] != row[2 + 2 * index] {
                        mismatches.append(Mismatch(memberId: row[0], field: field, cached: row[1 + 2 * index], ledger: row[2 + 2 * index]))
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
                           sum(CASE WHEN kind IN \(LedgerEntry.Kind.earnedSQL) THEN active_delta ELSE 0 END) AS earned,
                           sum(CASE WHEN kind IN \(SQLLiteral.list(LedgerEntry.Kind.allCases.filter(\.countsAsSpent))) THEN -active_delta ELSE 0 END) AS spent
                    FROM entries GROUP BY member_id
                ) e ON e.member_id = m.id
                WHERE m.active != coalesce(e.active, 0) OR m.pending != coalesce(e.pending, 0)
                   OR m.lifetime_earned != coalesce(e.earned, 0) OR m.lifetime_spent != coalesce(e.spent, 0)
                """, ["active", "pending", "lifetimeEarned", "lifetimeSpent"])
            // Every lot's remaining points against its allocations, summed in one pass over them (no index by lot). A lot
            // without an opening allocation (its own entry's) opened with all its points.
            mismatches += try self.sql(
                db,
                """
                SELECT l.id, l.member_id, l.remaining, CASE WHEN a.opened > 0 THEN a.total ELSE l.points + coalesce(a.total, 0) END
                FROM lots l LEFT JOIN (
                    SELECT lot_id, sum(points) AS total, sum(CASE WHEN entry_id = lot_id THEN 1 ELSE 0 END) AS opened FROM allocations GROUP BY lot_id
                ) a ON a.lot_id = l.id
                WHERE l.remaining != CASE WHEN a.opened > 0 THEN a.total ELSE l.points + coalesce(a.total, 0) END OR l.remaining > l.points
                """
            ).all { Mismatch(memberId: $0.int(1), field: "lot \($0.int(0)) remaining", cached: $0.int(2), ledger: $0.int(3)) }
            // The open lots hold exactly the positive part of the active balance.
            try compare(
                """
                SELECT m.id, coalesce(l.open, 0), CASE WHEN m.active > 0 THEN m.active ELSE 0 END
                FROM members m LEFT JOIN (SELECT member_id, sum(remaining) AS open FROM lots GROUP BY member_id) l ON l.member_id = m.id
                WHERE coalesce(l.open, 0) != CASE WHEN m.active > 0 THEN m.active ELSE 0 END
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
}
