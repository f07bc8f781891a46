import Foundation
import PatronCore

extension SQLStore {
    public func openTicket(_ request: NewTicket) async throws -> Ticket {
        try Self.checkTicketText(request)
        let id = try await writer.submit { db -> Int64 in try self.openTicket(db, request) }
        return try await ticket(id: id)
    }

    /// Opens a ticket inside the caller's transaction (an order's savepoint, say) and returns its id; a used
    /// `originKey` returns the ticket it opened.
    func openTicket(_ db: SQLSession, _ request: NewTicket) throws -> Int64 {
        if let origin = request.originKey, let existing = try sql(db, "SELECT id FROM tickets WHERE origin_key = ?").one(origin, read: { $0.int(0) }) {
            return existing
        }
        let care = try requireProgram(db).program.care
        guard try sql(db, "SELECT 1 FROM members WHERE id = ?").one(request.memberId, read: { $0.int(0) }) != nil else {
            throw PatronError(.notFound, "memberId: no member \(request.memberId)")
        }
        if let erased = try erasedAt(db, member: request.memberId) {
            throw PatronError(.memberErased, "member \(request.memberId) was erased at \(erased); no ticket can be opened for them")
        }
        if let order = request.orderId {
            let owner = try sql(db, "SELECT member_id FROM orders WHERE id = ?").one(order) { $0.int(0) }
            guard owner == request.memberId else { throw PatronError(.notFound, "orderId: member \(request.memberId) has no order '\(order)'") }
        }
        if let redemption = request.redemptionId {
            let owner = try sql(db, "SELECT member_id FROM redemptions WHERE id = ?").one(redemption) { $0.int(0) }
            guard owner == request.memberId else { throw PatronError(.notFound, "redemptionId: member \(request.memberId) has no redemption \(redemption)") }
        }
        let due = care.dueTimes(request.category, request.priority, openedAt: request.at)
        let id = try sql(
            db,
            """
            INSERT INTO tickets (member_id, category, priority, status, source, channel, subject, body, order_id, redemption_id, opened_by, opened_at,
                first_response_due, resolution_due, first_response_warn_at, resolution_warn_at, updated_at, origin_key)
            VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).insert(
            request.memberId, request.category.rawValue, request.priority.rawValue, request.source.rawValue, request.channel, request.subject,
            request.body, request.orderId, request.redemptionId, request.actor, request.at.ms, due.firstResponse.ms, due.resolution.ms,
            due.firstResponseWarning.ms, due.resolutionWarning.ms, request.at.ms, request.originKey)
        try ticketEvent(db, id, .opened, actor: request.actor, at: request.at, text: "\(request.category.rawValue), \(request.priority.rawValue)")
        return id
    }

    public func ticketFile(id: Int64) async throws -> TicketFile? {
        try await backend.read { db in
            guard let ticket = try self.ticket(db, id: id) else { return nil }
            let events = try self.sql(db, "SELECT id, kind, actor, occurred_at, visibility, body FROM ticket_events WHERE ticket_id = ? ORDER BY id").all(id) {
                TicketEvent(
                    id: $0.int(0), ticketId: id, kind: TicketEvent.Kind(rawValue: $0.text(1)) ?? .note, actor: $0.text(2), at: Date(ms: $0.int(3)),
                    visibility: $0.optionalText(4).flatMap(TicketEvent.Visibility.init(rawValue:)), text: $0.text(5))
            }
            let compensations = try self.sql(db, "SELECT id FROM ticket_compensations WHERE ticket_id = ? ORDER BY id").all(id) { $0.int(0) }
                .compactMap { try self.compensation(db, id: $0) }
            return TicketFile(ticket: ticket, events: events, compensations: compensations)
        }
    }

    public func tickets(_ query: TicketQuery) async throws -> [Ticket] {
        guard (1...500).contains(query.limit) else { throw PatronError(.invalidInput, "limit: must be from 1 to 500, not \(query.limit)") }
        func list(_ names: [String]) -> String { names.isEmpty ? "" : "," + names.sorted().joined(separator: ",") + "," }
        let statuses = list(query.statuses.map(\.rawValue))
        let categories = list(query.categories.map(\.rawValue)), priorities = list(query.priorities.map(\.rawValue))
        let breached = query.breachedAt?.ms ?? -1
        return try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT id FROM tickets
                WHERE (? = '' OR ? LIKE '%,' || status || ',%')
                    AND (? = '' OR ? LIKE '%,' || category || ',%')
                    AND (? = '' OR ? LIKE '%,' || priority || ',%')
                    AND (? < 0 OR member_id = ?)
                    AND (? = '' OR assignee = ?)
                    AND (? < 0 OR first_response_due < coalesce(first_response_at, ?)
                        OR resolution_due < CASE WHEN status = 'open' THEN ?
                            WHEN status = 'waiting' THEN (SELECT e.occurred_at FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'status' ORDER BY e.id DESC LIMIT 1)
                            ELSE coalesce(resolved_at, closed_at, ?) END)
                    AND opened_at >= ? AND opened_at < ?
                    AND id < ?
                ORDER BY id DESC LIMIT ?
                """
            ).all(
                statuses, statuses, categories, categories, priorities, priorities, query.memberId ?? -1, query.memberId ?? -1, query.assignee ?? "", query.assignee ?? "", breached, breached, breached,
                breached, query.openedFrom?.ms ?? Int64.min, query.openedUntil?.ms ?? Int64.max, query.before ?? Int64.max, Int64(query.limit)
            ) { $0.int(0) }.compactMap { try self.ticket(db, id: $0) }
        }
    }

    public func addTicketNote(ticket id: Int64, text: String, visibility: TicketEvent.Visibility, actor: String, at: Date) async throws -> Ticket {
        try FreeText.check(text, field: "text", maximumLength: 10_000, required: true)
        try Self.checkActor(actor)
        try await writer.submit { db in
            let ticket = try self.lockedTicket(db, id)
            let noteId = try self.ticketEvent(db, id, .note, actor: actor, at: at, visibility: visibility, text: text)
            if visibility == .toMember {
                if ticket.firstResponseAt == nil {
                    try self.sql(db, "UPDATE tickets SET first_response_at = ? WHERE id = ?").run(at.ms, id)
                    try self.ticketEvent(db, id, .firstResponse, actor: actor, at: at, text: "first response")
                }
                try self.announce(db, .careTicketMessage, member: ticket.memberId, at: at) {
                    OutboxPayload.CareTicketMessage(memberId: ticket.memberId, ticketId: id, noteId: noteId, subject: ticket.subject, text: text)
                }
            }
            try self.sql(db, "UPDATE tickets SET updated_at = ? WHERE id = ?").run(at.ms, id)
        }
        return try await ticket(id: id)
    }

    public func assignTicket(id: Int64, to assignee: String?, actor: String, at: Date) async throws -> Ticket {
        if let assignee { try FreeText.check(assignee, field: "assignee", maximumLength: 200, required: true) }
        try Self.checkActor(actor)
        try await writer.submit { db in
            let ticket = try self.lockedTicket(db, id)
            guard ticket.assignee != assignee else { return }
            try self.sql(db, "UPDATE tickets SET assignee = ?, updated_at = ? WHERE id = ?").run(assignee, at.ms, id)
            try self.ticketEvent(db, id, .assigned, actor: actor, at: at, text: "\(ticket.assignee ?? "nobody") → \(assignee ?? "nobody")")
        }
        return try await ticket(id: id)
    }

    public func moveTicket(id: Int64, to status: TicketStatus, actor: String, at: Date) async throws -> Ticket {
        try Self.checkActor(actor)
        try await writer.submit { db in
            let ticket = try self.lockedTicket(db, id)
            _ = try ticket.status.moving(to: status, ticket: id)
            if ticket.status.isReopening(to: status) {
                let care = try self.requireProgram(db).program.care
                let due = care.dueTimes(ticket.category, ticket.priority, openedAt: at)
                try self.sql(
                    db,
                    """
                    UPDATE tickets SET status = 'open', resolved_at = NULL, closed_at = NULL, reopen_count = reopen_count + 1, resolution_due = ?,
                        resolution_warn_at = ?, resolution_escalated = 0, updated_at = ?
                    WHERE id = ?
                    """
                ).run(due.resolution.ms, due.resolutionWarning.ms, at.ms, id)
                try self.ticketEvent(db, id, .reopened, actor: actor, at: at, text: "\(ticket.status.rawValue) → open")
                return
            }
            if ticket.status == .waiting, let since = ticket.waitingSince {
                try self.resumeResolutionClock(db, ticket, waitingSince: since, at: at)
            }
            switch status {
            case .resolved: try self.sql(db, "UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?").run(at.ms, at.ms, id)
            case .closed: try self.sql(db, "UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?").run(at.ms, at.ms, id)
            case .open, .waiting: try self.sql(db, "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?").run(status.rawValue, at.ms, id)
            }
            try self.ticketEvent(db, id, .status, actor: actor, at: at, text: "\(ticket.status.rawValue) → \(status.rawValue)")
        }
        return try await ticket(id: id)
    }

    /// Leaving `waiting`: the resolution clock stood still while the ticket waited for the member, so the resolution
    /// due time (and its warning) is what was left of it when waiting began, counted in service time from now. A due
    /// time already passed when waiting began stays (late is late); the first-response due time never moves.
    func resumeResolutionClock(_ db: SQLSession, _ ticket: Ticket, waitingSince since: Date, at: Date) throws {
        let hours = try requireProgram(db).program.care.hours
        func resumed(_ due: Date) -> Date {
            guard due > since else { return due }
            let left = hours.serviceSeconds(from: since, to: due)
            return left > 0 ? hours.adding(seconds: left, to: max(at, since)) : due
        }
        let due = resumed(ticket.due.resolution), warning = resumed(ticket.due.resolutionWarning)
        guard due != ticket.due.resolution || warning != ticket.due.resolutionWarning else { return }
        try sql(db, "UPDATE tickets SET resolution_due = ?, resolution_warn_at = ? WHERE id = ?").run(due.ms, warning.ms, ticket.id)
    }


    // MARK: Helpers

    func ticket(id: Int64) async throws -> Ticket {
        guard let ticket = try await backend.read({ db in try self.ticket(db, id: id) }) else { throw PatronError(.notFound, "no ticket \(id)") }
        return ticket
    }

    /// The ticket, its row locked on PostgreSQL until the transaction ends.
    func lockedTicket(_ db: SQLSession, _ id: Int64) throws -> Ticket {
        guard try sql(db, "SELECT id FROM tickets WHERE id = ?", postgresLock: "FOR UPDATE").one(id, read: { $0.int(0) }) != nil,
            let ticket = try ticket(db, id: id)
        else { throw PatronError(.notFound, "no ticket \(id)") }
        return ticket
    }

    func ticket(_ db: SQLSession, id: Int64) throws -> Ticket? {
        try sql(
            db,
            """
            SELECT member_id, category, priority, status, source, channel, subject, body, order_id, redemption_id, assignee, opened_by, opened_at,
                first_response_at, resolved_at, closed_at, reopen_count, first_response_due, resolution_due, first_response_warn_at, resolution_warn_at,
                updated_at,
                -- while waiting: since when (only a status change leads into waiting, so the latest one)
                CASE WHEN status = 'waiting' THEN (SELECT e.occurred_at FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'status' ORDER BY e.id DESC LIMIT 1) END
            FROM tickets WHERE id = ?
            """
        ).one(id) {
            Ticket(
                id: id, memberId: $0.int(0), category: TicketCategory(rawValue: $0.text(1)) ?? .other, priority: TicketPriority(rawValue: $0.text(2)) ?? .normal,
                status: TicketStatus(rawValue: $0.text(3)) ?? .open, source: TicketSource(rawValue: $0.text(4)) ?? .agent, channel: $0.optionalText(5),
                subject: $0.text(6), body: $0.text(7), orderId: $0.optionalText(8), redemptionId: $0.optionalInt(9), assignee: $0.optionalText(10),
                openedBy: $0.text(11), openedAt: Date(ms: $0.int(12)), firstResponseAt: $0.optionalInt(13).map(Date.init(ms:)),
                resolvedAt: $0.optionalInt(14).map(Date.init(ms:)), closedAt: $0.optionalInt(15).map(Date.init(ms:)), reopenCount: Int($0.int(16)),
                due: TicketDueTimes(
                    firstResponse: Date(ms: $0.int(17)), resolution: Date(ms: $0.int(18)), firstResponseWarning: Date(ms: $0.int(19)),
                    resolutionWarning: Date(ms: $0.int(20))),
                updatedAt: Date(ms: $0.int(21)), waitingSince: $0.optionalInt(22).map(Date.init(ms:)))
        }
    }

    /// Appends a timed change to a ticket's thread; returns its id.
    @discardableResult
    func ticketEvent(_ db: SQLSession, _ ticket: Int64, _ kind: TicketEvent.Kind, actor: String, at: Date, visibility: TicketEvent.Visibility? = nil, text: String)
        throws -> Int64
    {
        try sql(db, "INSERT INTO ticket_events (ticket_id, kind, actor, occurred_at, visibility, body) VALUES (?, ?, ?, ?, ?, ?)").insert(
            ticket, kind.rawValue, actor, at.ms, visibility?.rawValue, text)
    }

    static func checkTicketText(_ request: NewTicket) throws {
        try FreeText.check(request.subject, field: "subject", maximumLength: 200, required: true)
        try FreeText.check(request.body, field: "body", maximumLength: 10_000)
        if let channel = request.channel { try FreeText.check(channel, field: "channel", maximumLength: 50, required: true) }
        if let order = request.orderId { try FreeText.check(order, field: "orderId", maximumLength: 200, required: true) }
        if let origin = request.originKey { try FreeText.check(origin, field: "originKey", maximumLength: 300, required: true) }
        try checkActor(request.actor)
    }

    static func checkActor(_ actor: String) throws {
        try FreeText.check(actor, field: "actor", maximumLength: 200, required: true)
    }
}
