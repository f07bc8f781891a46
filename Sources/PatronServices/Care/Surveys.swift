import Foundation
import PatronCore
import PatronStore

/// What happens after a detractor (0–6) answers: customer care opens a ticket. The ticket service implements it; a
/// context without one records the answer and opens nothing.
public protocol DetractorFollowUp: Sendable {
    /// Opens a ticket about the answered invitation and returns its id.
    func openTicket(forDetractor invitation: SurveyInvitation) async throws -> Int64
}

/// The satisfaction use cases the command line, the API and the console share: inviting members after completed
/// orders, answers, CSAT ratings of closed tickets, and NPS broken down.
public struct SurveyService: Sendable {
    let context: ServiceContext
    let followUp: (any DetractorFollowUp)?
    let trail: AuditTrail

    /// Surveys over the context's store and clock; `followUp` opens a ticket for each detractor's answer.
    public init(context: ServiceContext, followUp: (any DetractorFollowUp)?) {
        self.context = context
        self.followUp = followUp
        trail = AuditTrail(store: context.store)
    }

    /// The program's survey policy; `nil` when the program has no `care.surveys` section (surveys are off).
    public func policy() async throws -> SurveyPolicy? {
        try await context.currentProgram().program.care.surveys
    }

    /// Creates the invitations for the sampled orders completed lately (see `SurveyPolicy`). Idempotent. With no
    /// `care.surveys` in the program it invites nobody and says so.
    public func runInvitations() async throws -> SurveyInvitationRun {
        guard let policy = try await policy() else {
            throw PatronError(.invalidInput, "care.surveys: the program has no survey section, so no one is invited; add care: surveys: to the program")
        }
        return try await context.store.runSurveyInvitations(policy: policy, asOf: context.clock.now())
    }

    /// Records a member's answer (0–10 and an optional comment) to an invitation, once. A detractor's answer opens a
    /// ticket through the follow-up, and the invitation remembers it.
    public func answer(invitation id: Int64, score: Int, comment: String?) async throws -> SurveyInvitation {
        var answered = try await context.store.answerSurvey(invitation: id, score: score, comment: Self.trimmed(comment), at: context.clock.now())
        if answered.category == .detractor, let followUp {
            let ticket = try await followUp.openTicket(forDetractor: answered)
            try await context.store.linkSurveyTicket(invitation: id, ticket: ticket)
            answered.ticketId = ticket
        }
        return answered
    }

    /// An invitation by id; `notFound` when there is none.
    public func invitation(_ id: Int64) async throws -> SurveyInvitation {
        guard let invitation = try await context.store.surveyInvitation(id: id) else { throw PatronError(.notFound, "no survey invitation \(id)") }
        return invitation
    }

    /// Invitations, newest first.
    public func invitations(member: Int64? = nil, answered: Bool? = nil, before: Int64? = nil, limit: Int = 100) async throws -> [SurveyInvitation] {
        guard (1...1_000).contains(limit) else { throw PatronError(.invalidInput, "limit: must be from 1 to 1000") }
        return try await context.store.surveyInvitations(member: member, answered: answered, before: before, limit: limit)
    }

    /// The answers given in `from..<until`, the latest first, at most `limit` (1–1,000).
    public func answers(from: Date, until: Date, limit: Int) async throws -> [SurveyInvitation] {
        guard (1...1_000).contains(limit) else { throw PatronError(.invalidInput, "limit: must be from 1 to 1000") }
        return try await context.store.surveyAnswers(from: from, until: until, limit: limit)
    }

    /// Records the member's CSAT rating (1–5) of a ticket; `isClosed` is the ticket service's answer to whether the
    /// ticket is closed (only a closed ticket is rated). Once per ticket.
    public func rate(ticket id: Int64, member: Int64?, score: Int, comment: String?, isClosed: Bool) async throws -> CSATRating {
        try SurveyScore.check(score, in: SurveyScore.csatRange, field: "score")
        guard isClosed else { throw PatronError(.invalidTransition, "ticket \(id) is not closed; a ticket is rated when it closes") }
        return try await context.store.rateTicket(
            CSATRating(ticketId: id, memberId: member, score: score, comment: Self.trimmed(comment), ratedAt: context.clock.now()))
    }

    /// NPS overall and by level, segment, cohort, channel and month, from answers at or after `from` and, with
    /// `until`, before it.
    public func breakdown(from: Date? = nil, until: Date? = nil) async throws -> NPSBreakdown {
        let (facts, calendar) = try await npsFacts(from: from, until: until)
        return NPSBreakdown(facts: facts, calendar: calendar)
    }

    /// The breakdown of the answers in `from ..< until` and the monthly trend of those in `trendFrom ..< until`, from
    /// one read of the answers.
    public func breakdown(from: Date, until: Date, trendFrom: Date) async throws -> (period: NPSBreakdown, trend: [NPSGroup]) {
        let (facts, calendar) = try await npsFacts(from: min(from, trendFrom), until: until)
        let period = NPSBreakdown(facts: facts.filter { $0.answeredAt >= from }, calendar: calendar)
        return (period, NPSBreakdown(facts: facts.filter { $0.answeredAt >= trendFrom }, calendar: calendar).byMonth)
    }

    /// The answers at or after `from` and before `until`, with the program's calendar that groups them.
    private func npsFacts(from: Date?, until: Date?) async throws -> ([NPSFact], ShopCalendar) {
        let calendar = try await context.currentProgram().program.calendar
        var facts = try await context.store.npsFacts(from: from)
        if let until { facts.removeAll { $0.answeredAt >= until } }
        return (facts, calendar)
    }

    /// Each member's latest NPS answer, keyed by member id as text: the attitude loyalty analysis reads.
    public func latestScores() async throws -> [String: Int] {
        var latest: [String: Int] = [:]
        for fact in try await context.store.npsFacts(from: nil) { latest[String(fact.member)] = fact.score }  // oldest first: the last wins
        return latest
    }

    static func trimmed(_ comment: String?) -> String? {
        guard let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
