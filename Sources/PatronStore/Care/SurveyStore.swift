import Foundation
import PatronCore

/// Satisfaction surveys in the store: NPS invitations for completed orders (sampled by `SurveyPolicy`), their one
/// answer each, CSAT ratings of closed tickets, and the win-back offers made to lapsing members.
public protocol SurveyStore: Sendable {
    /// Invites the members of sampled orders completed in the `policy.withinDays` before `instant` (one invitation per
    /// order; a member at most once in `policy.oncePerDays`), all in one transaction. Idempotent: an order invited
    /// before is skipped.
    func runSurveyInvitations(policy: SurveyPolicy, asOf instant: Date) async throws -> SurveyInvitationRun
    /// An invitation by id, or `nil`.
    func surveyInvitation(id: Int64) async throws -> SurveyInvitation?
    /// Invitations, newest first, after `before` (an id; `nil` for the newest), only answered ones if asked, at most `limit`.
    func surveyInvitations(member: Int64?, answered: Bool?, before: Int64?, limit: Int) async throws -> [SurveyInvitation]
    /// The invitations answered in `from..<until`, the latest answer first, at most `limit`.
    func surveyAnswers(from: Date, until: Date, limit: Int) async throws -> [SurveyInvitation]
    /// Records the answer to an invitation (0–10, an optional comment), with the member's level in force at `instant`.
    /// An invitation is answered once: a second answer throws `invalidTransition` and changes nothing.
    func answerSurvey(invitation id: Int64, score: Int, comment: String?, at instant: Date) async throws -> SurveyInvitation
    /// Remembers the ticket a detractor's answer opened.
    func linkSurveyTicket(invitation id: Int64, ticket: Int64) async throws
    /// Every answered NPS invitation with the member's enrolment, the order's channel and the member's segments, for
    /// the breakdowns, answered at or after `from` (all when `nil`).
    func npsFacts(from: Date?) async throws -> [NPSFact]
    /// Records a CSAT rating (1–5) for a ticket; a ticket is rated once (`invalidTransition` the second time).
    func rateTicket(_ rating: CSATRating) async throws -> CSATRating
    /// The CSAT rating of a ticket, or `nil`.
    func ticketRating(ticket id: Int64) async throws -> CSATRating?
    /// Every CSAT rating, oldest first, rated at or after `from` (all when `nil`).
    func ticketRatings(from: Date?) async throws -> [CSATRating]

    /// Records a win-back offer made to a member.
    func recordWinBackOffer(_ offer: NewWinBackOffer) async throws -> WinBackOffer
    /// Every win-back offer, oldest first.
    func winBackOffers() async throws -> [WinBackOffer]
    /// Members with returned orders or tickets: how many of each, by member id.
    func careSignals() async throws -> [CareSignal]
}

/// What the store knows of a member's dissatisfaction: orders with a return, and tickets.
public struct CareSignal: Sendable, Hashable, Codable {
    /// The member.
    public var memberId: Int64
    /// Orders with a return (whole or part).
    public var returns: Int
    /// Tickets about the member.
    public var complaints: Int

    /// A signal.
    public init(memberId: Int64, returns: Int, complaints: Int) {
        self.memberId = memberId
        self.returns = returns
        self.complaints = complaints
    }
}

/// What an invitation run did.
public struct SurveyInvitationRun: Sendable, Hashable, Codable {
    /// Completed orders in the window that were looked at.
    public var considered = 0
    /// Orders the sample picked.
    public var sampled = 0
    /// Invitations created.
    public var invited = 0
    /// Sampled orders skipped because the member was invited within `oncePerDays` (or in this run).
    public var skippedRecentlyInvited = 0
    /// Sampled orders that had an invitation already.
    public var alreadyInvited = 0

    /// An empty run.
    public init() {}
}

/// An NPS invitation and, once answered, its answer.
public struct SurveyInvitation: Sendable, Hashable, Codable {
    /// Its id.
    public var id: Int64
    /// The member invited.
    public var memberId: Int64
    /// The completed order it asks about.
    public var orderId: String
    /// The order's sales channel.
    public var channel: String?
    /// When it was created.
    public var invitedAt: Date
    /// When it was answered.
    public var answeredAt: Date?
    /// The answer, 0–10.
    public var score: Int?
    /// The member's comment (`erased` after erasure).
    public var comment: String?
    /// The member's level when they answered.
    public var level: String?
    /// The ticket a detractor's answer opened.
    public var ticketId: Int64?

    /// An invitation.
    public init(
        id: Int64, memberId: Int64, orderId: String, channel: String?, invitedAt: Date, answeredAt: Date? = nil, score: Int? = nil,
        comment: String? = nil, level: String? = nil, ticketId: Int64? = nil
    ) {
        self.id = id
        self.memberId = memberId
        self.orderId = orderId
        self.channel = channel
        self.invitedAt = invitedAt
        self.answeredAt = answeredAt
        self.score = score
        self.comment = comment
        self.level = level
        self.ticketId = ticketId
    }

    /// The answer's category, once answered.
    public var category: NPSCategory? { score.map(NPSCategory.init(score:)) }
}

/// A CSAT rating of a closed ticket.
public struct CSATRating: Sendable, Hashable, Codable {
    /// The ticket rated.
    public var ticketId: Int64
    /// The ticket's member, if it has one.
    public var memberId: Int64?
    /// 1–5.
    public var score: Int
    /// The member's comment.
    public var comment: String?
    /// When it was rated.
    public var ratedAt: Date

    /// A rating.
    public init(ticketId: Int64, memberId: Int64?, score: Int, comment: String?, ratedAt: Date) {
        self.ticketId = ticketId
        self.memberId = memberId
        self.score = score
        self.comment = comment
        self.ratedAt = ratedAt
    }
}

/// A win-back offer to record.
public struct NewWinBackOffer: Sendable, Hashable, Codable {
    /// The member offered it.
    public var memberId: Int64
    /// What was offered, in the shop's words (`coupon:WELCOME10`, `call`, `200 points` …).
    public var offer: String
    /// The cause the follow-up addressed (`WinBackCause` raw value).
    public var cause: String
    /// When it was made.
    public var offeredAt: Date
    /// Who made it.
    public var actor: String

    /// An offer.
    public init(memberId: Int64, offer: String, cause: String, offeredAt: Date, actor: String) {
        self.memberId = memberId
        self.offer = offer
        self.cause = cause
        self.offeredAt = offeredAt
        self.actor = actor
    }
}

/// A recorded win-back offer.
public struct WinBackOffer: Sendable, Hashable, Codable {
    /// Its id.
    public var id: Int64
    /// The member offered it.
    public var memberId: Int64
    /// What was offered.
    public var offer: String
    /// The cause it addressed.
    public var cause: String
    /// When.
    public var offeredAt: Date
    /// Who.
    public var actor: String

    /// An offer.
    public init(id: Int64, memberId: Int64, offer: String, cause: String, offeredAt: Date, actor: String) {
        self.id = id
        self.memberId = memberId
        self.offer = offer
        self.cause = cause
        self.offeredAt = offeredAt
        self.actor = actor
    }
}
