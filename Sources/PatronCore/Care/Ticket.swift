import Foundation

/// A customer-care ticket: a member's complaint or question, its thread, its assignee and its due times.
public struct Ticket: Sendable, Hashable, Codable {
    /// The ticket's number.
    public var id: Int64
    /// The member it is about.
    public var memberId: Int64
    /// What it is about.
    public var category: TicketCategory
    /// How urgent it is.
    public var priority: TicketPriority
    /// Where it is in its life.
    public var status: TicketStatus
    /// Who opened it.
    public var source: TicketSource
    /// Where the member reached the shop (web, phone, chat, email …), free text, if known.
    public var channel: String?
    /// A one-line summary.
    public var subject: String
    /// The member's own words, or the agent's account of them (emptied when the member is erased).
    public var body: String
    /// The order it is about, if any.
    public var orderId: String?
    /// The redemption it is about, if any.
    public var redemptionId: Int64?
    /// The agent working on it.
    public var assignee: String?
    /// Who opened it: `member`, an agent's name, or `job:…` for automatic tickets.
    public var openedBy: String
    /// When it was opened.
    public var openedAt: Date
    /// When the member first got an answer (a note to the member).
    public var firstResponseAt: Date?
    /// When it was last resolved.
    public var resolvedAt: Date?
    /// When it was closed.
    public var closedAt: Date?
    /// How many times it was reopened.
    public var reopenCount: Int
    /// Its due times (resolution counted again from each reopening).
    public var due: TicketDueTimes
    /// When its last change happened.
    public var updatedAt: Date
    /// While the ticket waits for the member: when it started waiting. The resolution clock is paused meanwhile
    /// (the first-response clock is not); leaving `waiting` moves the resolution due time by the service time spent.
    public var waitingSince: Date?

    /// Makes a ticket value.
    public init(
        id: Int64, memberId: Int64, category: TicketCategory, priority: TicketPriority, status: TicketStatus, source: TicketSource,
        channel: String?, subject: String, body: String, orderId: String?, redemptionId: Int64?, assignee: String?, openedBy: String,
        openedAt: Date, firstResponseAt: Date?, resolvedAt: Date?, closedAt: Date?, reopenCount: Int, due: TicketDueTimes, updatedAt: Date,
        waitingSince: Date? = nil
    ) {
        self.id = id
        self.memberId = memberId
        self.category = category
        self.priority = priority
        self.status = status
        self.source = source
        self.channel = channel
        self.subject = subject
        self.body = body
        self.orderId = orderId
        self.redemptionId = redemptionId
        self.assignee = assignee
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.reopenCount = reopenCount
        self.due = due
        self.updatedAt = updatedAt
        self.waitingSince = waitingSince
    }

    /// Whether the first answer came (or, still missing, is) later than due at `instant`.
    public func firstResponseBreached(at instant: Date) -> Bool { (firstResponseAt ?? instant) > due.firstResponse }

    /// The next due time the ticket works towards: the first response while it is unanswered, else the resolution
    /// while it is open; `nil` when resolved or closed, or waiting after an answer (its resolution clock stands still).
    public var nextDue: Date? {
        guard status.isActive else { return nil }
        if firstResponseAt == nil { return status == .open ? min(due.firstResponse, due.resolution) : due.firstResponse }
        return status == .open ? due.resolution : nil
    }

    /// Whether a due time still running is near at `instant`: its escalation warning has come but it is not yet late.
    public func nearBreach(at instant: Date) -> Bool {
        guard status.isActive else { return false }
        if firstResponseAt == nil, instant >= due.firstResponseWarning, instant <= due.firstResponse { return true }
        return status == .open && instant >= due.resolutionWarning && instant <= due.resolution
    }

    /// Whether resolution came (or, still missing on an open ticket, is) later than due at `instant`. A waiting
    /// ticket's resolution clock stands still: it is late only if it was late when it started waiting.
    public func resolutionBreached(at instant: Date) -> Bool {
        let resolved: Date
        switch status {
        case .open: resolved = instant
        case .waiting: resolved = min(waitingSince ?? instant, instant)
        case .resolved, .closed: resolved = resolvedAt ?? closedAt ?? instant
        }
        return resolved > due.resolution
    }
}

/// One timed change of a ticket, with who made it.
public struct TicketEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The ticket was opened.
        case opened
        /// A note was added (internal, or to the member).
        case note
        /// The status changed.
        case status
        /// The ticket was reopened.
        case reopened
        /// The assignee changed.
        case assigned
        /// The member got their first answer.
        case firstResponse
        /// Compensation was granted, requested, approved or refused.
        case compensation
        /// A due time is near: the escalation event was raised.
        case escalation
    }

    /// Who may read a note.
    public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
        /// Staff only.
        case `internal`
        /// Sent to the member: the `careReply` message on its triggered channels, and `care.ticket.message` in the outbox.
        case toMember
    }

    /// The event's id, increasing.
    public var id: Int64
    /// The ticket.
    public var ticketId: Int64
    /// What happened.
    public var kind: Kind
    /// Who made it: an agent, `member`, or `job:…`.
    public var actor: String
    /// When.
    public var at: Date
    /// A note's visibility.
    public var visibility: Visibility?
    /// A note's text, or a short account of the change (`open → waiting`, `assignee: ana`).
    public var text: String

    /// Makes an event.
    public init(id: Int64, ticketId: Int64, kind: Kind, actor: String, at: Date, visibility: Visibility?, text: String) {
        self.id = id
        self.ticketId = ticketId
        self.kind = kind
        self.actor = actor
        self.at = at
        self.visibility = visibility
        self.text = text
    }
}
