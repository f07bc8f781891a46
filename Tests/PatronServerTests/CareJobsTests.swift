import Foundation
import PatronCore
import PatronServer
import PatronServices
import PatronStore
import PatronTestSupport
import Testing

/// The customer-care jobs of `patron jobs run` (`JobRunner.runCare`): NPS invitations after completed orders and
/// escalations before a breach, idempotent when run twice — on SQLite, or PostgreSQL with `PATRON_TEST_BACKEND=postgres`.
@Suite struct CareJobsTests {
    static let program = cdnowProgram + """

        care:
          surveys: { samplePercent: 100, oncePerDays: 30, withinDays: 14 }
        """

    @Test func theJobsRunnerInvitesToTheSurveyAndRaisesEscalationsOnceEach() async throws {
        // Thursday 2026-01-01 00:00 UTC; New York's service hours are the default Monday–Friday 09:00–18:00.
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)
        let store = try await temporaryStore(Self.program, clock: clock)
        for customer in ["c1", "c2"] {
            let order = Order(id: "O-\(customer)", member: try .customer(customer), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
            _ = await store.apply([.placed(order, at: clock.now()), .completed(order.id, at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))
        }
        let member = try #require(try await store.member(identity: try .customer("c1")))
        _ = try await TicketService(context: ServiceContext(store: store, clock: clock)).open(
            memberId: member.id, category: .delivery, source: .agent, subject: "Parcel late", body: "", actor: "ana")
        let jobs = JobRunner(store: store, clock: clock)

        let first = try await jobs.runCare()
        #expect(first.surveys?.invited == 2)
        #expect(first.escalations.items == 0, "nothing is near its due time yet")
        #expect(try await store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 10).count == 2)

        let again = try await jobs.runCare()
        #expect(again.surveys?.invited == 0)
        #expect(again.surveys?.alreadyInvited == 2)

        // A week later both warnings (first response and resolution) have come: raised once each.
        clock.advance(days: 7)
        #expect(try await jobs.runCare().escalations.items == 2)
        #expect(try await jobs.runCare().escalations.items == 0)
        #expect(try await store.outbox(after: 0, limit: 50).filter { $0.kind == "care.ticket.escalation" }.count == 2)
        #expect(try await store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 10).count == 2)
    }

    @Test func withoutASurveySectionTheJobsRunnerInvitesNobody() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let order = Order(id: "O1", member: try .customer("c1"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        _ = await store.apply([.placed(order, at: clock.now()), .completed("O1", at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))
        let report = try await JobRunner(store: store, clock: clock).runCare()
        #expect(report.surveys == nil)
        #expect(try await store.surveyInvitations(member: nil, answered: nil, before: nil, limit: 10).isEmpty)
    }
}
