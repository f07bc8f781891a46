import Foundation
import PatronCore
import PatronStore

/// The care pieces the command line, the API and the console wire together: the ticket reader the report and CSAT
/// use, and the follow-up that opens a ticket for a detractor's answer.
public enum CareServices {
    /// Tickets as the care report reads them, from the context's store.
    public static func ticketReader(_ context: ServiceContext) -> any CareTicketReader {
        StoreTicketReader(store: context.store)
    }

    /// Opens a ticket for each detractor's answer through the ticket service.
    public static func detractorFollowUp(_ context: ServiceContext) -> (any DetractorFollowUp)? {
        DetractorTickets(tickets: TicketService(context: context))
    }
}

/// Tickets read from the store's ticket tables, a page of 500 at a time.
struct StoreTicketReader: CareTicketReader {
    let store: any Store

    func tickets(openedFrom from: Date, until: Date) async throws -> [Ticket] {
        var all: [Ticket] = []
        var before: Int64?
        while true {
            let page = try await store.tickets(TicketQuery(openedFrom: from, openedUntil: until, before: before, limit: 500))
            all += page
            guard page.count == 500, let last = page.last else { break }
            before = last.id
        }
        return all.reversed()  // pages come newest first
    }

    func ticket(id: Int64) async throws -> Ticket? {
        try await store.ticketFile(id: id)?.ticket
    }
}

/// A detractor's answer opens an automatic ticket about the surveyed order (one per invitation: its origin key), with the
/// score and comment as its text, so the service team calls the member back.
struct DetractorTickets: DetractorFollowUp {
    let tickets: TicketService

    func openTicket(forDetractor invitation: SurveyInvitation) async throws -> Int64 {
        let score = invitation.score.map(String.init) ?? "?"
        let ticket = try await tickets.open(
            memberId: invitation.memberId, category: .other, priority: .high, source: .automatic, channel: invitation.channel,
            subject: "NPS \(score) of 10 after order \(invitation.orderId)", body: invitation.comment ?? "(no comment)", orderId: invitation.orderId,
            actor: "survey", originKey: "survey:\(invitation.id)")
        return ticket.id
    }
}
