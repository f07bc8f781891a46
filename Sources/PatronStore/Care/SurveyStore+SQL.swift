import Foundation
import PatronCore

extension SQLStore {
    private static let day: Int64 = 86_400_000

    public func runSurveyInvitations(policy: SurveyPolicy, asOf instant: Date) async throws -> SurveyInvitationRun {
        try await writer.submit { db in
            var run = SurveyInvitationRun()
            let now = instant.ms
            // The orders completed on the live path within the window (`survey_candidates`); older ones leave the queue,
            // so it holds about `withinDays` of completions rather than an index over every order.
            let oldest = now - Int64(policy.withinDays) * Self.day
            let orders = try self.sql(
                db,
                """
                SELECT o.id, o.member_id, o.channel FROM survey_candidates c JOIN orders o ON o.id = c.order_id JOIN members m ON m.id = o.member_id
                WHERE c.completed_at > ? AND c.completed_at <= ? AND o.status <> 'cancelled' AND m.erased_at IS NULL
                ORDER BY c.completed_at, o.id
                """
            ).all(oldest, now) { ($0.text(0), $0.int(1), $0.optionalText(2)) }
            try self.sql(db, "DELETE FROM survey_candidates WHERE completed_at <= ?").run(oldest)
            let cutoff = now - Int64(policy.oncePerDays) * Self.day
            for (order, member, channel) in orders {
                run.considered += 1
                guard policy.samples(order: order) else { continue }
                run.sampled += 1
                if try self.sql(db, "SELECT 1 FROM survey_invitations WHERE order_id = ?").one(order, read: { $0.int(0) }) != nil {
                    run.alreadyInvited += 1
                    continue
                }
                if try self.sql(db, "SELECT 1 FROM survey_invitations WHERE member_id = ? AND invited_at > ? LIMIT 1")
                    .one(member, policy.oncePerDays == 0 ? now : cutoff, read: { $0.int(0) }) != nil
                {
                    run.skippedRecentlyInvited += 1
                    continue
                }
                try self.sql(db, "INSERT INTO survey_invitations (member_id, order_id, channel, invited_at) VALUES (?, ?, ?, ?)")
                    .run(member, order, channel, now)
                run.invited += 1
            }
            return run
        }
    }

    public func surveyInvitation(id: Int64) async throws -> SurveyInvitation? {
        try await backend.read { db in try self.surveyInvitation(db, id: id) }
    }

    func surveyInvitation(_ db: SQLSession, id: Int64) throws -> SurveyInvitation? {
        try sql(
            db,
            "SELECT id, member_id, order_id, channel, invited_at, answered_at, score, comment, level, ticket_id FROM survey_invitations WHERE id = ?"
        ).one(id, read: Self.invitation)
    }

    static func invitation(_ row: Columns) -> SurveyInvitation {
        SurveyInvitation(
            id: row.int(0), memberId: row.int(1), orderId: row.text(2), channel: row.optionalText(3), invitedAt: Date(ms: row.int(4)),
            answeredAt: row.optionalInt(5).map(Date.init(ms:)), score: row.optionalInt(6).map { Int($0) }, comment: row.optionalText(7),
            level: row.optionalText(8), ticketId: row.optionalInt(9))
    }

    public func surveyInvitations(member: Int64?, answered: Bool?, before: Int64?, limit: Int) async throws -> [SurveyInvitation] {
        let answeredFlag: Int64 = answered.map { $0 ? 1 : 0 } ?? -1
        return try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT id, member_id, order_id, channel, invited_at, answered_at, score, comment, level, ticket_id FROM survey_invitations
                WHERE (? < 0 OR member_id = ?) AND (? < 0 OR (? = 1 AND answered_at IS NOT NULL) OR (? = 0 AND answered_at IS NULL)) AND id < ?
                ORDER BY id DESC LIMIT ?
                """
            ).all(member ?? -1, member ?? -1, answeredFlag, answeredFlag, answeredFlag, before ?? Int64.max, Int64(limit), read: Self.invitation)
        }
    }

    public func surveyAnswers(from: Date, until: Date, limit: Int) async throws -> [SurveyInvitation] {
        try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT id, member_id, order_id, channel, invited_at, answered_at, score, comment, level, ticket_id FROM survey_invitations
                WHERE answered_at >= ? AND answered_at < ? ORDER BY answered_at DESC, id DESC LIMIT ?
                """
            ).all(from.ms, until.ms, Int64(limit), read: Self.invitation)
        }
    }

    public func answerSurvey(invitation id: Int64, score: Int, comment: String?, at instant: Date) async throws -> SurveyInvitation {
        try SurveyScore.check(score, in: SurveyScore.npsRange, field: "score")
        try SurveyScore.check(comment: comment)
        return try await writer.submit { db in
            guard let invitation = try self.surveyInvitation(db, id: id) else { throw PatronError(.notFound, "no survey invitation \(id)") }
            guard invitation.answeredAt == nil else {
                throw PatronError(.invalidTransition, "survey invitation \(id) was answered already; an invitation takes one answer")
            }
            let level = try self.sql(db, "SELECT level, override_level, override_until FROM members WHERE id = ?")
                .one(invitation.memberId) { row -> String? in
                    row.optionalInt(2).map { $0 > instant.ms } == true ? row.optionalText(1) : row.optionalText(0)
                } ?? nil
            let changed = try self.sql(
                db, "UPDATE survey_invitations SET answered_at = ?, score = ?, comment = ?, level = ? WHERE id = ? AND answered_at IS NULL"
            ).run(instant.ms, Int64(score), comment, level, id)
            guard changed == 1 else { throw PatronError(.invalidTransition, "survey invitation \(id) was answered already") }
            return try self.surveyInvitation(db, id: id)!
        }
    }

    public func linkSurveyTicket(invitation id: Int64, ticket: Int64) async throws {
        try await writer.submit { db in
            _ = try self.sql(db, "UPDATE survey_invitations SET ticket_id = ? WHERE id = ?").run(ticket, id)
        }
    }

    public func npsFacts(from: Date?) async throws -> [NPSFact] {
        try await backend.read { db in
            var segments: [Int64: [String]] = [:]
            for (member, name) in try self.sql(
                db,
                """
                SELECT sm.member_id, s.name FROM segment_members sm JOIN segments s ON s.id = sm.segment_id
                WHERE sm.member_id IN (SELECT member_id FROM survey_invitations WHERE answered_at IS NOT NULL AND answered_at >= ?)
                ORDER BY sm.member_id, s.name
                """
            ).all(from?.ms ?? Int64.min, read: { ($0.int(0), $0.text(1)) }) {
                segments[member, default: []].append(name)
            }
            return try self.sql(
                db,
                """
                SELECT i.member_id, i.score, i.answered_at, i.level, m.enrolled_at, i.channel FROM survey_invitations i JOIN members m ON m.id = i.member_id
                WHERE i.answered_at IS NOT NULL AND i.answered_at >= ? ORDER BY i.answered_at, i.id
                """
            ).all(from?.ms ?? Int64.min) { row in
                NPSFact(
                    member: row.int(0), score: Int(row.int(1)), answeredAt: Date(ms: row.int(2)), level: row.optionalText(3),
                    enrolledAt: Date(ms: row.int(4)), channel: row.optionalText(5), segments: segments[row.int(0)] ?? [])
            }
        }
    }

    public func rateTicket(_ rating: CSATRating) async throws -> CSATRating {
        try SurveyScore.check(rating.score, in: SurveyScore.csatRange, field: "score")
        try SurveyScore.check(comment: rating.comment)
        return try await writer.submit { db in
            do {
                try self.sql(db, "INSERT INTO csat_ratings (ticket_id, member_id, score, comment, rated_at) VALUES (?, ?, ?, ?, ?)")
                    .run(rating.ticketId, rating.memberId, Int64(rating.score), rating.comment, rating.ratedAt.ms)
            } catch where SQLFailure(error) == .duplicateKey {
                throw PatronError(.invalidTransition, "ticket \(rating.ticketId) was rated already; a ticket takes one rating")
            }
            return rating
        }
    }

    public func ticketRating(ticket id: Int64) async throws -> CSATRating? {
        try await backend.read { db in
            try self.sql(db, "SELECT ticket_id, member_id, score, comment, rated_at FROM csat_ratings WHERE ticket_id = ?").one(id, read: Self.rating)
        }
    }

    public func ticketRatings(from: Date?) async throws -> [CSATRating] {
        try await backend.read { db in
            try self.sql(db, "SELECT ticket_id, member_id, score, comment, rated_at FROM csat_ratings WHERE rated_at >= ? ORDER BY rated_at, ticket_id")
                .all(from?.ms ?? Int64.min, read: Self.rating)
        }
    }

    static func rating(_ row: Columns) -> CSATRating {
        CSATRating(ticketId: row.int(0), memberId: row.optionalInt(1), score: Int(row.int(2)), comment: row.optionalText(3), ratedAt: Date(ms: row.int(4)))
    }

    public func recordWinBackOffer(_ offer: NewWinBackOffer) async throws -> WinBackOffer {
        try await writer.submit { db in
            guard try self.sql(db, "SELECT 1 FROM members WHERE id = ?").one(offer.memberId, read: { $0.int(0) }) != nil else {
                throw PatronError(.notFound, "member: no member \(offer.memberId)")
            }
            let id = try self.sql(db, "INSERT INTO winback_offers (member_id, offer, cause, offered_at, actor) VALUES (?, ?, ?, ?, ?)")
                .insert(offer.memberId, offer.offer, offer.cause, offer.offeredAt.ms, offer.actor)
            return WinBackOffer(id: id, memberId: offer.memberId, offer: offer.offer, cause: offer.cause, offeredAt: offer.offeredAt, actor: offer.actor)
        }
    }

    public func winBackOffers() async throws -> [WinBackOffer] {
        try await backend.read { db in
            try self.sql(db, "SELECT id, member_id, offer, cause, offered_at, actor FROM winback_offers ORDER BY offered_at, id").all { row in
                WinBackOffer(
                    id: row.int(0), memberId: row.int(1), offer: row.text(2), cause: row.text(3), offeredAt: Date(ms: row.int(4)), actor: row.text(5))
            }
        }
    }

    public func careSignals() async throws -> [CareSignal] {
        try await backend.read { db in
            var signals: [Int64: CareSignal] = [:]
            for (member, count) in try self.sql(
                db,
                """
                SELECT member_id, count(*) FROM orders WHERE returned_at IS NOT NULL OR (reversed_points > 0 AND status <> 'cancelled')
                GROUP BY member_id
                """
            ).all(read: { ($0.int(0), Int($0.int(1))) }) {
                signals[member] = CareSignal(memberId: member, returns: count, complaints: 0)
            }
            for (member, count) in try self.sql(db, "SELECT member_id, count(*) FROM tickets WHERE member_id IS NOT NULL GROUP BY member_id")
                .all(read: { ($0.int(0), Int($0.int(1))) })
            {
                signals[member, default: CareSignal(memberId: member, returns: 0, complaints: 0)].complaints = count
            }
            return signals.values.sorted { $0.memberId < $1.memberId }
        }
    }
}
