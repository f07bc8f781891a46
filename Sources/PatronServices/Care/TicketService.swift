import Foundation
import PatronCore
import PatronStore

/// Customer-care tickets as the command line, the API and the console use them: open, note, assign, move along the
/// status machine, list, and the escalation job. Every change is timed on the ticket's thread with its actor and
/// leaves an audit record (`ticket.open`, `ticket.note`, `ticket.assign`, `ticket.status`) with the same actor.
public struct TicketService: Sendable {
    let context: ServiceContext
    let trail: AuditTrail

    /// Tickets over the context's store, timed by its clock.
    public init(context: ServiceContext) {
        self.context = context
        trail = AuditTrail(store: context.store)
    }

    /// Opens a ticket now; an automatic one with a used origin key returns the ticket it opened.
    public func open(
        memberId: Int64, category: TicketCategory, priority: TicketPriority = .normal, source: TicketSource, channel: String? = nil, subject: String,
        body: String, orderId: String? = nil, redemptionId: Int64? = nil, actor: String, originKey: String? = nil
    ) async throws -> Ticket {
        let ticket = try await context.store.openTicket(
            NewTicket(
                memberId: memberId, category: category, priority: priority, source: source, channel: channel, subject: subject, body: body,
                orderId: orderId, redemptionId: redemptionId, actor: actor, at: context.clock.now(), originKey: originKey))
        if ticket.openedBy == actor, ticket.openedAt == ticket.updatedAt {
            try await trail.record("ticket.open", subject: "ticket:\(ticket.id)", actor: actor, before: nil, after: AuditedTicket(ticket), at: ticket.openedAt)
        }
        return ticket
    }

    /// A ticket with its thread and compensation.
    public func file(id: Int64) async throws -> TicketFile {
        guard let file = try await context.store.ticketFile(id: id) else { throw PatronError(.notFound, "no ticket \(id)") }
        return file
    }

    /// Tickets matching `query`, newest first.
    public func list(_ query: TicketQuery) async throws -> [Ticket] { try await context.store.tickets(query) }

    /// Tickets whose first response or resolution is overdue now.
    public func breached(limit: Int = 100) async throws -> [Ticket] {
        try await context.store.tickets(TicketQuery(statuses: [], breachedAt: context.clock.now(), limit: limit))
    }

    /// Adds a note, internal or to the member.
    public func note(ticket id: Int64, text: String, visibility: TicketEvent.Visibility, actor: String) async throws -> Ticket {
        let now = context.clock.now()
        let ticket = try await context.store.addTicketNote(ticket: id, text: text, visibility: visibility, actor: actor, at: now)
        try await trail.record("ticket.note", subject: "ticket:\(id)", actor: actor, before: nil, after: NoteRecord(visibility: visibility.rawValue, length: text.count), at: now)
        return ticket
    }

    /// Assigns the ticket (`nil` unassigns).
    public func assign(ticket id: Int64, to assignee: String?, actor: String) async throws -> Ticket {
        let now = context.clock.now()
        let before = try await file(id: id).ticket
        let after = try await context.store.assignTicket(id: id, to: assignee, actor: actor, at: now)
        if before.assignee != after.assignee {
            try await trail.record("ticket.assign", subject: "ticket:\(id)", actor: actor, before: before.assignee, after: after.assignee, at: now)
        }
        return after
    }

    /// Moves the ticket to `status` (reopening when it was resolved or closed).
    public func move(ticket id: Int64, to status: TicketStatus, actor: String) async throws -> Ticket {
        let now = context.clock.now()
        let before = try await file(id: id).ticket
        let after = try await context.store.moveTicket(id: id, to: status, actor: actor, at: now)
        try await trail.record("ticket.status", subject: "ticket:\(id)", actor: actor, before: before.status.rawValue, after: after.status.rawValue, at: now)
        return after
    }

    /// Raises the escalation events whose warning time has come (the `care-escalation` job).
    public func runEscalations() async throws -> JobReport {
        try await context.store.runCareEscalations(asOf: context.clock.now())
    }

    /// What the audit trail keeps of an opened ticket: no free text (erasure would have to find it there).
    struct AuditedTicket: Encodable {
        var memberId: Int64
        var category: String
        var priority: String
        var source: String
        init(_ ticket: Ticket) {
            memberId = ticket.memberId
            category = ticket.category.rawValue
            priority = ticket.priority.rawValue
            source = ticket.source.rawValue
        }
    }

    /// What the audit trail keeps of a note: its visibility and length (the text is on the ticket).
    struct NoteRecord: Encodable {
        var visibility: String
        var length: Int
    }
}
