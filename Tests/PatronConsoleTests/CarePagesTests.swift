import Foundation
import HTTPTypes
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The care pages: the agents' queue with its filters and summary, a ticket's page and its confirmed actions (note,
/// assign, move, compensate within caps, a supervisor's decision) through the same services as the command line and
/// the API, audited with the staff account; who may see and do what; markup shown as text; and the member's own
/// requests in the member zone.
@Suite struct CarePagesTests {
    /// Opens a ticket for a new member `customer` through the ticket service, as the API would for a storefront.
    static func ticket(_ console: ConsoleHarness, customer: String, subject: String = "Parcel late", category: TicketCategory = .delivery,
        priority: TicketPriority = .normal) async throws -> Ticket {
        var member = try await console.store.member(identity: try .customer(customer))
        if member == nil {
            member = try await console.store.enroll(EnrollmentRequest(identities: [try .customer(customer)], profile: Profile(name: "Ann \(customer)")), key: nil)
        }
        let memberId = try #require(member).id
        return try await TicketService(context: console.context).open(
            memberId: memberId, category: category, priority: priority, source: .member, subject: subject, body: "Ordered a week ago", actor: "key:shop")
    }

    /// Every care route, and the roles that may use it: view (the queue, tickets, satisfaction, win-back) for owner,
    /// service, analyst, read-only; act (and record a win-back offer) for owner and service; decide above the caps for
    /// the owner alone.
    static let matrix: [(method: HTTPRequest.Method, path: String, roles: Set<StaffRole>)] = [
        (.get, "/console/care", [.owner, .service, .analyst, .readOnly]),
        (.get, "/console/care/tickets/{id}", [.owner, .service, .analyst, .readOnly]),
        (.post, "/console/care/tickets/{id}/notes", [.owner, .service]),
        (.post, "/console/care/tickets/{id}/assignee", [.owner, .service]),
        (.post, "/console/care/tickets/{id}/status", [.owner, .service]),
        (.post, "/console/care/tickets/{id}/compensations", [.owner, .service]),
        (.post, "/console/care/tickets/{id}/compensations/{compensation}/decision", [.owner]),
        (.get, "/console/care/satisfaction", [.owner, .service, .analyst, .readOnly]),
        (.get, "/console/care/winback", [.owner, .service, .analyst, .readOnly]),
        (.post, "/console/care/winback/offers", [.owner, .service]),
    ]

    @Test func everyCarePageAndActionAdmitsExactlyItsRoles() async throws {
        try await ConsoleHarness.run { console in
            let ticket = try await Self.ticket(console, customer: "c1")
            let registered = console.routes.filter { $0.path.hasPrefix("/console/care") || $0.path.hasPrefix("/member/care") }
            #expect(registered.count == Self.matrix.count + 6, "the matrix names every staff care route; six member routes")
            for row in Self.matrix {
                #expect(registered.contains { $0.method == row.method && $0.path == row.path }, "\(row.method) \(row.path) is registered")
                for role in StaffRole.allCases {
                    let browser = try await console.browser(role)
                    let path = AuthorizationTests.concrete(row.path, String(ticket.id))
                    let answer = row.method == .get ? try await console.get(path, as: browser) : try await console.post(path, as: browser)
                    if row.roles.contains(role) {
                        #expect(answer.status != 403, "\(role) \(row.method) \(row.path): \(answer.status)")
                    } else {
                        #expect(answer.status == 403, "\(role) \(row.method) \(row.path): \(answer.status)")
                    }
                }
            }
            // Nothing above changed the ticket: every POST was unconfirmed or refused.
            let file = try await TicketService(context: console.context).file(id: ticket.id)
            #expect(file.events.map(\.kind) == [.opened])
        }
    }

    @Test func theQueueFiltersSortsByDueTimeAndShowsTheSummaryInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            let late = try await Self.ticket(console, customer: "c1", subject: "Broken <b>cup</b>", category: .productQuality)
            console.clock.advance(days: 2)
            let fresh = try await Self.ticket(console, customer: "c2", subject: "Where are my points", category: .pointsAndBenefits, priority: .high)
            let closed = try await Self.ticket(console, customer: "c3", subject: "Price question", category: .price)
            _ = try await TicketService(context: console.context).move(ticket: closed.id, to: .closed, actor: "staff:owner")
            let agent = try await console.browser(.service)

            let english = try await console.get("/console/care?lang=en", as: agent)
            #expect(english.status == 200)
            for expected in ["Customer care", "Broken &lt;b&gt;cup&lt;/b&gt;", "Where are my points", "SLA met", "Open now by category", "late", "America/New_York",
                "href=\"/console/care\" aria-current=\"page\""] {
                #expect(english.text.contains(expected), "missing \(expected)")
            }
            #expect(!english.text.contains("Price question"), "closed tickets are not in the default queue")
            let lateAt = try #require(english.text.range(of: "id=\"ticket-\(late.id)\""))
            let freshAt = try #require(english.text.range(of: "id=\"ticket-\(fresh.id)\""))
            #expect(lateAt.lowerBound < freshAt.lowerBound, "the ticket due first comes first")

            let chinese = try await console.get("/console/care?lang=zh-Hans", as: agent)
            for expected in ["客户服务", "工单队列", "时限达成率", "商品质量", "已超时"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }

            let breached = try await console.get("/console/care?due=breached", as: agent)
            #expect(breached.text.contains("id=\"ticket-\(late.id)\"") && !breached.text.contains("id=\"ticket-\(fresh.id)\""))
            let byCategory = try await console.get("/console/care?category=pointsAndBenefits&status=all", as: agent)
            #expect(byCategory.text.contains("id=\"ticket-\(fresh.id)\"") && !byCategory.text.contains("id=\"ticket-\(late.id)\""))
            let byPriority = try await console.get("/console/care?priority=high", as: agent)
            #expect(byPriority.text.contains("id=\"ticket-\(fresh.id)\"") && !byPriority.text.contains("id=\"ticket-\(late.id)\""))
            let all = try await console.get("/console/care?status=closed", as: agent)
            #expect(all.text.contains("Price question") && !all.text.contains("Where are my points"))
            _ = try await TicketService(context: console.context).assign(ticket: fresh.id, to: "service", actor: "staff:owner")
            let mine = try await console.get("/console/care?assignee=service", as: agent)
            #expect(mine.text.contains("id=\"ticket-\(fresh.id)\"") && !mine.text.contains("id=\"ticket-\(late.id)\""))

            let navigation = try await console.get("/console/members", as: try await console.browser(.marketer))
            #expect(!navigation.text.contains("href=\"/console/care\""), "the navigation hides care from roles without it")
        }
    }

    @Test func anAgentNotesAssignsResolvesAndEveryActionIsAuditedWithTheAccount() async throws {
        try await ConsoleHarness.run { console in
            let ticket = try await Self.ticket(console, customer: "c1")
            let agent = try await console.browser(.service)
            let path = "/console/care/tickets/\(ticket.id)"

            let unconfirmed = try await console.post(path + "/notes", [("text", "Hello"), ("visibility", "toMember")], as: agent)
            #expect(unconfirmed.status == 400)
            #expect(unconfirmed.text.contains("id=\"action-refused\""))
            let noVisibility = try await console.post(path + "/notes", [("text", "Hello"), ("confirm", "yes")], as: agent)
            #expect(noVisibility.status == 400 && noVisibility.text.contains("visibility"))
            let empty = try await console.post(path + "/notes", [("text", ""), ("visibility", "internal"), ("confirm", "yes")], as: agent)
            #expect(empty.status == 400 && empty.text.contains("text"))
            #expect(try await TicketService(context: console.context).file(id: ticket.id).events.count == 1, "refused actions wrote nothing")

            let internalNote = try await console.post(path + "/notes", [("text", "Checked with the courier"), ("visibility", "internal"), ("confirm", "yes")], as: agent)
            #expect(internalNote.status == 303 && internalNote.location == path)
            let reply = try await console.post(path + "/notes", [("text", "It arrives on Monday"), ("visibility", "toMember"), ("confirm", "yes")], as: agent)
            #expect(reply.status == 303)
            let assigned = try await console.post(path + "/assignee", [("assignee", "service"), ("confirm", "yes")], as: agent)
            #expect(assigned.status == 303)
            let closedAtOnce = try await console.post(path + "/status", [("status", "closed"), ("confirm", "yes")], as: agent)
            #expect(closedAtOnce.status == 303, "open → closed is allowed")
            let refusedMove = try await console.post(path + "/status", [("status", "resolved"), ("confirm", "yes")], as: agent)
            #expect(refusedMove.status == 409)
            #expect(refusedMove.text.contains("it can move to open"), "the refusal names the allowed moves")
            let reopened = try await console.post(path + "/status", [("status", "open"), ("confirm", "yes")], as: agent)
            #expect(reopened.status == 303)
            let resolved = try await console.post(path + "/status", [("status", "resolved"), ("confirm", "yes")], as: agent)
            #expect(resolved.status == 303)

            let file = try await TicketService(context: console.context).file(id: ticket.id)
            #expect(file.ticket.status == .resolved && file.ticket.assignee == "service" && file.ticket.firstResponseAt != nil)
            let page = try await console.get(path + "?lang=en", as: agent)
            #expect(page.text.contains("note-internal") && page.text.contains("note-member"))
            #expect(page.text.contains("Checked with the courier") && page.text.contains("It arrives on Monday"))
            let audit = try await console.store.auditLog(after: 0, limit: 100, subject: "ticket:\(ticket.id)")
            let byAgent = audit.filter { $0.actor == "staff:service" }.map(\.action)
            #expect(byAgent == ["ticket.note", "ticket.note", "ticket.assign", "ticket.status", "ticket.status", "ticket.status"])
        }
    }

    @Test func compensationAboveTheAgentsCapWaitsForTheOwnersApproval() async throws {
        try await ConsoleHarness.run { console in
            let ticket = try await Self.ticket(console, customer: "c1")
            let agent = try await console.browser(.service)
            let path = "/console/care/tickets/\(ticket.id)"
            let granted = try await console.post(
                path + "/compensations", [("kind", "points"), ("points", "200"), ("note", "late parcel"), ("key", "k1"), ("confirm", "yes")], as: agent)
            #expect(granted.status == 303)
            let badPoints = try await console.post(
                path + "/compensations", [("kind", "points"), ("points", "many"), ("note", "x"), ("key", "k2"), ("confirm", "yes")], as: agent)
            #expect(badPoints.status == 400 && badPoints.text.contains("points: a whole number"))
            // Default caps: 500 points a ticket; 200 + 400 is over.
            let pending = try await console.post(
                path + "/compensations", [("kind", "points"), ("points", "400"), ("note", "broken box"), ("key", "k3"), ("confirm", "yes")], as: agent)
            #expect(pending.status == 303)
            let member = try #require(try await console.store.member(id: ticket.memberId))
            #expect(member.balances.active == 200)
            let waiting = try #require(try await CompensationService(context: console.context).pending().first)
            #expect(waiting.points == 400 && waiting.requestedBy == "staff:service")

            let agentPage = try await console.get(path, as: agent)
            #expect(!agentPage.text.contains("/decision\""), "an agent may not decide")
            let agentDecides = try await console.post(path + "/compensations/\(waiting.id)/decision", [("decision", "approve"), ("confirm", "yes")], as: agent)
            #expect(agentDecides.status == 403)

            let owner = try await console.browser(.owner)
            let ownerPage = try await console.get(path, as: owner)
            #expect(ownerPage.text.contains("/compensations/\(waiting.id)/decision"))
            let approved = try await console.post(
                path + "/compensations/\(waiting.id)/decision", [("decision", "approve"), ("note", "ok"), ("confirm", "yes")], as: owner)
            #expect(approved.status == 303)
            #expect(try await console.store.member(id: ticket.memberId)?.balances.active == 600)
            let again = try await console.post(path + "/compensations/\(waiting.id)/decision", [("decision", "refuse"), ("confirm", "yes")], as: owner)
            #expect(again.status == 409, "a decided compensation is not decided again")
            let audit = try await console.store.auditLog(after: 0, limit: 100, subject: "ticket:\(ticket.id)").map { "\($0.action) \($0.actor)" }
            #expect(audit.contains("ticket.compensate staff:service") && audit.contains("ticket.compensation.approve staff:owner"))
        }
    }

    @Test func readOnlyAccountsSeeTicketsWithoutTheirForms() async throws {
        try await ConsoleHarness.run { console in
            let ticket = try await Self.ticket(console, customer: "c1")
            let viewer = try await console.browser(.readOnly)
            let page = try await console.get("/console/care/tickets/\(ticket.id)?lang=en", as: viewer)
            #expect(page.status == 200)
            #expect(page.text.contains("Parcel late") && page.text.contains("id=\"view-only\""))
            for form in ["add-note", "move-ticket", "assign-ticket", "compensate"] {
                #expect(!page.text.contains("id=\"\(form)\""), "\(form) is hidden")
            }
            let missing = try await console.get("/console/care/tickets/999", as: viewer)
            #expect(missing.status == 404)
        }
    }

    @Test func markupInSubjectsAndNotesIsShownAsTextOnEveryCarePage() async throws {
        try await ConsoleHarness.run { console in
            let script = EscapingTests.script, attribute = EscapingTests.attribute
            let ticket = try await Self.ticket(console, customer: "c1", subject: script + attribute)
            _ = try await TicketService(context: console.context).note(ticket: ticket.id, text: script + attribute, visibility: .toMember, actor: "staff:" + script)
            _ = try await TicketService(context: console.context).note(ticket: ticket.id, text: "internal " + script, visibility: .internal, actor: "staff:owner")
            let owner = try await console.browser(.owner)
            for path in ["/console/care", "/console/care/tickets/\(ticket.id)"] {
                let page = try await console.get(path, as: owner)
                #expect(page.status == 200, "\(path)")
                EscapingTests.assertEscaped(page.text, path)
                #expect(page.text.contains("&lt;script&gt;"), "\(path) shows the markup as text")
            }
            let member = console.memberBrowser(ticket.memberId)
            for path in ["/member/care", "/member/care/\(ticket.id)"] {
                let page = try await console.get(path, as: member)
                #expect(page.status == 200, "\(path)")
                EscapingTests.assertEscaped(page.text, path)
            }
        }
    }

    @Test func aMemberOpensARequestAndSeesOnlyTheirOwnTicketsAndTheRepliesSentToThem() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await console.store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
            let other = try await Self.ticket(console, customer: "bob", subject: "Bob's secret")
            let browser = console.memberBrowser(ann.id)

            let form = try await console.get("/member/care?lang=zh-Hans", as: browser)
            #expect(form.status == 200 && form.text.contains("寻求帮助") && form.text.contains("物流配送"))
            #expect(!form.text.contains("Bob's secret"))
            let unconfirmed = try await console.post("/member/care", [("category", "delivery"), ("subject", "Late"), ("body", "x")], as: browser)
            #expect(unconfirmed.status == 400)
            let noSubject = try await console.post("/member/care", [("category", "delivery"), ("subject", " "), ("confirm", "yes")], as: browser)
            #expect(noSubject.status == 400 && noSubject.text.contains("subject"))
            let noCategory = try await console.post("/member/care", [("subject", "Late"), ("confirm", "yes")], as: browser)
            #expect(noCategory.status == 400)
            #expect(try await TicketService(context: console.context).list(TicketQuery(memberId: ann.id)).isEmpty, "refused requests wrote nothing")

            let sent = try await console.post(
                "/member/care", [("category", "delivery"), ("subject", "My parcel is late"), ("body", "Ordered on Monday"), ("confirm", "yes")], as: browser)
            #expect(sent.status == 303)
            let mine = try #require(try await TicketService(context: console.context).list(TicketQuery(memberId: ann.id)).first)
            #expect(sent.location == "/member/care/\(mine.id)")
            #expect(mine.source == .member && mine.openedBy == "member:\(ann.id)" && mine.channel == "member zone")

            let tickets = TicketService(context: console.context)
            _ = try await tickets.note(ticket: mine.id, text: "Only staff read this", visibility: .internal, actor: "staff:service")
            _ = try await tickets.note(ticket: mine.id, text: "It arrives tomorrow", visibility: .toMember, actor: "staff:service")
            let page = try await console.get("/member/care/\(mine.id)?lang=en", as: browser)
            #expect(page.status == 200)
            #expect(page.text.contains("My parcel is late") && page.text.contains("It arrives tomorrow"))
            #expect(!page.text.contains("Only staff read this"), "internal notes never reach the member")
            let list = try await console.get("/member/care?lang=en", as: browser)
            #expect(list.text.contains("My parcel is late") && list.text.contains("answered"))
            let foreign = try await console.get("/member/care/\(other.id)", as: browser)
            #expect(foreign.status == 404)
            #expect(!foreign.text.contains("Bob's secret"))
        }
    }
}
