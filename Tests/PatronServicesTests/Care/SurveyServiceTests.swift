import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing
@testable import PatronServices

/// Surveys through the services with the ticket service behind them (SQLite, or PostgreSQL when asked): a detractor's
/// answer opens a ticket, CSAT waits for the ticket to close, and the care report counts them.
@Suite struct SurveyServiceTests {
    static let program = ServicesFixture.program + "\ncare:\n  surveys: { samplePercent: 100, oncePerDays: 30 }\n"

    static func shop() async throws -> (SQLStore, ServiceContext, ManualClock) {
        let clock = ManualClock(ServicesFixture.now)
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
        for (index, customer) in ["ann", "bob"].enumerated() {
            let order = Order(id: "o-\(index)", member: try .customer(customer), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 20_000)])
            _ = try await store.apply([.placed(order, at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))[0].get()
            _ = try await store.apply([.completed("o-\(index)", at: clock.now().addingTimeInterval(3_600))], options: ApplyOptions())[0].get()
        }
        clock.set(clock.now().addingTimeInterval(86_400))
        return (store, ServiceContext(store: store, clock: clock), clock)
    }

    @Test("a detractor's answer opens one automatic ticket about the order; a promoter's opens none")
    func detractorOpensTicket() async throws {
        let (store, context, _) = try await Self.shop()
        let surveys = SurveyService(context: context, followUp: CareServices.detractorFollowUp(context))
        let run = try await surveys.runInvitations()
        #expect(run.invited == 2)
        let invitations = try await surveys.invitations()
        let detractor = try await surveys.answer(invitation: invitations[0].id, score: 3, comment: "the box was crushed")
        let promoter = try await surveys.answer(invitation: invitations[1].id, score: 10, comment: nil)
        let ticketId = try #require(detractor.ticketId)
        #expect(promoter.ticketId == nil)
        #expect(try await surveys.invitation(detractor.id).ticketId == ticketId)
        let ticket = try #require(try await store.ticketFile(id: ticketId)?.ticket)
        #expect(ticket.memberId == detractor.memberId)
        #expect(ticket.source == .automatic)
        #expect(ticket.orderId == detractor.orderId)
        #expect(ticket.body == "the box was crushed")
        #expect(try await store.tickets(TicketQuery()).count == 1)
    }

    @Test("CSAT is refused while the ticket is open and taken once it is closed; the report counts the ticket, NPS and CSAT")
    func csatAfterClosingAndReport() async throws {
        let (store, context, clock) = try await Self.shop()
        let surveys = SurveyService(context: context, followUp: CareServices.detractorFollowUp(context))
        _ = try await surveys.runInvitations()
        let invitation = try #require(try await surveys.invitations().first)
        let answered = try await surveys.answer(invitation: invitation.id, score: 0, comment: nil)
        let ticketId = try #require(answered.ticketId)
        let care = CareReportService(context: context, tickets: CareServices.ticketReader(context))
        do {
            _ = try await care.rate(ticket: ticketId, score: 5, comment: nil)
            Issue.record("an open ticket was rated")
        } catch let error as PatronError {
            #expect(error.code == .invalidTransition)
        }
        // A ticket opened this very instant is in the report.
        #expect(try await care.report().tickets == 1)
        clock.set(clock.now().addingTimeInterval(3_600))
        _ = try await TicketService(context: context).move(ticket: ticketId, to: .closed, actor: "ana")
        let rating = try await care.rate(ticket: ticketId, score: 4, comment: "called back")
        #expect(rating.memberId == answered.memberId)
        let report = try await care.report()
        #expect(report.tickets == 1)
        #expect(report.orders == 2)
        #expect(report.complaintsPerThousandOrders == 500)
        #expect(report.complaintsByCategory.first { $0.category == .other }?.tickets == 1)
        #expect(report.nps.nps == -100)
        #expect(report.csat.ratings == 1 && report.csat.average == 4)
        _ = store
    }
}
