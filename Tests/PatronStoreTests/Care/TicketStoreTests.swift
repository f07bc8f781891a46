import Foundation
import PatronCore
import PatronStore
import PatronTestSupport
import Testing

/// Tickets in the store, on SQLite (and PostgreSQL with `PATRON_TEST_BACKEND=postgres`): opening with due times in
/// service hours, the timed thread, reopening, escalation once before a breach, erasure, and compensation within
/// the caps — with two stores on one database compensating at once.
@Suite struct TicketStoreTests {
    /// Shanghai, Monday to Friday 09:00-18:00; normal tickets answered in 2 h and solved in 9 h; escalation 30 min before.
    static let program = Fixture.shanghaiProgram + """

        rewards:
          - { id: sorry10, name: Sorry coupon, kind: coupon, cost: 1000, coupon: { value: "10.00", validDays: 30 } }
        care:
          hours: { monday: "09:00-18:00", tuesday: "09:00-18:00", wednesday: "09:00-18:00", thursday: "09:00-18:00", friday: "09:00-18:00" }
          targets:
            default:
              normal: { firstResponse: 2h, resolution: 9h }
          escalateBefore: 30m
          compensation:
            agent: { pointsPerTicket: 300, pointsPerDay: 500, couponsPerTicket: 1, couponsPerDay: 2 }
        """

    /// Friday 2026-01-02 17:00 in Shanghai.
    static let friday = ISO8601DateFormatter().date(from: "2026-01-02T17:00:00+08:00")!

    static func open(_ f: Fixture, member: Int64, at: Date = friday, category: TicketCategory = .delivery) async throws -> Ticket {
        try await f.store.openTicket(
            NewTicket(memberId: member, category: category, source: .agent, channel: "phone", subject: "Parcel late", body: "Ordered a week ago", actor: "ana", at: at))
    }

    @Test("a ticket opened on Friday 17:00 is due for its first answer on Monday 10:00 and solved by Monday 17:00")
    func dueTimesInServiceHours() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        let iso = ISO8601DateFormatter()
        #expect(ticket.status == .open)
        #expect(ticket.due.firstResponse == iso.date(from: "2026-01-05T10:00:00+08:00"))
        #expect(ticket.due.firstResponseWarning == iso.date(from: "2026-01-05T09:30:00+08:00"))
        #expect(ticket.due.resolution == iso.date(from: "2026-01-05T17:00:00+08:00"))
        #expect(!ticket.firstResponseBreached(at: iso.date(from: "2026-01-05T09:59:00+08:00")!))
        #expect(ticket.firstResponseBreached(at: iso.date(from: "2026-01-05T10:01:00+08:00")!))
    }

    @Test("every change is timed with its actor; the first note to the member is the first response and goes to the outbox")
    func threadIsTimed() async throws {
        let f = try await Fixture(program: Self.program)
        _ = try await f.store.createWebhookSubscription(NewWebhookSubscription(url: "https://example.com/h", events: [.careTicketMessage], secret: "a-secret-of-16-chars", at: Self.friday))
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        let later = Self.friday.addingTimeInterval(600)
        _ = try await f.store.assignTicket(id: ticket.id, to: "bo", actor: "ana", at: later)
        _ = try await f.store.addTicketNote(ticket: ticket.id, text: "checked the courier", visibility: .internal, actor: "bo", at: later)
        var answered = try await f.store.addTicketNote(ticket: ticket.id, text: "Your parcel arrives Monday", visibility: .toMember, actor: "bo", at: later.addingTimeInterval(60))
        #expect(answered.firstResponseAt == later.addingTimeInterval(60))
        answered = try await f.store.addTicketNote(ticket: ticket.id, text: "It left the depot", visibility: .toMember, actor: "bo", at: later.addingTimeInterval(120))
        #expect(answered.firstResponseAt == later.addingTimeInterval(60))
        _ = try await f.store.moveTicket(id: ticket.id, to: .waiting, actor: "bo", at: later.addingTimeInterval(180))
        let resolved = try await f.store.moveTicket(id: ticket.id, to: .resolved, actor: "bo", at: later.addingTimeInterval(240))
        #expect(resolved.resolvedAt == later.addingTimeInterval(240))
        let file = try #require(try await f.store.ticketFile(id: ticket.id))
        #expect(file.events.map(\.kind) == [.opened, .assigned, .note, .note, .firstResponse, .note, .status, .status])
        #expect(file.events.map(\.actor) == ["ana", "ana", "bo", "bo", "bo", "bo", "bo", "bo"])
        #expect(file.events[2].visibility == .internal && file.events[3].visibility == .toMember)
        let messages = try await f.store.outbox(after: 0, limit: 10).filter { $0.kind == "care.ticket.message" }
        #expect(messages.count == 2)
        #expect(messages[0].payload.contains("\"ticket_id\":\(ticket.id)") && messages[0].payload.contains("Your parcel arrives Monday"))
    }

    @Test("a closed ticket reopens with a new resolution due time; it cannot be resolved again without reopening")
    func reopening() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        _ = try await f.store.moveTicket(id: ticket.id, to: .resolved, actor: "ana", at: Self.friday.addingTimeInterval(60))
        _ = try await f.store.moveTicket(id: ticket.id, to: .closed, actor: "ana", at: Self.friday.addingTimeInterval(120))
        await #expect(throws: PatronError.self) { try await f.store.moveTicket(id: ticket.id, to: .resolved, actor: "ana", at: Self.friday) }
        // Reopened on Tuesday 09:00: 9 service hours later is Tuesday 18:00.
        let tuesday = ISO8601DateFormatter().date(from: "2026-01-06T09:00:00+08:00")!
        let reopened = try await f.store.moveTicket(id: ticket.id, to: .open, actor: "member", at: tuesday)
        #expect(reopened.status == .open && reopened.reopenCount == 1 && reopened.resolvedAt == nil && reopened.closedAt == nil)
        #expect(reopened.due.resolution == ISO8601DateFormatter().date(from: "2026-01-06T18:00:00+08:00"))
        #expect(try await f.store.ticketFile(id: ticket.id)?.events.last?.kind == .reopened)
    }

    @Test("bad input is refused naming the field, and writes nothing")
    func badInput() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        func refused(_ request: NewTicket, _ field: String) async {
            let error = await #expect(throws: PatronError.self) { try await f.store.openTicket(request) }
            #expect(error?.message.hasPrefix(field) == true, "\(String(describing: error))")
        }
        let base = NewTicket(memberId: member.id, category: .price, source: .member, subject: "x", body: "y", actor: "member", at: Self.friday)
        var request = base
        request.subject = "   "
        await refused(request, "subject")
        request = base
        request.subject = String(repeating: "a", count: 201)
        await refused(request, "subject")
        request = base
        request.memberId = 999
        await refused(request, "memberId")
        request = base
        request.orderId = "nope"
        await refused(request, "orderId")
        #expect(try await f.store.tickets(TicketQuery()).isEmpty)
    }

    @Test("the escalation job raises care.ticket.escalation once per target, shortly before the breach")
    func escalationOnce() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        let iso = ISO8601DateFormatter()
        #expect(try await f.store.runCareEscalations(asOf: iso.date(from: "2026-01-05T09:29:00+08:00")!).items == 0)
        #expect(try await f.store.runCareEscalations(asOf: iso.date(from: "2026-01-05T09:31:00+08:00")!).items == 1)
        #expect(try await f.store.runCareEscalations(asOf: iso.date(from: "2026-01-05T09:45:00+08:00")!).items == 0)
        // The resolution's warning, 16:30 on Monday.
        #expect(try await f.store.runCareEscalations(asOf: iso.date(from: "2026-01-05T16:31:00+08:00")!).items == 1)
        #expect(try await f.store.runCareEscalations(asOf: iso.date(from: "2026-01-05T20:00:00+08:00")!).items == 0)
        let events = try await f.store.outbox(after: 0, limit: 10).filter { $0.kind == "care.ticket.escalation" }
        #expect(events.count == 2)
        #expect(events[0].payload.contains("\"target\":\"firstResponse\"") && events[1].payload.contains("\"target\":\"resolution\""))
        #expect(try await f.store.tickets(TicketQuery(breachedAt: iso.date(from: "2026-01-05T20:00:00+08:00")!)).map(\.id) == [ticket.id])
        #expect(try await f.store.tickets(TicketQuery(breachedAt: iso.date(from: "2026-01-05T09:00:00+08:00")!)).isEmpty)
    }

    @Test("erasing the member anonymises the ticket's text and its notes; the times stay for the report")
    func erasure() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        _ = try await f.store.addTicketNote(ticket: ticket.id, text: "Call Ms Wang on 138-0000", visibility: .internal, actor: "ana", at: Self.friday)
        _ = try await f.store.appendAudit(actor: "ana", action: "ticket.compensate", subject: "ticket:\(ticket.id)", before: nil, after: #"{"note":"Ms Wang"}"#, at: Self.friday)
        _ = try await f.store.eraseMember(id: member.id, at: Self.friday.addingTimeInterval(60))
        let file = try #require(try await f.store.ticketFile(id: ticket.id))
        #expect(file.ticket.subject == "erased" && file.ticket.body == "" && file.ticket.channel == "phone")
        #expect(file.events.allSatisfy { !$0.text.contains("Wang") })
        let audit = try await f.store.auditLog(after: 0, limit: 10, subject: "ticket:\(ticket.id)")
        #expect(audit.count == 1 && audit[0].actor == "ana" && audit[0].after == #""erased""#)
        #expect(file.ticket.openedAt == Self.friday)
    }

    @Test("goodwill points go through the ledger with the ticket as reason, once per request key")
    func pointsCompensation() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        let request = CompensationRequest(ticketId: ticket.id, kind: .points(200), note: "late parcel", actor: "ana", requestKey: "r1", at: Self.friday)
        let first = try await f.store.compensate(request)
        #expect(first.compensation.status == .granted && !first.replayed)
        let again = try await f.store.compensate(request)
        #expect(again.replayed && again.compensation.id == first.compensation.id)
        #expect(try await f.balances(member.id).active == 200)
        let statement = try await f.store.statement(member: member.id, entries: 5)
        #expect(statement.entries.first?.reason == "ticket \(ticket.id): late parcel")
        var other = request
        other.kind = .points(50)
        await #expect(throws: PatronError.self) { try await f.store.compensate(other) }
    }

    @Test("above the agent's cap the compensation waits for a supervisor, who approves or refuses it")
    func overCapWaitsForSupervisor() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        let big = try await f.store.compensate(CompensationRequest(ticketId: ticket.id, kind: .points(400), note: "broken vase", actor: "ana", requestKey: "a", at: Self.friday))
        #expect(big.compensation.status == .pending)
        #expect(big.compensation.overCap?.contains("per ticket") == true)
        #expect(try await f.balances(member.id).active == 0)
        #expect(try await f.store.pendingCompensations(limit: 10).map(\.id) == [big.compensation.id])
        let approved = try await f.store.decideCompensation(id: big.compensation.id, approve: true, actor: "sue", note: "ok", at: Self.friday)
        #expect(approved.status == .granted && approved.decidedBy == "sue" && approved.entryId != nil)
        #expect(try await f.balances(member.id).active == 400)
        await #expect(throws: PatronError.self) { try await f.store.decideCompensation(id: big.compensation.id, approve: false, actor: "sue", note: "", at: Self.friday) }
        let coupon = try await f.store.compensate(CompensationRequest(ticketId: ticket.id, kind: .coupon(rewardId: "sorry10"), note: "sorry", actor: "ana", requestKey: "b", at: Self.friday))
        #expect(coupon.compensation.status == .granted && coupon.compensation.redemptionId != nil)
        let second = try await f.store.compensate(CompensationRequest(ticketId: ticket.id, kind: .coupon(rewardId: "sorry10"), note: "sorry again", actor: "ana", requestKey: "c", at: Self.friday))
        #expect(second.compensation.status == .pending)
        let refused = try await f.store.decideCompensation(id: second.compensation.id, approve: false, actor: "sue", note: "one is enough", at: Self.friday)
        #expect(refused.status == .refused)
        #expect(try await f.store.coupons(member: member.id).count == 1)
    }

    @Test("two stores on one database compensating at once never exceed the agent's daily cap")
    func dailyCapUnderRace() async throws {
        let f = try await Fixture(program: Self.program)
        let second = try SQLStore.open(f.path, clock: f.clock)
        var tickets: [Ticket] = []
        var members: [Int64] = []
        for index in 0..<8 {
            let member = try await f.member("R\(index)")
            members.append(member.id)
            tickets.append(try await Self.open(f, member: member.id))
        }
        // Eight requests of 100 points by one agent (cap 500 a day), half through each store, all at once.
        let outcomes = try await withThrowingTaskGroup(of: CompensationOutcome.self) { group in
            for (index, ticket) in tickets.enumerated() {
                let store = index % 2 == 0 ? f.store : second
                group.addTask {
                    try await store.compensate(
                        CompensationRequest(ticketId: ticket.id, kind: .points(100), note: "race", actor: "ana", requestKey: "k", at: Self.friday))
                }
            }
            var all: [CompensationOutcome] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0.compensation.status == .granted }.count == 5)
        #expect(outcomes.filter { $0.compensation.status == .pending }.count == 3)
        var credited: Int64 = 0
        for member in members { credited += try await f.balances(member).active }
        #expect(credited == 500)
        // Another agent has a cap of their own.
        let other = try await f.store.compensate(CompensationRequest(ticketId: tickets[0].id, kind: .points(100), note: "x", actor: "bo", requestKey: "k2", at: Self.friday))
        #expect(other.compensation.status == .granted)
        await second.close()
    }

    @Test("two agents compensating one ticket at once never exceed the cap per ticket")
    func ticketCapUnderRace() async throws {
        let f = try await Fixture(program: Self.program)
        let second = try SQLStore.open(f.path, clock: f.clock)
        let member = try await f.member("C1")
        let ticket = try await Self.open(f, member: member.id)
        let outcomes = try await withThrowingTaskGroup(of: CompensationOutcome.self) { group in
            for index in 0..<6 {
                let store = index % 2 == 0 ? f.store : second
                group.addTask {
                    try await store.compensate(
                        CompensationRequest(ticketId: ticket.id, kind: .points(100), note: "race", actor: "agent\(index)", requestKey: "k\(index)", at: Self.friday))
                }
            }
            var all: [CompensationOutcome] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0.compensation.status == .granted }.count == 3)
        #expect(try await f.balances(member.id).active == 300)
        await second.close()
    }

    @Test("a return of at least care.automatic.largeReturn opens one product-quality ticket, in the return's transaction")
    func largeReturnOpensATicket() async throws {
        let f = try await Fixture(program: Self.program + "\n  automatic: { largeReturn: \"100.00\" }")
        let member = try await f.member("C1")
        try await f.apply(.placed(f.order("O1", "C1", [15_000, 5_000]), at: f.day(1)))
        try await f.apply(.placed(f.order("O2", "C1", [5_000]), at: f.day(1)))
        try await f.apply(.returned("O2", at: f.day(2), id: "R2"))
        #expect(try await f.store.tickets(TicketQuery(memberId: member.id)).isEmpty)
        try await f.apply(.returned("O1", lines: [ReturnedLine(lineId: "1", quantity: 1)], at: f.day(2), id: "R1"))
        let tickets = try await f.store.tickets(TicketQuery(memberId: member.id))
        #expect(tickets.count == 1)
        #expect(tickets.first?.source == .automatic && tickets.first?.category == .productQuality && tickets.first?.orderId == "O1")
        #expect(tickets.first?.body.contains("150.00 CNY") == true)
    }

    @Test("waiting for the member over a weekend pauses the resolution clock, not the first response's")
    func waitingPausesTheResolutionClock() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let iso = ISO8601DateFormatter()
        func at(_ text: String) -> Date { iso.date(from: text)! }
        // Friday 10:00: first response due 12:00, resolution due 9 service hours later = Monday 10:00 (warning 09:30).
        let ticket = try await Self.open(f, member: member.id, at: at("2026-01-02T10:00:00+08:00"))
        #expect(ticket.due.resolution == at("2026-01-05T10:00:00+08:00"))
        _ = try await f.store.addTicketNote(ticket: ticket.id, text: "Could you send a photo?", visibility: .toMember, actor: "ana", at: at("2026-01-02T11:00:00+08:00"))
        // Friday 14:00 it waits for the member, with 5 service hours of its target left (Friday 14-18, Monday 9-10).
        let waiting = try await f.store.moveTicket(id: ticket.id, to: .waiting, actor: "ana", at: at("2026-01-02T14:00:00+08:00"))
        #expect(waiting.waitingSince == at("2026-01-02T14:00:00+08:00"))
        // Monday 10:30 is past the old due time, but the clock stood still: not late, not listed, no escalation.
        let mondayMorning = at("2026-01-05T10:30:00+08:00")
        #expect(!waiting.resolutionBreached(at: mondayMorning))
        #expect(try await f.store.tickets(TicketQuery(breachedAt: mondayMorning)).isEmpty)
        #expect(try await f.store.runCareEscalations(asOf: mondayMorning).items == 0)
        // Monday 11:00 the member answers: the 5 hours left run from now, so resolution is due Monday 16:00 (warning
        // 15:30) — the old due time moved by the 6 service hours spent waiting (Friday 14-18, Monday 9-11).
        let resumed = try await f.store.moveTicket(id: ticket.id, to: .open, actor: "ana", at: at("2026-01-05T11:00:00+08:00"))
        #expect(resumed.waitingSince == nil)
        #expect(resumed.due.resolution == at("2026-01-05T16:00:00+08:00"))
        #expect(resumed.due.resolutionWarning == at("2026-01-05T15:30:00+08:00"))
        #expect(resumed.due.firstResponse == ticket.due.firstResponse, "the first-response clock is never paused")
        #expect(!resumed.resolutionBreached(at: at("2026-01-05T15:59:00+08:00")))
        #expect(resumed.resolutionBreached(at: at("2026-01-05T16:01:00+08:00")))
        #expect(try await f.store.runCareEscalations(asOf: at("2026-01-05T15:31:00+08:00")).items == 1)
    }

    @Test("a ticket resolved straight from waiting is on time; one already late when it started waiting stays late")
    func waitingDoesNotUndoALateResolution() async throws {
        let f = try await Fixture(program: Self.program)
        let member = try await f.member("C1")
        let iso = ISO8601DateFormatter()
        func at(_ text: String) -> Date { iso.date(from: text)! }
        let onTime = try await Self.open(f, member: member.id, at: at("2026-01-02T10:00:00+08:00"))
        _ = try await f.store.moveTicket(id: onTime.id, to: .waiting, actor: "ana", at: at("2026-01-02T14:00:00+08:00"))
        let resolved = try await f.store.moveTicket(id: onTime.id, to: .resolved, actor: "ana", at: at("2026-01-06T10:00:00+08:00"))
        #expect(!resolved.resolutionBreached(at: at("2026-01-07T10:00:00+08:00")))
        #expect(resolved.due.resolution == at("2026-01-06T15:00:00+08:00"))

        let late = try await Self.open(f, member: member.id, at: at("2026-01-02T10:00:00+08:00"))
        let waitingLate = try await f.store.moveTicket(id: late.id, to: .waiting, actor: "ana", at: at("2026-01-05T12:00:00+08:00"))
        #expect(waitingLate.resolutionBreached(at: at("2026-01-05T12:30:00+08:00")), "late before it waited")
        #expect(try await f.store.tickets(TicketQuery(breachedAt: at("2026-01-05T12:30:00+08:00"))).map(\.id).contains(late.id))
        let reopened = try await f.store.moveTicket(id: late.id, to: .open, actor: "ana", at: at("2026-01-06T12:00:00+08:00"))
        #expect(reopened.due.resolution == late.due.resolution)
    }
}
