import Foundation
import PatronCore

extension SQLStore {
    public func runCareEscalations(asOf instant: Date) async throws -> JobReport {
        try await writer.submit { db -> JobReport in
            var raised = 0
            let firsts = try self.sql(
                db,
                """
                SELECT id FROM tickets
                WHERE first_response_escalated = 0 AND first_response_at IS NULL AND status IN ('open', 'waiting') AND first_response_warn_at <= ?
                ORDER BY id LIMIT 1000
                """
            ).all(instant.ms) { $0.int(0) }
            for id in firsts {
                // The conditional update claims the warning: another server running the job at once raises it not again.
                guard try self.sql(db, "UPDATE tickets SET first_response_escalated = 1 WHERE id = ? AND first_response_escalated = 0").run(id) == 1,
                    let ticket = try self.ticket(db, id: id)
                else { continue }
                try self.escalate(db, ticket, target: "firstResponse", due: ticket.due.firstResponse, at: instant)
                raised += 1
            }
            // A waiting ticket's resolution clock stands still: its warning waits until it is open again.
            let resolutions = try self.sql(
                db,
                """
                SELECT id FROM tickets
                WHERE resolution_escalated = 0 AND status = 'open' AND resolution_warn_at <= ?
                ORDER BY id LIMIT 1000
                """
            ).all(instant.ms) { $0.int(0) }
            for id in resolutions {
                guard try self.sql(db, "UPDATE tickets SET resolution_escalated = 1 WHERE id = ? AND resolution_escalated = 0").run(id) == 1,
                    let ticket = try self.ticket(db, id: id)
                else { continue }
                try self.escalate(db, ticket, target: "resolution", due: ticket.due.resolution, at: instant)
                raised += 1
            }
            return JobReport(items: raised, points: 0)
        }
    }

    private func escalate(_ db: SQLSession, _ ticket: Ticket, target: String, due: Date, at instant: Date) throws {
        try ticketEvent(db, ticket.id, .escalation, actor: "job:care-escalation", at: instant, text: "\(target) due \(ISO8601DateFormatter().string(from: due))")
        // Written whether or not a webhook wants it today: escalation is the care team's alarm, not only an integration's.
        try db.write(
            .outbox, WebhookEventKind.careTicketEscalation.rawValue, ticket.memberId,
            try OutboxPayload.json(
                OutboxPayload.CareTicketEscalation(
                    memberId: ticket.memberId, ticketId: ticket.id, target: target, dueAt: due, category: ticket.category.rawValue,
                    priority: ticket.priority.rawValue, assignee: ticket.assignee)), instant.ms)
    }
}
