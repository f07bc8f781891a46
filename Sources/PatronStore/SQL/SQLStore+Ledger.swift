import Foundation
import PatronCore

extension SQLStore {
    /// Loads a member's balances, and their open lots when the change may touch lots. Changes of pending points only
    /// do not depend on the balances and use `Account(memberId:balances: .zero, lots: [])` instead.
    func loadAccount(_ db: SQLSession, member id: Int64, lots withLots: Bool) throws -> Account {
        // On PostgreSQL the row is locked: the balances must not change before this transaction writes them.
        let balances = try sql(db, "SELECT active, pending, lifetime_earned, lifetime_spent FROM members WHERE id = ?", postgresLock: "FOR UPDATE").one(id) {
            Balances(active: $0.int(0), pending: $0.int(1), lifetimeEarned: $0.int(2), lifetimeSpent: $0.int(3))
        }
        guard let balances else { throw PatronError(.notFound, "no member \(id)") }
        let lots =
            withLots
            ? try sql(db, "SELECT l.id, l.points, l.remaining, e.occurred_at, l.expires_at, e.order_id FROM lots l JOIN entries e ON e.id = l.id WHERE l.member_id = ? AND l.remaining > 0").all(id) {
                Lot(
                    id: $0.int(0), memberId: id, points: $0.int(1), remaining: $0.int(2), createdAt: Date(ms: $0.int(3)),
                    expiresAt: $0.optionalInt(4).map(Date.init(ms:)), orderId: $0.optionalText(5))
            }.sorted(by: Lot.spendingOrder) : []
        return Account(memberId: id, balances: balances, lots: lots)
    }

    /// Writes entries, their lots and allocations, and the member's balances, all in the caller's transaction.
    /// Returns the ids of the entries written.
    @discardableResult
    func post(_ db: SQLSession, _ drafts: [LedgerEntry.Draft], account: Account, version: Int, at date: Date) throws -> [Int64] {
        var ids: [Int64] = []
        let calendar = try currentProgram(db, writing: true)?.program.calendar
        for draft in drafts {
            if let calendar {
                db.tallies.add(DailyTotal.Metric.points, key: draft.kind.rawValue, draft.activeDelta, at: draft.occurredAt ?? date, calendar: calendar)
            }
            let entryId = try db.insertEntry(
                account.memberId, draft.kind.rawValue, draft.activeDelta, draft.pendingDelta, draft.orderId, version, (draft.occurredAt ?? date).ms,
                draft.reason, draft.actor)
            ids.append(entryId)
            if let lot = draft.newLot {
                // A lot's time and order are its entry's (the same id): not stored twice.
                try sql(db, "INSERT INTO lots (id, member_id, points, remaining, expires_at) VALUES (?, ?, ?, ?, ?)").run(
                    entryId, account.memberId, lot.points, lot.remaining, lot.expiresAt?.ms)
                // A lot opens with all its points unless a debt took some: only then is its opening written, as the
                // entry's own allocation (`patron check` counts a lot without one as opened with its points).
                if lot.remaining != lot.points { try allocate(db, entry: entryId, lot: entryId, member: account.memberId, points: lot.remaining) }
            }
            for allocation in draft.allocations {
                try allocate(db, entry: entryId, lot: allocation.lotId, member: account.memberId, points: allocation.points)
                // With the member, so that the member-partitioned layout searches one partition (PostgresPartitions).
                try sql(db, "UPDATE lots SET remaining = remaining + ? WHERE id = ? AND member_id = ?").run(allocation.points, allocation.lotId, account.memberId)
            }
        }
        // The balances move by the entries' deltas, so changes of pending points need not load the balances first.
        var delta = Balances.zero
        for draft in drafts { delta.post(draft) }
        if delta != .zero {
            try db.write(.balances, delta.active, delta.pending, delta.lifetimeEarned, delta.lifetimeSpent, account.memberId)
        }
        return ids
    }

    /// Credits points that are active at once (activities, referrals, gifts, prizes) as a lot with the program's
    /// expiry, and returns the member's balances afterwards.
    @discardableResult
    func creditActive(_ db: SQLSession, member: Int64, points: Int64, reason: String, at instant: Date, version: ProgramVersion) throws -> Balances {
        let program = version.program
        var account = try loadAccount(db, member: member, lots: false)
        let draft = account.credit(.earn, points: points, expiresAt: program.expiry.expiry(of: instant, in: program.calendar), reason: reason)
        let entry = try post(db, [draft], account: account, version: version.version, at: instant)[0]
        try announce(db, .pointsEarned, member: member, at: instant) {
            OutboxPayload.PointsEarned(
                memberId: member, points: points, status: "active", entryId: entry, reason: reason, expiresAt: draft.newLot?.expiresAt)
        }
        return account.balances
    }

    private func allocate(_ db: SQLSession, entry: Int64, lot: Int64, member: Int64, points: Int64) throws {
        try sql(db, "INSERT INTO allocations (entry_id, lot_id, member_id, points) VALUES (?, ?, ?, ?)").run(entry, lot, member, points)
    }

    public func adjust(_ adjustment: Adjustment) async throws -> AdjustmentOutcome {
        let reason = adjustment.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let actor = adjustment.actor.trimmingCharacters(in: .whitespacesAndNewlines)
        try FreeText.check(adjustment.reason, field: "reason", maximumLength: 1_000)
        try FreeText.check(adjustment.actor, field: "actor", maximumLength: 200)
        guard !reason.isEmpty else { throw PatronError(.invalidInput, "an adjustment needs a reason") }
        guard !actor.isEmpty else { throw PatronError(.invalidInput, "an adjustment needs an actor (who made it)") }
        guard adjustment.points != 0, adjustment.points.magnitude <= 1_000_000_000 else {
            throw PatronError(.invalidInput, "an adjustment must be a non-zero number of points up to 1,000,000,000, not \(adjustment.points)")
        }
        var f = Fingerprint()
        f.mix(adjustment.memberId); f.mix(adjustment.points); f.mix(reason); f.mix(actor)
        let fingerprint = f.value
        return try await writer.submit { db -> AdjustmentOutcome in
            let result: (value: AdjustmentOutcome, replayed: Bool) = try self.idempotent(db, key: "adjust:\(adjustment.key)", fingerprint: fingerprint, at: adjustment.at) {
                let version = try self.requireProgram(db)
                let program = version.program
                try self.lockChangeable(db, adjustment.memberId)
                var account = try self.loadAccount(db, member: adjustment.memberId, lots: adjustment.points < 0)
                let drafts =
                    adjustment.points > 0
                    ? [account.credit(
                        .adjust, points: adjustment.points, expiresAt: program.expiry.expiry(of: adjustment.at, in: program.calendar),
                        reason: reason, actor: actor)]
                    : try account.take(.adjust, points: -adjustment.points, allowNegative: false, at: adjustment.at, reason: reason, actor: actor)
                let ids = try self.post(db, drafts, account: account, version: version.version, at: adjustment.at)
                if adjustment.points > 0 {
                    try self.announce(db, .pointsEarned, member: adjustment.memberId, at: adjustment.at) {
                        OutboxPayload.PointsEarned(
                            memberId: adjustment.memberId, points: adjustment.points, status: "active", entryId: ids.last, reason: reason,
                            expiresAt: drafts.last?.newLot?.expiresAt)
                    }
                }
                return AdjustmentOutcome(entryId: ids.last!, balances: account.balances, replayed: false)
            }
            var outcome = result.value
            outcome.replayed = result.replayed
            return outcome
        }
    }
}
