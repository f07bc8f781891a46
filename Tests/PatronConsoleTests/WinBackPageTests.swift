import Foundation
import HTTPTypes
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The Win-back page: the at-risk list of `WinBackService` (the command line's) ranked by CLV with P(alive), expected
/// purchases, idle days and the likely cause in words; an offer recorded from the page (confirmed, audited with the
/// account); and recovery within the 90-day window, per cause and per offer.
@Suite struct WinBackPageTests {
    /// A year of buying before the harness's 2026-03-02: 16 steady buyers order every 9 to 16 days up to last week;
    /// 8 lapsed buyers ordered every 6 to 9 days from March to June 2025 and not since. Member `lapsed-0` also opened a
    /// ticket (a complaint). Returns the member ids by customer.
    static func shop(_ console: ConsoleHarness) async throws -> [String: Int64] {
        let calendar = ShopCalendar(timeZone: TimeZone(identifier: "America/New_York")!)
        let start = LocalDate(year: 2025, month: 3, day: 1)!
        let end = calendar.localDate(of: console.clock.now()).adding(days: -7)
        var events: [OrderEvent] = []
        var ids: [String: Int64] = [:]
        func buyer(_ customer: String, every gap: Int, until last: LocalDate, salt: Int) async throws {
            let member = try await console.store.enroll(EnrollmentRequest(identities: [try .customer(customer)], profile: Profile(name: "Buyer \(customer)")), key: nil)
            ids[customer] = member.id
            var day = start.adding(days: salt % 5)
            var n = 0
            while day <= last {
                let price = Int64(3_000 + ((salt * 7 + n * 13) % 20) * 450)
                let order = Order(id: "\(customer)-\(n)", member: try .customer(customer), lines: [OrderLine(id: "1", sku: "TEA", quantity: 1, unitPrice: price)])
                events.append(.placed(order, at: calendar.startOfDay(day).addingTimeInterval(14 * 3_600)))
                n += 1
                day = day.adding(days: gap)
            }
        }
        for i in 0..<16 { try await buyer("steady-\(i)", every: 9 + i % 8, until: end, salt: i) }
        for i in 0..<8 { try await buyer("lapsed-\(i)", every: 6 + i % 4, until: LocalDate(year: 2025, month: 6, day: 30)!, salt: 20 + i) }
        let outcomes = await console.store.apply(events, options: ApplyOptions(history: true))  // a year back: history, not live events
        for outcome in outcomes { _ = try outcome.get() }
        _ = try await TicketService(context: console.context).open(
            memberId: ids["lapsed-0"]!, category: .productQuality, source: .agent, subject: "Leaking tin", body: "The tin leaked", actor: "staff:service")
        return ids
    }

    @Test func theAtRiskListIsRankedByCLVWithTheCauseInWordsInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            let ids = try await Self.shop(console)
            let expected = try await WinBackService(context: console.context).atRisk(limit: 20)
            #expect(!expected.candidates.isEmpty, "the lapsed buyers are at risk")
            let lapsed = Set((0..<8).map { String(ids["lapsed-\($0)"]!) })
            #expect(expected.candidates.allSatisfy { lapsed.contains($0.customer) }, "no steady buyer is at risk")

            let agent = try await console.browser(.service)
            let page = try await console.get("/console/care/winback?lang=en", as: agent)
            #expect(page.status == 200)
            #expect(page.text.contains("\(expected.atRisk) of \(expected.customers) buyers at risk"))
            // The page's rows are the service's list, in its order (highest CLV first).
            var last = page.text.startIndex
            for candidate in expected.candidates {
                let row = try #require(page.text.range(of: "id=\"at-risk-\(candidate.customer)\""), "row of \(candidate.customer)")
                #expect(row.lowerBound > last, "\(candidate.customer) in CLV order")
                last = row.lowerBound
                #expect(page.text.contains("href=\"/console/members/\(candidate.customer)\""))
            }
            for steady in (0..<16).map({ ids["steady-\($0)"]! }) { #expect(!page.text.contains("id=\"at-risk-\(steady)\"")) }
            let complaint = ids["lapsed-0"]!
            // The fixture is fixed: the lapsed buyer with a complaint is always at risk.
            try #require(expected.candidates.contains { $0.customer == String(complaint) })
            let row = try #require(page.text.range(of: "id=\"at-risk-\(complaint)\""))
            let rest = page.text[row.upperBound...].prefix(1_500)
            #expect(rest.contains("Complaint (service)") && rest.contains("Tickets in their history: 1.") && rest.contains("an apology"))
            #expect(page.text.contains("Unknown") && page.text.contains("Nothing in their history points to a cause"))
            #expect(page.text.contains("id=\"record-offer\""), "an agent may record an offer")

            let chinese = try await console.get("/console/care/winback?lang=zh-Hans", as: agent)
            for text in ["客户挽回", "可能原因", "流失风险", "记录挽回措施", "尚未记录任何挽回措施"] {
                #expect(chinese.text.contains(text), "missing \(text)")
            }
            let fewer = try await console.get("/console/care/winback?limit=1&lang=en", as: agent)
            #expect(fewer.text.components(separatedBy: "id=\"at-risk-").count - 1 == 1)
            let bad = try await console.get("/console/care/winback?maxAlive=2&lang=en", as: agent)
            #expect(bad.status == 400 && bad.text.contains("maxAlive: &#39;2&#39; is not a number from 0 to 1"))

            let analyst = try await console.get("/console/care/winback", as: try await console.browser(.analyst))
            #expect(analyst.status == 200 && !analyst.text.contains("id=\"record-offer\""), "an analyst reads without the form")
            #expect(try await console.get("/console/care/winback", as: try await console.browser(.marketer)).status == 403)
        }
    }

    @Test func anOfferRecordedFromThePageIsAuditedWithTheAccountAndFollowedForNinetyDays() async throws {
        try await ConsoleHarness.run { console in
            let ids = try await Self.shop(console)
            let member = ids["lapsed-1"]!
            let agent = try await console.browser(.service)
            let prefilled = try await console.get("/console/care/winback?member=\(member)&lang=en", as: agent)
            #expect(prefilled.text.contains("id=\"offer-member\" name=\"member\" value=\"\(member)\""))

            let unconfirmed = try await console.post("/console/care/winback/offers", [("member", String(member)), ("offer", "coupon:WELCOME10")], as: agent)
            #expect(unconfirmed.status == 400 && unconfirmed.text.contains("id=\"offer-refused\""))
            let noMember = try await console.post("/console/care/winback/offers", [("member", "ann"), ("offer", "call"), ("confirm", "yes")], as: agent)
            #expect(noMember.status == 400 && noMember.text.contains("member: &#39;ann&#39; is not a member id"))
            let unknown = try await console.post("/console/care/winback/offers", [("member", "999999"), ("offer", "call"), ("confirm", "yes")], as: agent)
            #expect(unknown.status == 404 && unknown.text.contains("no member 999999"))
            let noOffer = try await console.post("/console/care/winback/offers", [("member", String(member)), ("offer", " "), ("confirm", "yes")], as: agent)
            #expect(noOffer.status == 400 && noOffer.text.contains("offer: say what was offered"))
            let badCause = try await console.post(
                "/console/care/winback/offers", [("member", String(member)), ("offer", "call"), ("cause", "weather"), ("confirm", "yes")], as: agent)
            #expect(badCause.status == 400 && badCause.text.contains("cause: use one of"))
            #expect(try await console.store.winBackOffers().isEmpty, "refused offers wrote nothing")

            let recorded = try await console.post(
                "/console/care/winback/offers", [("member", String(member)), ("offer", "coupon:WELCOME10"), ("cause", ""), ("confirm", "yes")], as: agent)
            #expect(recorded.status == 303 && recorded.location == "/console/care/winback")
            let offer = try #require(try await console.store.winBackOffers().first)
            #expect(offer.memberId == member && offer.offer == "coupon:WELCOME10" && offer.actor == "staff:service")
            let history = try await WinBackService(context: console.context).atRisk(limit: 50).candidates.first { $0.customer == String(member) }
            #expect(offer.cause == (history?.cause.rawValue ?? "unknown"), "the cause defaults to the history's")
            let audit = try await console.store.auditLog(after: 0, limit: 10, subject: "member:\(member)")
            #expect(audit.contains { $0.action == "winback.offer" && $0.actor == "staff:service" })

            let open = try await console.get("/console/care/winback?lang=en", as: agent)
            #expect(open.text.contains("id=\"offer-outcomes\"") && open.text.contains("window still open") && open.text.contains("coupon:WELCOME10"))
            #expect(open.text.contains("id=\"recovery-rate\">–<"), "no offer is decided yet")

            // The member orders 10 days later: they came back, and the rate counts them.
            console.clock.advance(days: 10)
            let order = Order(id: "back-1", member: try .customer("lapsed-1"), lines: [OrderLine(id: "1", sku: "TEA", quantity: 2, unitPrice: 4_000)])
            _ = try await console.store.apply([.placed(order, at: console.clock.now())], options: ApplyOptions())[0].get()
            let later = try await console.browser(.service)  // the first session has expired in the ten days
            let back = try await console.get("/console/care/winback?lang=en", as: later)
            #expect(back.text.contains("came back after 10 days — orders: 1, spent $80.00") && back.text.contains("id=\"recovery-rate\">100.0%<"))
            let chinese = try await console.get("/console/care/winback?lang=zh-Hans", as: later)
            #expect(chinese.text.contains("10 天后回购"))
        }
    }
}
