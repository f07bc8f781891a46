import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    /// Loads a member's balances, and their open lots when the change may touch lots.
    func loadAccount(_ db: Database, member id: Int64, lots withLots: Bool) throws -> Account {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT active, pending, lifetime_earned, lifetime_spent FROM members WHERE id = ?"), arguments: [id])
        else { throw PatronError(.notFound, "no member \(id)") }
        let lots = withLots ? try openLots(db, member: id) : []
        return Account(memberId: id, balances: Self.balances(row), lots: lots)
    }

    func openLots(_ db: Database, member id: Int64) throws -> [Lot] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, points, remaining, created_at, expires_at, order_id FROM lots WHERE member_id = ? AND remaining > 0"),
            arguments: [id]
        ).map { row in
            Lot(
                id: row["id"], memberId: id, points: row["points"], remaining: row["remaining"], createdAt: Date(ms: row["created_at"]),
                expiresAt: (row["expires_at"] as Int64?).map(Date.init(ms:)), orderId: row["order_id"])
        }.sorted(by: Lot.spendingOrder)
    }

    /// Writes entries, their lots and allocations, and the account's balances, all in the caller's transaction.
    /// Returns the ids of the entries written.
    @discardableResult
    func post(_ db: Database, _ drafts: [LedgerEntry.Draft], account: Account, version: Int, at date: Date) throws -> [Int64] {
        var ids: [Int64] = []
        for draft in drafts {
            try db.run(
                """
                INSERT INTO entries (member_id, kind, active_delta, pending_delta, order_id, program_version, occurred_at, reason, actor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [account.memberId, draft.kind.rawValue, draft.activeDelta, draft.pendingDelta, draft.orderId, version, (draft.occurredAt ?? date).ms, draft.reason, draft.actor])
            let entryId = db.lastInsertedRowID
            ids.append(entryId)
            if let lot = draft.newLot {
                try db.run(
                    "INSERT INTO lots (id, member_id, points, remaining, created_at, expires_at, order_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [entryId, account.memberId, lot.points, lot.remaining, (draft.occurredAt ?? date).ms, lot.expiresAt?.ms, draft.orderId])
                if lot.remaining > 0 { try allocate(db, entry: entryId, lot: entryId, member: account.memberId, points: lot.remaining) }
            }
            for allocation in draft.allocations {
                try allocate(db, entry: entryId, lot: allocation.lotId, member: account.memberId, points: allocation.points)
                try db.run("UPDATE lots SET remaining = remaining + ? WHERE id = ?", [allocation.points, allocation.lotId])
            }
        }
        let b = account.balances
        try db.run(
            "UPDATE members SET active = ?, pending = ?, lifetime_earned = ?, lifetime_spent = ? WHERE id = ?",
            [b.active, b.pending, b.lifetimeEarned, b.lifetimeSpent, account.memberId])
        return ids
    }

    private func allocate(_ db: Database, entry: Int64, lot: Int64, member: Int64, points: Int64) throws {
        try db.run("INSERT INTO allocations (entry_id, lot_id, member_id, points) VALUES (?, ?, ?, ?)", [entry, lot, member, points])
    }

    public func adjust(_ adjustment: Adjustment) async throws -> AdjustmentOutcome {
        let reason = adjustment.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let actor = adjustment.actor.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw PatronError(.invalidInput, "an adjustment needs a reason") }
        guard !actor.isEmpty else { throw PatronError(.invalidInput, "an adjustment needs an actor (who made it)") }
        guard adjustment.points != 0, adjustment.points.magnitude <= 1_000_000_000 else {
            throw PatronError(.invalidInput, "an adjustment must be a non-zero number of points up to 1,000,000,000, not \(adjustment.points)")
        }
        var f = Fingerprint()
        f.mix(adjustment.memberId); f.mix(adjustment.points); f.mix(reason); f.mix(actor)
        let fingerprint = f.value
        return try await writer.submit { db -> AdjustmentOutcome in
            let result: (value: AdjustmentOutcome, replayed: Bool) = try self.idempotent(db, key: "adjust:\(adjustment.key)", fingerprint: fingerprint) {
                let version = try self.requireProgram(db)
                let program = version.program
                var account = try self.loadAccount(db, member: adjustment.memberId, lots: adjustment.points < 0)
                let draft =
                    adjustment.points > 0
                    ? account.credit(
                        .adjust, points: adjustment.points, expiresAt: program.expiry.expiry(of: adjustment.at, in: program.calendar),
                        reason: reason, actor: actor)
                    : try account.take(.adjust, points: -adjustment.points, allowNegative: false, reason: reason, actor: actor)
                let ids = try self.post(db, [draft], account: account, version: version.version, at: adjustment.at)
                return AdjustmentOutcome(entryId: ids[0], balances: account.balances, replayed: false)
            }
            var outcome = result.value
            outcome.replayed = result.replayed
            return outcome
        }
    }
}
