import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    public func exportMember(id: Int64) async throws -> MemberExport {
        try await pool.read { db in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            let referral = try Row.fetchOne(db, sql: "SELECT referred_by, referral_rewarded FROM members WHERE id = ?", arguments: [id])!
            return MemberExport(
                member: member, referredBy: referral["referred_by"], referralRewarded: referral["referral_rewarded"] as Bool,
                referrals: try Int64.fetchAll(db, sql: "SELECT id FROM members WHERE referred_by = ? ORDER BY id", arguments: [id]),
                entries: try self.ledgerEntries(db, member: id, newestFirst: false), lots: try self.lots(db, member: id, openOnly: false),
                orders: try self.exportedOrders(db, member: id),
                redemptions: try Int64.fetchAll(db, sql: "SELECT id FROM redemptions WHERE member_id = ? ORDER BY id", arguments: [id])
                    .map { try self.redemptionRow(db, id: $0) },
                ruleUses: try Row.fetchAll(
                    db, sql: "SELECT rule, day FROM rule_uses WHERE member_id = ? ORDER BY day, rowid", arguments: [id]
                )
                .map { ExportedRuleUse(rule: $0["rule"], day: LocalDate(dayNumber: $0["day"])) },
                levelHistory: try self.levelHistory(db, member: id),
                audit: try self.auditRecords(db, after: 0, limit: Int.max, subject: "member:\(id)"))
        }
    }

    public func eraseMember(id: Int64, at: Date) async throws -> Member {
        try await writer.submit { db -> Member in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            // The profile, the free-text reason of a manual level (it may name the person) and every identity go; the
            // cached balances, level, ledger, lots and orders stay, so `check`, totals and analytics are unchanged.
            try self.sql(
                db,
                """
                UPDATE members SET name = NULL, birthday = NULL, tags = '[]', consents = '{}',
                    override_reason = CASE WHEN override_level IS NULL THEN NULL ELSE 'erased' END, erased_at = coalesce(erased_at, ?)
                WHERE id = ?
                """
            ).run(at.ms, id)
            // Deleting the rows releases the e-mail, phone and customer id for a new enrollment.
            try self.sql(db, "DELETE FROM identities WHERE member_id = ?").run(id)
            // Announcements that carried identities, the profile or a manual level's reason keep their ids (receivers
            // de-duplicate by them, and deliveries not yet sent still go) but no longer the personal data.
            try self.sql(
                db,
                """
                UPDATE outbox SET payload = '{"member_id":' || member_id || ',"erased":true}'
                WHERE member_id = ? AND kind IN ('member.enrolled', 'member.updated', 'level.changed')
                """
            ).run(id)
            // Audit states written before the first erasure may hold the profile; who did what and when stays. Later
            // records (this erasure's own) were written about an anonymous member and keep their states.
            if member.erasedAt == nil {
                try self.sql(
                    db,
                    """
                    UPDATE audit_log SET before = CASE WHEN before IS NULL THEN NULL ELSE '"erased"' END,
                        after = CASE WHEN after IS NULL THEN NULL ELSE '"erased"' END
                    WHERE subject = ?
                    """
                ).run("member:\(id)")
            }
            return try self.fetchMember(db, id: id)!
        }
    }

    private func exportedOrders(_ db: Database, member id: Int64) throws -> [ExportedOrder] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, status, placed_at, completed_at, amount, discount, points, reversed_points, points_used, partner, lines
                FROM orders WHERE member_id = ? ORDER BY placed_at, id
                """,
            arguments: [id]
        ).map { row in
            let orderId: String = row["id"]
            let lines = try OrderLinesColumn.decode(row["lines"]).map {
                ExportedOrderLine(id: $0.lineId, sku: $0.sku, category: $0.category, quantity: $0.quantity, returnedQuantity: $0.returnedQuantity, netAmount: $0.netAmount)
            }
            return ExportedOrder(
                id: orderId, status: row["status"], placedAt: Date(ms: row["placed_at"]),
                completedAt: (row["completed_at"] as Int64?).map(Date.init(ms:)),
                amount: row["amount"], discount: row["discount"], points: row["points"], reversedPoints: row["reversed_points"],
                pointsUsed: row["points_used"], partner: row["partner"], lines: lines)
        }
    }
}
