import Foundation
import PatronCore

/// The reads behind the console's member search and member page: every query is an index range with a limit.
extension SQLStore {
    public func identityMatches(values: [String], limit: Int) async throws -> [IdentityMatch] {
        guard (1...1_000).contains(limit) else { throw PatronError(.invalidInput, "a search returns 1 to 1000 matches, not \(limit)") }
        return try await backend.read { db in
            var matches: [IdentityMatch] = []
            var seen = Set<String>()
            for value in values where seen.insert(value).inserted && matches.count < limit {
                // identities_by_value: any kind, one index range per value.
                let rows = try self.sql(db, "SELECT kind, value, member_id FROM identities WHERE value = ? ORDER BY kind LIMIT ?").all(value, limit) {
                    IdentityMatch(identity: try Identity(kind: $0.text(0), value: $0.text(1)), memberId: $0.int(2))
                }
                matches += rows.prefix(limit - matches.count)
            }
            return matches
        }
    }

    public func members(namePrefix prefix: String, limit: Int) async throws -> [Member] {
        guard (1...1_000).contains(limit) else { throw PatronError(.invalidInput, "a search returns 1 to 1000 members, not \(limit)") }
        try FreeText.check(prefix, field: "name prefix")
        let (low, high) = Self.nameRange(prefix)
        guard !low.isEmpty else { return [] }
        return try await backend.read { db in
            // members_by_name is on lower(name): SQLite's lower() and PostgreSQL's under COLLATE "C" (the column's) both fold
            // ASCII letters only and compare code point by code point, so both databases return the same members.
            let ids: [Int64] =
                if let high {
                    try self.sql(db, "SELECT id FROM members WHERE name IS NOT NULL AND lower(name) >= ? AND lower(name) < ? ORDER BY lower(name), id LIMIT ?")
                        .all(low, high, limit) { $0.int(0) }
                } else {
                    try self.sql(db, "SELECT id FROM members WHERE name IS NOT NULL AND lower(name) >= ? ORDER BY lower(name), id LIMIT ?").all(low, limit) { $0.int(0) }
                }
            return try ids.compactMap { try self.fetchMember(db, id: $0) }
        }
    }

    /// The range of folded names that start with `prefix`: from the prefix (ASCII letters lower-cased) up to, not
    /// including, the prefix with its last character raised by one code point (`nil`: no upper end).
    static func nameRange(_ prefix: String) -> (low: String, high: String?) {
        let folded = String(String.UnicodeScalarView(prefix.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
        var scalars = Array(folded.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }  // past the surrogates, which are not scalars
            if let raised = Unicode.Scalar(next) {
                return (folded, String(String.UnicodeScalarView(scalars + [raised])))
            }
        }
        return (folded, nil)
    }

    public func memberFile(_ request: MemberFileRequest) async throws -> MemberFile {
        for (field, value) in [
            ("entries", request.entries), ("lots", request.lots), ("orders", request.orders), ("redemptions", request.redemptions),
            ("levelChanges", request.levelChanges), ("auditRecords", request.auditRecords),
        ] where !(1...1_000).contains(value) {
            throw PatronError(.invalidInput, "\(field): a member page lists 1 to 1000 items, not \(value)")
        }
        let id = request.memberId
        return try await backend.read { db in
            guard let member = try self.fetchMember(db, id: id) else { throw PatronError(.notFound, "no member \(id)") }
            let read = { (row: Columns) in
                LedgerEntry(
                    id: row.int(0), memberId: id, kind: LedgerEntry.Kind(rawValue: row.text(1))!, activeDelta: row.int(2), pendingDelta: row.int(3),
                    orderId: row.optionalText(4), programVersion: Int(row.int(5)), occurredAt: Date(ms: row.int(6)), reason: row.optionalText(7),
                    actor: row.optionalText(8))
            }
            // entries_by_member (member_id, id), read backwards from the cursor; one more than the page says if more follow.
            var entries = try self.sql(
                db,
                """
                SELECT id, kind, active_delta, pending_delta, order_id, program_version, occurred_at, reason, actor
                FROM entries WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?
                """
            ).all(id, request.entriesBefore ?? Int64.max, request.entries + 1, read: read)
            let hasOlder = entries.count > request.entries
            if hasOlder { entries.removeLast() }
            let entryCount = try self.sql(db, "SELECT count(*) FROM entries WHERE member_id = ?").one(id) { $0.int(0) } ?? 0
            let lots = try self.sql(
                db,
                """
                SELECT l.id, l.points, l.remaining, e.occurred_at, l.expires_at, e.order_id FROM lots l JOIN entries e ON e.id = l.id WHERE l.member_id = ? AND l.remaining > 0
                ORDER BY (CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END), l.expires_at, l.id LIMIT ?
                """
            ).all(id, request.lots) {
                Lot(
                    id: $0.int(0), memberId: id, points: $0.int(1), remaining: $0.int(2), createdAt: Date(ms: $0.int(3)),
                    expiresAt: $0.optionalInt(4).map(Date.init(ms:)), orderId: $0.optionalText(5))
            }
            let openLots = try self.sql(db, "SELECT count(*) FROM lots WHERE member_id = ? AND remaining > 0").one(id) { $0.int(0) } ?? 0
            let orders = try self.sql(
                db,
                """
                SELECT id, status, placed_at, completed_at, activates_at, amount, points, reversed_points, points_used, partner
                FROM orders WHERE member_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?
                """
            ).all(id, request.orders) {
                MemberOrder(
                    id: $0.text(0), status: $0.text(1), placedAt: Date(ms: $0.int(2)), completedAt: $0.optionalInt(3).map(Date.init(ms:)),
                    activatesAt: $0.optionalInt(4).map(Date.init(ms:)), amount: $0.int(5), points: $0.int(6), reversedPoints: $0.int(7),
                    pointsUsed: $0.int(8), partner: $0.optionalText(9))
            }
            let orderCount = try self.sql(db, "SELECT count(*) FROM orders WHERE member_id = ?").one(id) { $0.int(0) } ?? 0
            let redemptions = try self.sql(
                db,
                """
                SELECT id, member_id, reward_id, points, status, coupon_code, valid_until, created_at, draw_value, prize
                FROM redemptions WHERE member_id = ? ORDER BY id DESC LIMIT ?
                """
            ).all(id, request.redemptions) { row in
                Redemption(
                    id: row.int(0), memberId: row.int(1), rewardId: row.text(2), points: row.int(3), status: try Self.status(row.text(4)),
                    couponCode: row.optionalText(5), validUntil: row.optionalInt(6).map(Date.init(ms:)), at: Date(ms: row.int(7)),
                    drawValue: row.optionalInt(8), prize: row.optionalText(9))
            }
            let levels = try self.sql(
                db,
                "SELECT from_level, to_level, reason, actor, occurred_at, program_version FROM level_changes WHERE member_id = ? ORDER BY id DESC LIMIT ?"
            ).all(id, request.levelChanges) {
                LevelHistoryEntry(
                    from: $0.optionalText(0), to: $0.optionalText(1), reason: $0.text(2), actor: $0.optionalText(3), at: Date(ms: $0.int(4)),
                    programVersion: Int($0.int(5)))
            }
            let audit = try self.sql(
                db, "SELECT id, at, actor, action, subject, before, after FROM audit_log WHERE subject = ? ORDER BY id DESC LIMIT ?"
            ).all("member:\(id)", request.auditRecords) { row in
                AuditRecord(
                    id: row.int(0), at: Date(ms: row.int(1)), actor: row.text(2), action: row.text(3), subject: row.text(4),
                    before: row.optionalText(5), after: row.optionalText(6))
            }
            return MemberFile(
                member: member, entries: entries, hasOlderEntries: hasOlder, entryCount: Int(entryCount), lots: lots, openLotCount: Int(openLots),
                orders: orders, orderCount: Int(orderCount), redemptions: redemptions, levelHistory: levels, audit: audit)
        }
    }

    public func grantCoupon(_ grant: CouponGrant) async throws -> CouponGrantOutcome {
        var f = Fingerprint()
        f.mix(grant.memberId); f.mix(grant.rewardId)
        let fingerprint = f.value
        let (id, replayed) = try await writer.submit { db -> (Int64, Bool) in
            let result: (value: Int64, replayed: Bool) = try self.idempotent(db, key: "grant-coupon:\(grant.key)", fingerprint: fingerprint, at: grant.at) {
                try self.issueCoupon(db, member: grant.memberId, rewardId: grant.rewardId, program: try self.requireProgram(db).program, at: grant.at)
            }
            return (result.value, result.replayed)
        }
        return CouponGrantOutcome(coupon: try await redemption(id: id), replayed: replayed)
    }

    /// Issues a coupon reward to a member without taking points, within its stock (a pooled one takes a code): a
    /// staff grant or a ticket's compensation. Returns the redemption's id.
    func issueCoupon(_ db: SQLSession, member: Int64, rewardId: String, program: Program, at instant: Date) throws -> Int64 {
        guard let reward = program.rewards.first(where: { $0.id == rewardId }) else {
            throw PatronError(.notFound, "no reward '\(rewardId)' in \(program.name)")
        }
        guard case .coupon(let terms) = reward.kind else {
            throw PatronError(.invalidInput, "reward '\(reward.id)' is not a coupon; only coupons can be granted")
        }
        try lockChangeable(db, member)
        guard try fetchMember(db, id: member) != nil else { throw PatronError(.notFound, "no member \(member)") }
        if reward.stock != nil {
            try lock(db, "stock:\(reward.id)")
            guard reward.remainingStock(taken: try stockTaken(db, reward: reward.id))! > 0 else {
                throw PatronError(.outOfStock, "reward \(reward.id) is out of stock")
            }
        }
        var code = CouponCode.generate()
        if terms.pooled {
            guard
                let pooled = try sql(
                    db, "SELECT code FROM coupon_pool WHERE reward_id = ? AND redemption_id IS NULL ORDER BY code LIMIT 1",
                    postgresLock: "FOR UPDATE SKIP LOCKED"
                ).one(reward.id, read: { $0.text(0) })
            else { throw PatronError(.outOfStock, "reward \(reward.id) has no codes left in its pool") }
            code = pooled
        }
        let redemption = try sql(
            db,
            """
            INSERT INTO redemptions (member_id, reward_id, points, status, entry_id, coupon_code, valid_until, created_at)
            VALUES (?, ?, 0, ?, NULL, ?, ?, ?)
            """
        ).insert(
            member, reward.id, RedemptionStatus.issued.rawValue, code,
            terms.validUntil(issuedAt: instant, in: program.calendar).ms, instant.ms)
        if terms.pooled { try sql(db, "UPDATE coupon_pool SET redemption_id = ? WHERE code = ?").run(redemption, code) }
        return redemption
    }
}
