import Foundation
import HTTPTypes
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// Satisfaction in the member zone and the console: a member answers their own NPS invitation (0–10, a comment) and
/// rates their own closed ticket (1–5) once, through the API's use cases, with each refusal at its field and nothing
/// written; a detractor's answer opens a ticket; another member's invitation or ticket is 404. The Satisfaction page
/// shows NPS of a period with its groups, the monthly trend as an SVG, CSAT and the latest answers.
@Suite struct SatisfactionPagesTests {
    /// Turns NPS surveys on (gold-club with `care: surveys:`): only then are completions queued for the survey job.
    static func surveysOn(_ console: ConsoleHarness) async throws {
        guard try await console.store.currentProgram()?.program.care.surveys == nil else { return }
        let source = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + "\ncare:\n  surveys: {}\n"
        _ = try await console.store.loadProgram(try ProgramFile.parse(source), source: source)
    }

    /// Members `customers`, each with one order completed an hour ago (on `channel`), and an NPS invitation each (every
    /// order sampled): the invitations by customer.
    static func invite(_ console: ConsoleHarness, _ customers: [String], channel: String? = "web") async throws -> [String: SurveyInvitation] {
        try await surveysOn(console)
        var byMember: [Int64: String] = [:]
        for customer in customers {
            let member = try await console.store.enroll(EnrollmentRequest(identities: [try .customer(customer)], profile: Profile(name: "Name \(customer)")), key: nil)
            byMember[member.id] = customer
            let order = Order(
                id: "o-\(customer)-\(Int(console.clock.now().timeIntervalSince1970))", member: try .customer(customer),
                lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 20_000)], channel: channel)
            let placed = console.clock.now().addingTimeInterval(-7_200)
            for outcome in await console.store.apply([.placed(order, at: placed), .completed(order.id, at: placed.addingTimeInterval(3_600))], options: ApplyOptions()) {
                _ = try outcome.get()
            }
        }
        let run = try await console.store.runSurveyInvitations(policy: SurveyPolicy(samplePercent: 100, oncePerDays: 1), asOf: console.clock.now())
        #expect(run.invited == customers.count)
        var invitations: [String: SurveyInvitation] = [:]
        for invitation in try await console.store.surveyInvitations(member: nil, answered: false, before: nil, limit: 1_000) {
            if let customer = byMember[invitation.memberId] { invitations[customer] = invitation }
        }
        return invitations
    }

    /// A closed ticket of `customer`'s member.
    static func closedTicket(_ console: ConsoleHarness, customer: String) async throws -> Ticket {
        let ticket = try await CarePagesTests.ticket(console, customer: customer)
        return try await TicketService(context: console.context).move(ticket: ticket.id, to: .closed, actor: "staff:service")
    }

    @Test func aMemberSeesTheirInvitationAndAnswersItOnceWithEachRefusalAtItsField() async throws {
        try await ConsoleHarness.run { console in
            let invitation = try #require(try await Self.invite(console, ["ann"])["ann"])
            let ann = console.memberBrowser(invitation.memberId)
            let help = try await console.get("/member/care?lang=en", as: ann)
            #expect(help.status == 200)
            #expect(help.text.contains("id=\"my-survey-\(invitation.id)\"") && help.text.contains(invitation.orderId))
            let chinese = try await console.get("/member/care?lang=zh-Hans", as: ann)
            #expect(chinese.text.contains("您的评价") && chinese.text.contains("去回答"))

            let path = "/member/care/surveys/\(invitation.id)"
            let form = try await console.get(path + "?lang=en", as: ann)
            #expect(form.status == 200)
            #expect(form.text.contains("How likely are you to recommend us") && form.text.contains(invitation.orderId))
            #expect(form.text.contains("id=\"nps-0\"") && form.text.contains("id=\"nps-10\"") && !form.text.contains("id=\"nps-11\""))

            let outOfRange = try await console.post(path + "?lang=en", [("score", "11"), ("comment", "keep me")], as: ann)
            #expect(outOfRange.status == 400)
            #expect(outOfRange.text.contains("id=\"nps-score-error\"") && outOfRange.text.contains("Choose a number from 0 to 10"))
            #expect(outOfRange.text.contains(">keep me</textarea>"), "the comment is kept for another try")
            let noScore = try await console.post(path, [("comment", "x")], as: ann)
            #expect(noScore.status == 400 && noScore.text.contains("id=\"nps-score-error\""))
            let long = String(repeating: "a", count: SurveyScore.commentLimit + 1)
            let tooLong = try await console.post(path + "?lang=zh-Hans", [("score", "9"), ("comment", long)], as: ann)
            #expect(tooLong.status == 400)
            #expect(tooLong.text.contains("id=\"nps-comment-error\"") && tooLong.text.contains("超过了 2,000 个字符"))
            #expect(tooLong.text.contains("id=\"nps-9\" name=\"score\" value=\"9\" checked"), "the score is kept")
            let forged = try await console.post(path, [("score", "9")], as: ann, csrf: .some("not-the-token"))
            #expect(forged.status == 403)
            #expect(try await console.store.surveyInvitation(id: invitation.id)?.answeredAt == nil, "refused answers wrote nothing")

            let answered = try await console.post(path + "?lang=en", [("score", "9"), ("comment", "Fast delivery")], as: ann)
            #expect(answered.status == 303 && answered.location == "/member/care")
            let stored = try #require(try await console.store.surveyInvitation(id: invitation.id))
            #expect(stored.score == 9 && stored.comment == "Fast delivery" && stored.ticketId == nil)
            #expect(try await TicketService(context: console.context).list(TicketQuery(memberId: invitation.memberId)).isEmpty, "a promoter opens no ticket")

            let again = try await console.post(path + "?lang=en", [("score", "2")], as: ann)
            #expect(again.status == 409 && again.text.contains("id=\"survey-refused\"") && again.text.contains("answered this survey already"))
            #expect(try await console.store.surveyInvitation(id: invitation.id)?.score == 9)
            let done = try await console.get(path + "?lang=en", as: ann)
            #expect(done.text.contains("id=\"survey-answered\"") && done.text.contains("You answered 9 of 10") && !done.text.contains("id=\"answer-survey\""))
            let list = try await console.get("/member/care", as: ann)
            #expect(!list.text.contains("id=\"my-survey-"), "an answered invitation leaves the Help page")
        }
    }

    @Test func aDetractorsAnswerFromTheMemberZoneOpensATicketTheMemberSees() async throws {
        try await ConsoleHarness.run { console in
            let invitation = try #require(try await Self.invite(console, ["dan"])["dan"])
            let dan = console.memberBrowser(invitation.memberId)
            let answered = try await console.post("/member/care/surveys/\(invitation.id)?lang=en", [("score", "3"), ("comment", "The box was crushed")], as: dan)
            #expect(answered.status == 303)
            let stored = try #require(try await console.store.surveyInvitation(id: invitation.id))
            let ticketId = try #require(stored.ticketId)
            let ticket = try #require(try await console.store.ticketFile(id: ticketId)?.ticket)
            #expect(ticket.memberId == invitation.memberId && ticket.source == .automatic && ticket.orderId == invitation.orderId)
            #expect(ticket.body == "The box was crushed")
            let list = try await console.get("/member/care?lang=en", as: dan)
            #expect(list.text.contains("id=\"my-ticket-\(ticketId)\""))
            var withNotice = dan
            withNotice.cookies[Notice.cookieName] = answered.cookie(Notice.cookieName)
            let thanked = try await console.get("/member/care?lang=en", as: withNotice)
            #expect(thanked.text.contains("our service team will contact you about it (request \(ticketId))"))
        }
    }

    @Test func aMemberCannotSeeAnswerOrRateWhatIsAnotherMembers() async throws {
        try await ConsoleHarness.run { console in
            let invitations = try await Self.invite(console, ["ann", "bob"])
            let ann = try #require(invitations["ann"]), bob = try #require(invitations["bob"])
            let bobsTicket = try await Self.closedTicket(console, customer: "bob")
            let browser = console.memberBrowser(ann.memberId)
            #expect(try await console.get("/member/care/surveys/\(bob.id)", as: browser).status == 404)
            let answer = try await console.post("/member/care/surveys/\(bob.id)", [("score", "10")], as: browser)
            #expect(answer.status == 404)
            #expect(try await console.store.surveyInvitation(id: bob.id)?.answeredAt == nil)
            let rate = try await console.post("/member/care/\(bobsTicket.id)/rating", [("score", "1")], as: browser)
            #expect(rate.status == 404)
            #expect(try await console.store.ticketRating(ticket: bobsTicket.id) == nil)
            #expect(try await console.get("/member/care/surveys/999999", as: browser).status == 404)
            let help = try await console.get("/member/care", as: browser)
            #expect(!help.text.contains("my-survey-\(bob.id)\""))
        }
    }

    @Test func aClosedTicketOffersTheCSATRatingOnceAndAnOpenOneRefusesIt() async throws {
        try await ConsoleHarness.run { console in
            let ticket = try await CarePagesTests.ticket(console, customer: "cat")
            let cat = console.memberBrowser(ticket.memberId)
            let path = "/member/care/\(ticket.id)"
            let open = try await console.get(path + "?lang=en", as: cat)
            #expect(open.status == 200 && !open.text.contains("id=\"rate-ticket\""), "an open ticket offers no rating")
            let early = try await console.post(path + "/rating?lang=en", [("score", "5")], as: cat)
            #expect(early.status == 409 && early.text.contains("once it is closed"))

            _ = try await TicketService(context: console.context).move(ticket: ticket.id, to: .closed, actor: "staff:service")
            let closed = try await console.get(path + "?lang=zh-Hans", as: cat)
            #expect(closed.text.contains("id=\"rate-ticket\"") && closed.text.contains("您对这次服务满意吗") && closed.text.contains("id=\"csat-5\""))
            let outOfRange = try await console.post(path + "/rating?lang=en", [("score", "9"), ("comment", "ok")], as: cat)
            #expect(outOfRange.status == 400 && outOfRange.text.contains("id=\"csat-score-error\"") && outOfRange.text.contains("from 1 to 5"))
            let tooLong = try await console.post(path + "/rating", [("score", "4"), ("comment", String(repeating: "b", count: SurveyScore.commentLimit + 1))], as: cat)
            #expect(tooLong.status == 400 && tooLong.text.contains("id=\"csat-comment-error\""))
            #expect(try await console.store.ticketRating(ticket: ticket.id) == nil, "refused ratings wrote nothing")

            let rated = try await console.post(path + "/rating?lang=en", [("score", "4"), ("comment", "Quick and kind")], as: cat)
            #expect(rated.status == 303 && rated.location == path)
            let rating = try #require(try await console.store.ticketRating(ticket: ticket.id))
            #expect(rating.score == 4 && rating.comment == "Quick and kind" && rating.memberId == ticket.memberId)
            let page = try await console.get(path + "?lang=en", as: cat)
            #expect(page.text.contains("id=\"my-rating\"") && page.text.contains("You rated our help 4 of 5") && !page.text.contains("id=\"rate-ticket\""))
            let again = try await console.post(path + "/rating?lang=en", [("score", "1")], as: cat)
            #expect(again.status == 409 && again.text.contains("You have rated this request already"))
            #expect(try await console.store.ticketRating(ticket: ticket.id)?.score == 4)
        }
    }

    @Test func theSatisfactionPageShowsNPSByGroupTheTrendCSATAndTheLatestCommentsInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            // January: two answers (10 and 4); March: three (9, 8, 0) — NPS of March alone 0, of both months 0.
            console.clock.set(ISO8601DateFormatter().date(from: "2026-01-15T15:00:00Z")!)
            let january = try await Self.invite(console, ["j1", "j2"], channel: "app")
            let surveys = SurveyService(context: console.context, followUp: CareServices.detractorFollowUp(console.context))
            _ = try await surveys.answer(invitation: january["j1"]!.id, score: 10, comment: "Lovely tea")
            _ = try await surveys.answer(invitation: january["j2"]!.id, score: 4, comment: nil)
            console.clock.set(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
            let march = try await Self.invite(console, ["m1", "m2", "m3"], channel: nil)
            _ = try await surveys.answer(invitation: march["m1"]!.id, score: 9, comment: "Quick parcel")
            _ = try await surveys.answer(invitation: march["m2"]!.id, score: 8, comment: nil)
            let detractor = try await surveys.answer(invitation: march["m3"]!.id, score: 0, comment: "Never again")
            let ticketId = try #require(detractor.ticketId)
            _ = try await TicketService(context: console.context).move(ticket: ticketId, to: .closed, actor: "staff:service")
            let care = CareReportService(context: console.context, tickets: CareServices.ticketReader(console.context))
            _ = try await care.rate(ticket: ticketId, score: 2, comment: "Too slow")
            let other = try await Self.closedTicket(console, customer: "r1")
            _ = try await care.rate(ticket: other.id, score: 5, comment: nil)

            let analyst = try await console.browser(.analyst)
            let page = try await console.get("/console/care/satisfaction?lang=en", as: analyst)
            #expect(page.status == 200)
            // The default period, the last 90 days, holds all five answers: 2 promoters, 1 passive, 2 detractors.
            for expected in ["id=\"nps-value\">0<", "id=\"promoters\">2 (40.0%)", "id=\"passives\">1 (20.0%)", "id=\"detractors\">2 (40.0%)",
                "id=\"csat-mean\">3.50<", "id=\"csat-satisfied\">50.0%", "By level", "By cohort", "By sales channel", "(none)", "app",
                "Lovely tea", "Quick parcel", "Never again", "Too slow", "href=\"/console/members/\(detractor.memberId)\"",
                "href=\"/console/care/tickets/\(ticketId)\"", "<svg", "class=\"series\"", "2026-01", "2026-03", "America/New_York",
                "href=\"/console/care/satisfaction\" aria-current=\"page\""] {
                #expect(page.text.contains(expected), "missing \(expected)")
            }
            let newest = try #require(page.text.range(of: "Never again")), oldest = try #require(page.text.range(of: "Lovely tea"))
            #expect(newest.lowerBound < oldest.lowerBound, "the latest answers come first")

            let chinese = try await console.get("/console/care/satisfaction?lang=zh-Hans", as: analyst)
            for expected in ["满意度", "净推荐值", "推荐者（9–10）", "按入会月份", "最新回答", "（无）"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }

            // March alone: 9, 8, 0 — one promoter, one passive, one detractor: NPS 0 of 3 answers; January's comments gone.
            let marchOnly = try await console.get("/console/care/satisfaction?from=2026-03-01&to=2026-03-31&lang=en", as: analyst)
            #expect(marchOnly.text.contains("id=\"promoters\">1 (33.3%)") && marchOnly.text.contains("3 answers"))
            #expect(!marchOnly.text.contains("Lovely tea"))
            let januaryOnly = try await console.get("/console/care/satisfaction?from=2026-01-01&to=2026-01-31&lang=en", as: analyst)
            #expect(januaryOnly.text.contains("id=\"nps-value\">0<") && januaryOnly.text.contains("id=\"promoters\">1 (50.0%)"))
            #expect(januaryOnly.text.contains("id=\"csat-mean\">–<"), "no ratings in January")

            let badDay = try await console.get("/console/care/satisfaction?from=2026-13-01&lang=en", as: analyst)
            #expect(badDay.status == 400 && badDay.text.contains("id=\"sat-error\"") && badDay.text.contains("from: &#39;2026-13-01&#39; is not a day"))
            let reversed = try await console.get("/console/care/satisfaction?from=2026-03-01&to=2026-02-01", as: analyst)
            #expect(reversed.status == 400 && reversed.text.contains("is after to"))
            #expect(try await console.get("/console/care/satisfaction", as: try await console.browser(.marketer)).status == 403)
        }
    }

    @Test func theTrendIsDrawnOnASignedAxisWithAPointPerMonthWithAnswers() async throws {
        try await ConsoleHarness.run { console in
            console.clock.set(ISO8601DateFormatter().date(from: "2026-01-15T15:00:00Z")!)
            let surveys = SurveyService(context: console.context, followUp: nil)
            _ = try await surveys.answer(invitation: try #require(try await Self.invite(console, ["a"])["a"]).id, score: 0, comment: nil)
            console.clock.set(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
            _ = try await surveys.answer(invitation: try #require(try await Self.invite(console, ["b"])["b"]).id, score: 10, comment: nil)
            let page = try await console.get("/console/care/satisfaction?lang=en", as: try await console.browser(.owner))
            // −100 in January, +100 in March: ticks from −100 to +100 through a 0 line, one dot per month with answers.
            #expect(page.text.contains(">-100</text>") && page.text.contains(">+100</text>") && page.text.contains(">0</text>"))
            #expect(page.text.components(separatedBy: "class=\"dot\"").count - 1 == 2)
            #expect(page.text.contains("2026-01: -100") && page.text.contains("2026-03: +100"))
            let one = try await console.get("/console/care/satisfaction?from=2026-03-01&to=2026-03-31&lang=en", as: try await console.browser(.owner))
            #expect(one.text.contains("id=\"trend-too-short\"") == false, "the trend covers the 12 months to the period's end")
        }
    }
}
