import Foundation
import PatronCore

/// Customer-care tickets in the store: opening (by a member, an agent, or the write path itself), the timed thread of
/// changes, due times and the escalation job, and compensation within the agents' caps. Each method is one transaction.
public protocol CareStore: Sendable {
    /// Opens a ticket with its due times from the program's `care` section; an automatic ticket with an `originKey`
    /// already used returns that ticket instead.
    func openTicket(_ request: NewTicket) async throws -> Ticket
    /// A ticket with its thread and compensation, or `nil`.
    func ticketFile(id: Int64) async throws -> TicketFile?
    /// Tickets matching `query`, newest first.
    func tickets(_ query: TicketQuery) async throws -> [Ticket]
    /// Adds a note; the first note to the member is the ticket's first response. A note to the member queues the
    /// `careReply` message on each channel its trigger names and writes a `care.ticket.message` outbox event, in the
    /// note's transaction.
    func addTicketNote(ticket id: Int64, text: String, visibility: TicketEvent.Visibility, actor: String, at: Date) async throws -> Ticket
    /// Assigns the ticket to an agent (`nil` unassigns).
    func assignTicket(id: Int64, to assignee: String?, actor: String, at: Date) async throws -> Ticket
    /// Moves the ticket along its status machine; reopening counts resolution from the reopening, and leaving `waiting`
    /// moves the resolution due time by the service time spent waiting (the resolution clock is paused meanwhile).
    func moveTicket(id: Int64, to status: TicketStatus, actor: String, at: Date) async throws -> Ticket
    /// Raises `care.ticket.escalation` once for each unanswered or unresolved ticket whose warning time has passed by
    /// `instant`. Idempotent, and safe from several processes (a conditional update claims each warning).
    func runCareEscalations(asOf instant: Date) async throws -> JobReport
    /// Grants compensation from a ticket within the agent's caps, or records it pending a supervisor's approval when it
    /// would exceed them. The same ticket and request key grant once.
    func compensate(_ request: CompensationRequest) async throws -> CompensationOutcome
    /// A supervisor approves (and so grants) or refuses a pending compensation.
    func decideCompensation(id: Int64, approve: Bool, actor: String, note: String, at: Date) async throws -> Compensation
    /// Compensations waiting for a supervisor, oldest first.
    func pendingCompensations(limit: Int) async throws -> [Compensation]
}

/// What opens a ticket.
public struct NewTicket: Sendable, Hashable {
    /// The member it is about.
    public var memberId: Int64
    /// What it is about.
    public var category: TicketCategory
    /// How urgent.
    public var priority: TicketPriority
    /// Who opens it.
    public var source: TicketSource
    /// Where the member reached the shop, if known.
    public var channel: String?
    /// A one-line summary (1–200 characters).
    public var subject: String
    /// The complaint (up to 10,000 characters).
    public var body: String
    /// The order it is about.
    public var orderId: String?
    /// The redemption it is about.
    public var redemptionId: Int64?
    /// Who opens it: `member`, an agent, or `job:…`.
    public var actor: String
    /// When.
    public var at: Date
    /// For tickets the write path opens: one ticket per origin (`return:EVENT`, `redemption:KEY`).
    public var originKey: String?

    /// Makes a request.
    public init(
        memberId: Int64, category: TicketCategory, priority: TicketPriority = .normal, source: TicketSource, channel: String? = nil,
        subject: String, body: String, orderId: String? = nil, redemptionId: Int64? = nil, actor: String, at: Date, originKey: String? = nil
    ) {
        self.memberId = memberId
        self.category = category
        self.priority = priority
        self.source = source
        self.channel = channel
        self.subject = subject
        self.body = body
        self.orderId = orderId
        self.redemptionId = redemptionId
        self.actor = actor
        self.at = at
        self.originKey = originKey
    }
}

/// A ticket with its thread and compensation.
public struct TicketFile: Sendable, Hashable, Codable {
    /// The ticket.
    public var ticket: Ticket
    /// Every change, oldest first.
    public var events: [TicketEvent]
    /// Every compensation granted, pending or refused, oldest first.
    public var compensations: [Compensation]
}

/// Which tickets to list.
public struct TicketQuery: Sendable, Hashable {
    /// Only tickets in these statuses (all when empty).
    public var statuses: Set<TicketStatus>
    /// Only tickets of these categories (all when empty).
    public var categories: Set<TicketCategory> = []
    /// Only tickets of these priorities (all when empty).
    public var priorities: Set<TicketPriority> = []
    /// Only this member's.
    public var memberId: Int64?
    /// Only this agent's.
    public var assignee: String?
    /// Only tickets whose first response or resolution is overdue at this instant.
    public var breachedAt: Date?
    /// Only tickets opened at or after this instant.
    public var openedFrom: Date?
    /// Only tickets opened before this instant.
    public var openedUntil: Date?
    /// Only tickets with an id below this (paging, newest first).
    public var before: Int64?
    /// At most this many (1–500).
    public var limit: Int

    /// Makes a query.
    public init(
        statuses: Set<TicketStatus> = [], memberId: Int64? = nil, assignee: String? = nil, breachedAt: Date? = nil, openedFrom: Date? = nil,
        openedUntil: Date? = nil, before: Int64? = nil, limit: Int = 50
    ) {
        self.openedFrom = openedFrom
        self.openedUntil = openedUntil
        self.statuses = statuses
        self.memberId = memberId
        self.assignee = assignee
        self.breachedAt = breachedAt
        self.before = before
        self.limit = limit
    }
}

/// What compensation gives.
public enum CompensationKind: Sendable, Hashable, Codable {
    /// Goodwill points, credited through the ledger with the ticket as reason.
    case points(Int64)
    /// A coupon reward of the program, issued without taking points.
    case coupon(rewardId: String)
}

/// A request to compensate a member from a ticket.
public struct CompensationRequest: Sendable, Hashable {
    /// The ticket.
    public var ticketId: Int64
    /// What to give.
    public var kind: CompensationKind
    /// Why (kept with the ledger entry and the ticket).
    public var note: String
    /// Who asks.
    public var actor: String
    /// Whether the actor is a supervisor, whose grants have no cap.
    public var supervisor: Bool
    /// The request's key: the same ticket and key compensate once.
    public var requestKey: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(ticketId: Int64, kind: CompensationKind, note: String, actor: String, supervisor: Bool = false, requestKey: String, at: Date) {
        self.ticketId = ticketId
        self.kind = kind
        self.note = note
        self.actor = actor
        self.supervisor = supervisor
        self.requestKey = requestKey
        self.at = at
    }
}

/// A compensation and where it stands.
public struct Compensation: Sendable, Hashable, Codable {
    /// Where a compensation stands.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Given: points credited or coupon issued.
        case granted
        /// Above the agent's caps: waiting for a supervisor.
        case pending
        /// A supervisor said no.
        case refused
    }

    /// Its id.
    public var id: Int64
    /// The ticket.
    public var ticketId: Int64
    /// The member compensated.
    public var memberId: Int64
    /// Goodwill points (0 for a coupon).
    public var points: Int64
    /// The coupon reward, if a coupon.
    public var rewardId: String?
    /// Where it stands.
    public var status: Status
    /// Why.
    public var note: String
    /// Who asked.
    public var requestedBy: String
    /// When.
    public var requestedAt: Date
    /// The supervisor who approved or refused it.
    public var decidedBy: String?
    /// When they did.
    public var decidedAt: Date?
    /// The ledger entry of granted points.
    public var entryId: Int64?
    /// The issued coupon (a redemption of no points).
    public var redemptionId: Int64?
    /// Why it waits for a supervisor, when it does.
    public var overCap: String?
}

/// What a compensation request did.
public struct CompensationOutcome: Sendable, Hashable, Codable {
    /// The compensation, granted or pending.
    public var compensation: Compensation
    /// Whether this is a replay of the same ticket and request key.
    public var replayed: Bool
}
