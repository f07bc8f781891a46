import Foundation

extension OutboxPayload {
    /// `care.ticket.message`: a note to the member, for the message channel to deliver.
    struct CareTicketMessage: Encodable {
        var memberId: Int64
        var ticketId: Int64
        var noteId: Int64
        var subject: String
        var text: String
    }

    /// `care.ticket.escalation`: a due time is near (or passed) without the answer or the resolution.
    struct CareTicketEscalation: Encodable {
        var memberId: Int64
        var ticketId: Int64
        /// `firstResponse` or `resolution`.
        var target: String
        var dueAt: Date
        var category: String
        var priority: String
        var assignee: String?
    }
}
