import Foundation
import PatronCore

extension SQLStore {
    public func exportMember(id: Int64) async throws -> MemberExport {
        try await backend.read { db in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            let referral = try self.sql(db, "SELECT referred_by, referral_rewarded FROM members WHERE id = ?").one(id) {
                (referredBy: $0.optionalInt(0), rewarded: $0.int(1) != 0)
            }!
            var export = MemberExport(
                member: member, referredBy: referral.referredBy, referralRewarded: referral.rewarded,
                referrals: try self.sql(db, "SELECT id FROM members WHERE referred_by = ? ORDER BY id").all(id) { $0.int(0) },
                entries: try self.ledgerEntries(db, member: id, newestFirst: false), lots: try self.lots(db, member: id, openOnly: false),
                orders: try self.exportedOrders(db, member: id),
                redemptions: try self.sql(db, "SELECT id FROM redemptions WHERE member_id = ? ORDER BY id").all(id) { $0.int(0) }
                    .map { try self.redemptionRow(db, id: $0) },
                ruleUses: try self.sql(db, "SELECT rule, day FROM rule_uses WHERE member_id = ? ORDER BY day, rule").all(id) {
                    ExportedRuleUse(rule: $0.text(0), day: LocalDate(dayNumber: Int($0.int(1))))
                },
                levelHistory: try self.levelHistory(db, member: id),
                audit: try self.auditRecords(db, after: 0, limit: Int.max, subject: "member:\(id)"))
            export.consents = try self.sql(
                db, "SELECT id, member_id, channel, state, source, actor, recorded_at FROM consent_records WHERE member_id = ? ORDER BY id"
            ).all(id, read: Self.consentRecord)
            return export
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
                UPDATE members SET name = NULL, birthday = NULL, tags = '[]', consents = '{}', region = NULL, city = NULL, channel = NULL, gender = NULL,
                    locale = NULL, override_reason = CASE WHEN override_level IS NULL THEN NULL ELSE 'erased' END, erased_at = coalesce(erased_at, ?)
                WHERE id = ?
                """
            ).run(at.ms, id)
            // Deleting the rows releases the e-mail, phone and customer id for a new enrollment.
            try self.sql(db, "DELETE FROM identities WHERE member_id = ?").run(id)
            // Survey and CSAT comments are the member's own words; the scores stay for NPS and the care report.
            try self.sql(db, "UPDATE survey_invitations SET comment = 'erased' WHERE member_id = ? AND comment IS NOT NULL").run(id)
            try self.sql(db, "UPDATE csat_ratings SET comment = 'erased' WHERE member_id = ? AND comment IS NOT NULL").run(id)
            // Care tickets keep their category, times and flags for the care report; their words (subject, body, every note
            // and change description, which may quote the member) go.
            try self.eraseTicketText(db, member: id)
            db.forgetIdentities()
            // Announcements that carried identities, the profile or a manual level's reason keep their ids (receivers
            // de-duplicate by them, and deliveries not yet sent still go) but no longer the personal data.
            try self.sql(
                db,
                """
                UPDATE outbox SET payload = '{"member_id":' || member_id || ',"erased":true}'
                WHERE member_id = ? AND kind IN ('member.enrolled', 'member.updated', 'level.changed')
                """
            ).run(id)
            // Messages keep their ids, kinds and statuses (for counts) but lose addresses, bodies and facts; queued ones
            // are never sent.
            try self.eraseMessages(db, member: id)
            // The consent history (when and through what the member agreed or refused) is about the person: it goes.
            try self.eraseConsentRecords(db, member: id)
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

    private func exportedOrders(_ db: SQLSession, member id: Int64) throws -> [ExportedOrder] {
        try sql(
            db,
            """
            SELECT id, status, placed_at, completed_at, amount, discount, points, reversed_points, points_used, partner, lines
            FROM orders WHERE member_id = ? ORDER BY placed_at, id
            """
        ).all(id) { row in
            let lines = try OrderLinesColumn.decode(row.text(10)).map {
                ExportedOrderLine(id: $0.lineId, sku: $0.sku, category: $0.category, quantity: $0.quantity, returnedQuantity: $0.returnedQuantity, netAmount: $0.netAmount)
            }
            return ExportedOrder(
                id: row.text(0), status: row.text(1), placedAt: Date(ms: row.int(2)), completedAt: row.optionalInt(3).map(Date.init(ms:)),
                amount: row.int(4), discount: row.int(5), points: row.int(6), reversedPoints: row.int(7), pointsUsed: row.int(8),
                partner: row.optionalText(9), lines: lines)
        }
    }
}
