import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// What the care report and CSAT need of tickets (customer care's ticket store provides it).
public protocol CareTicketReader: Sendable {
    /// Tickets opened from `from` until before `until`, oldest first.
    func tickets(openedFrom from: Date, until: Date) async throws -> [Ticket]
    /// A ticket by id, or `nil`.
    func ticket(id: Int64) async throws -> Ticket?
}

/// Builds the care report over the context's store: tickets from `tickets`, orders, NPS answers, CSAT ratings and
/// win-back offers of the period.
public struct CareReportService: Sendable {
    let context: ServiceContext
    let tickets: any CareTicketReader

    /// The report over the context's store and clock, reading tickets through `tickets`.
    public init(context: ServiceContext, tickets: any CareTicketReader) {
        self.context = context
        self.tickets = tickets
    }

    /// The report from the start of `from` (a day in the program's time zone; default 90 days before today) until now.
    public func report(from day: LocalDate? = nil) async throws -> CareReport {
        let program = try await context.currentProgram().program
        let calendar = program.calendar
        let now = context.clock.now()
        let first = day ?? calendar.localDate(of: now).adding(days: -90)
        let from = calendar.startOfDay(first)
        guard from <= now else { throw PatronError(.invalidInput, "from: \(first) is in the future") }
        let opened = try await tickets.tickets(openedFrom: from, until: now.addingTimeInterval(0.001))  // tickets opened at `now` count
        let orders = try await context.store.purchases().filter { $0.placedAt >= from && $0.placedAt <= now }.count
        let nps = NPSBreakdown(facts: try await context.store.npsFacts(from: from).filter { $0.answeredAt <= now }, calendar: calendar)
        let csat = try await context.store.ticketRatings(from: from).filter { $0.ratedAt <= now }.map(\.score)
        let purchases = try await context.store.purchases().map {
            Purchase(customer: String($0.memberId), day: calendar.localDate(of: $0.placedAt).dayNumber, amount: $0.amount)
        }
        let offers = try await context.store.winBackOffers().filter { $0.offeredAt >= from && $0.offeredAt <= now }
        let recovery = WinBackRecovery(offers: offers, purchases: purchases, calendar: calendar, asOfDay: calendar.localDate(of: now).dayNumber)
        return CareReport(
            from: from, until: now, tickets: opened, orders: orders, hours: program.care.hours, nps: nps, csat: csat, recovery: recovery)
    }

    /// A ticket's CSAT rating; `notFound` when it has none.
    public func rating(ticket id: Int64) async throws -> CSATRating {
        guard let rating = try await context.store.ticketRating(ticket: id) else { throw PatronError(.notFound, "ticket \(id) has no CSAT rating") }
        return rating
    }

    /// CSAT ratings given at or after `from` (all when `nil`), oldest first.
    public func ratings(from: Date? = nil) async throws -> [CSATRating] {
        try await context.store.ticketRatings(from: from)
    }

    /// Records a member's CSAT rating of a closed ticket (once).
    public func rate(ticket id: Int64, score: Int, comment: String?) async throws -> CSATRating {
        guard let ticket = try await tickets.ticket(id: id) else { throw PatronError(.notFound, "no ticket \(id)") }
        return try await SurveyService(context: context, followUp: nil).rate(
            ticket: id, member: ticket.memberId, score: score, comment: comment, isClosed: ticket.status == .closed)
    }
}
