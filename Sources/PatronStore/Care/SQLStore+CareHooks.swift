import Foundation
import PatronCore

extension SQLStore {
    /// Opens a product-quality ticket, in the return's own savepoint, when a return gives back at least the program's
    /// `care.automatic.largeReturn`; one ticket per return event.
    func openLargeReturnTicket(_ db: SQLSession, event: OrderEvent, before: OrderRecord, after: OrderRecord, program: Program) throws {
        guard let threshold = program.care.largeReturnMinor else { return }
        let returned = before.keptAmount - after.keptAmount
        guard returned >= threshold else { return }
        let amount = Money(minor: returned, program.currency)
        _ = try openTicket(
            db,
            NewTicket(
                memberId: before.memberId, category: .productQuality, priority: .normal, source: .automatic, subject: "Large return on order \(before.orderId)",
                body: "Returned \(amount) of order \(before.orderId) (event \(event.id)).", orderId: before.orderId, actor: "job:returns",
                at: event.occurredAt, originKey: "return:\(event.id)"))
    }

    /// Empties the words of a member's tickets: subject, body, every event's text, compensation notes and the tickets'
    /// audit states.
    func eraseTicketText(_ db: SQLSession, member: Int64) throws {
        try sql(db, "UPDATE tickets SET subject = 'erased', body = '' WHERE member_id = ?").run(member)
        try sql(db, "UPDATE ticket_events SET body = '' WHERE ticket_id IN (SELECT id FROM tickets WHERE member_id = ?)").run(member)
        try sql(db, "UPDATE ticket_compensations SET note = 'erased' WHERE member_id = ?").run(member)
        // Audit records of the tickets keep who did what and when; their states (a compensation's note) go.
        try sql(
            db,
            """
            UPDATE audit_log SET after = CASE WHEN after IS NULL THEN NULL ELSE '"erased"' END
            WHERE subject IN (SELECT 'ticket:' || id FROM tickets WHERE member_id = ?)
            """
        ).run(member)
    }
}
