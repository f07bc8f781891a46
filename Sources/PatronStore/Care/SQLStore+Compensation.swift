import Foundation
import PatronCore

extension SQLStore {
    public func compensate(_ request: CompensationRequest) async throws -> CompensationOutcome {
        try FreeText.check(request.note, field: "note", maximumLength: 1_000, required: true)
        try FreeText.check(request.requestKey, field: "requestKey", maximumLength: 200, required: true)
        try Self.checkActor(request.actor)
        switch request.kind {
        case .points(let points):
            guard (1...1_000_000_000).contains(points) else {
                throw PatronError(.invalidInput, "points: compensation is 1 to 1,000,000,000 points, not \(points)")
            }
        case .coupon(let reward): try FreeText.check(reward, field: "rewardId", maximumLength: 200, required: true)
        }
        let (id, replayed) = try await writer.submit { db -> (Int64, Bool) in
            if let existing = try self.sql(db, "SELECT id FROM ticket_compensations WHERE ticket_id = ? AND request_key = ?").one(
                request.ticketId, request.requestKey, read: { $0.int(0) })
            {
                guard let stored = try self.compensation(db, id: existing), stored.matches(request) else {
                    throw PatronError(.idempotencyConflict, "requestKey: '\(request.requestKey)' was already used on ticket \(request.ticketId) for a different compensation")
                }
                return (existing, true)
            }
            let ticket = try self.lockedTicket(db, request.ticketId)
            let program = try self.requireProgram(db).program
            let (points, coupons, rewardId): (Int64, Int, String?) =
                switch request.kind {
                case .points(let points): (points, 0, nil)
                case .coupon(let reward): (0, 1, reward)
                }
            if let rewardId { _ = try self.couponTerms(program, rewardId) }
            var overCap: String?
            if !request.supervisor {
                overCap = try self.reserveWithinCaps(db, ticket: ticket, actor: request.actor, points: points, coupons: coupons, program: program, at: request.at)
            }
            let compensationId = try self.sql(
                db,
                """
                INSERT INTO ticket_compensations (ticket_id, member_id, request_key, points, reward_id, status, note, requested_by, requested_at, over_cap)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).insert(
                ticket.id, ticket.memberId, request.requestKey, points, rewardId, overCap == nil ? "granted" : "pending", request.note, request.actor,
                request.at.ms, overCap)
            if let overCap {
                try self.ticketEvent(db, ticket.id, .compensation, actor: request.actor, at: request.at, text: "requested \(Self.describe(points, rewardId)), waiting for a supervisor: \(overCap)")
            } else {
                if request.supervisor {
                    try self.sql(db, "UPDATE tickets SET compensated_points = compensated_points + ?, compensated_coupons = compensated_coupons + ? WHERE id = ?").run(
                        points, Int64(coupons), ticket.id)
                }
                try self.grant(db, compensation: compensationId, ticket: ticket, points: points, rewardId: rewardId, actor: request.actor, note: request.note, program: program, at: request.at)
            }
            return (compensationId, false)
        }
        guard let compensation = try await backend.read({ db in try self.compensation(db, id: id) }) else {
            throw PatronError(.storage, "compensation \(id) vanished")
        }
        return CompensationOutcome(compensation: compensation, replayed: replayed)
    }

    public func decideCompensation(id: Int64, approve: Bool, actor: String, note: String, at: Date) async throws -> Compensation {
        try Self.checkActor(actor)
        try FreeText.check(note, field: "note", maximumLength: 1_000)
        try await writer.submit { db in
            guard let ticketId = try self.sql(db, "SELECT ticket_id FROM ticket_compensations WHERE id = ?").one(id, read: { $0.int(0) }) else {
                throw PatronError(.notFound, "no compensation \(id)")
            }
            let ticket = try self.lockedTicket(db, ticketId)
            guard let pending = try self.compensation(db, id: id) else { throw PatronError(.notFound, "no compensation \(id)") }
            guard pending.status == .pending else {
                throw PatronError(.invalidTransition, "compensation \(id) is \(pending.status.rawValue): only a pending one can be approved or refused")
            }
            let what = Self.describe(pending.points, pending.rewardId)
            if approve {
                let program = try self.requireProgram(db).program
                try self.sql(db, "UPDATE ticket_compensations SET status = 'granted', decided_by = ?, decided_at = ? WHERE id = ?").run(actor, at.ms, id)
                try self.sql(db, "UPDATE tickets SET compensated_points = compensated_points + ?, compensated_coupons = compensated_coupons + ? WHERE id = ?").run(
                    pending.points, Int64(pending.rewardId == nil ? 0 : 1), ticket.id)
                try self.grant(
                    db, compensation: id, ticket: ticket, points: pending.points, rewardId: pending.rewardId, actor: pending.requestedBy,
                    note: pending.note, program: program, at: at, approvedBy: actor)
            } else {
                try self.sql(db, "UPDATE ticket_compensations SET status = 'refused', decided_by = ?, decided_at = ? WHERE id = ?").run(actor, at.ms, id)
                try self.ticketEvent(db, ticket.id, .compensation, actor: actor, at: at, text: "refused \(what)\(note.isEmpty ? "" : ": \(note)")")
            }
        }
        guard let decided = try await backend.read({ db in try self.compensation(db, id: id) }) else { throw PatronError(.storage, "compensation \(id) vanished") }
        return decided
    }

    public func pendingCompensations(limit: Int) async throws -> [Compensation] {
        try await backend.read { db in
            try self.sql(db, "SELECT id FROM ticket_compensations WHERE status = 'pending' ORDER BY id LIMIT ?").all(Int64(limit)) { $0.int(0) }
                .compactMap { try self.compensation(db, id: $0) }
        }
    }

    /// Adds the request to the ticket's and the agent's day's totals if both stay within the caps, by conditional
    /// updates (on PostgreSQL the second of two concurrent requests waits for the first's row and sees its total).
    /// Returns why not, and changes nothing, when a cap would be exceeded.
    private func reserveWithinCaps(
        _ db: SQLSession, ticket: Ticket, actor: String, points: Int64, coupons: Int, program: Program, at: Date
    ) throws -> String? {
        let caps = program.care.agentCaps
        let day = Int64(program.calendar.localDate(of: at).dayNumber)
        try sql(db, "INSERT INTO care_agent_days (actor, day, points, coupons) VALUES (?, ?, 0, 0) ON CONFLICT (actor, day) DO NOTHING").run(actor, day)
        let c = Int64(coupons)
        guard try sql(db, "UPDATE tickets SET compensated_points = compensated_points + ?, compensated_coupons = compensated_coupons + ? WHERE id = ? AND (? = 0 OR compensated_points + ? <= ?) AND (? = 0 OR compensated_coupons + ? <= ?)")
            .run(points, c, ticket.id, points, points, caps.pointsPerTicket, c, c, Int64(caps.couponsPerTicket)) == 1
        else {
            return "over the cap per ticket (\(caps.pointsPerTicket) points, \(caps.couponsPerTicket) coupon(s))"
        }
        guard try sql(db, "UPDATE care_agent_days SET points = points + ?, coupons = coupons + ? WHERE actor = ? AND day = ? AND (? = 0 OR points + ? <= ?) AND (? = 0 OR coupons + ? <= ?)")
            .run(points, c, actor, day, points, points, caps.pointsPerDay, c, c, Int64(caps.couponsPerDay)) == 1
        else {
            try sql(db, "UPDATE tickets SET compensated_points = compensated_points - ?, compensated_coupons = compensated_coupons - ? WHERE id = ?").run(points, c, ticket.id)
            return "over \(actor)'s cap per day (\(caps.pointsPerDay) points, \(caps.couponsPerDay) coupon(s))"
        }
        return nil
    }

    /// Credits the points through the ledger (reason: the ticket) or issues the coupon, and records both on the
    /// compensation and the ticket's thread.
    private func grant(
        _ db: SQLSession, compensation id: Int64, ticket: Ticket, points: Int64, rewardId: String?, actor: String, note: String, program: Program,
        at: Date, approvedBy: String? = nil
    ) throws {
        try lockChangeable(db, ticket.memberId)
        let reason = "ticket \(ticket.id): \(note)"
        if points > 0 {
            let version = try requireProgram(db)
            var account = try loadAccount(db, member: ticket.memberId, lots: false)
            let draft = account.credit(.adjust, points: points, expiresAt: program.expiry.expiry(of: at, in: program.calendar), reason: reason, actor: approvedBy ?? actor)
            let ids = try post(db, [draft], account: account, version: version.version, at: at)
            try sql(db, "UPDATE ticket_compensations SET entry_id = ? WHERE id = ?").run(ids.last!, id)
            try announce(db, .pointsEarned, member: ticket.memberId, at: at) {
                OutboxPayload.PointsEarned(memberId: ticket.memberId, points: points, status: "active", entryId: ids.last, reason: reason, expiresAt: draft.newLot?.expiresAt)
            }
        }
        if let rewardId {
            let redemption = try issueCoupon(db, member: ticket.memberId, rewardId: rewardId, program: program, at: at)
            try sql(db, "UPDATE ticket_compensations SET redemption_id = ? WHERE id = ?").run(redemption, id)
        }
        let by = approvedBy.map { ", approved by \($0)" } ?? ""
        try ticketEvent(db, ticket.id, .compensation, actor: approvedBy ?? actor, at: at, text: "granted \(Self.describe(points, rewardId))\(by): \(note)")
        try sql(db, "UPDATE tickets SET updated_at = ? WHERE id = ?").run(at.ms, ticket.id)
    }

    private func couponTerms(_ program: Program, _ rewardId: String) throws -> CouponTerms {
        guard let reward = program.rewards.first(where: { $0.id == rewardId }) else {
            throw PatronError(.notFound, "rewardId: no reward '\(rewardId)' in \(program.name)")
        }
        guard case .coupon(let terms) = reward.kind else { throw PatronError(.invalidInput, "rewardId: '\(rewardId)' is not a coupon; only coupons compensate") }
        return terms
    }

    func compensation(_ db: SQLSession, id: Int64) throws -> Compensation? {
        try sql(
            db,
            """
            SELECT ticket_id, member_id, points, reward_id, status, note, requested_by, requested_at, decided_by, decided_at, entry_id, redemption_id, over_cap,
                request_key
            FROM ticket_compensations WHERE id = ?
            """
        ).one(id) {
            Compensation(
                id: id, ticketId: $0.int(0), memberId: $0.int(1), points: $0.int(2), rewardId: $0.optionalText(3),
                status: Compensation.Status(rawValue: $0.text(4)) ?? .pending, note: $0.text(5), requestedBy: $0.text(6), requestedAt: Date(ms: $0.int(7)),
                decidedBy: $0.optionalText(8), decidedAt: $0.optionalInt(9).map(Date.init(ms:)), entryId: $0.optionalInt(10), redemptionId: $0.optionalInt(11),
                overCap: $0.optionalText(12))
        }
    }

    static func describe(_ points: Int64, _ rewardId: String?) -> String {
        rewardId.map { "coupon \($0)" } ?? "\(points) points"
    }
}

extension Compensation {
    /// Whether a stored compensation is what `request` asks for (a replay), not another request under the same key.
    func matches(_ request: CompensationRequest) -> Bool {
        guard requestedBy == request.actor, note == request.note else { return false }
        switch request.kind {
        case .points(let p): return rewardId == nil && points == p
        case .coupon(let reward): return rewardId == reward
        }
    }
}
