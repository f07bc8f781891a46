import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// Markup in names, reasons, reward titles and staff names is shown as text on every page, never run.
@Suite struct EscapingTests {
    static let script = "<script>alert('xss')</script>"
    static let attribute = "\"><img src=x onerror=alert('xss')>"

    /// A raw payload in a response means it would run; the escaped form shows it was drawn as text.
    static func assertEscaped(_ text: String, _ where_: String) {
        #expect(!text.contains("<script>alert"), "raw <script> in \(where_)")
        #expect(!text.contains("<img src=x onerror"), "raw onerror attribute in \(where_)")
    }

    @Test func markupIsEscapedOnEveryPageOfEveryArea() async throws {
        try await ConsoleHarness.run { console in
            let store = console.store
            let now = console.clock.now()
            var program = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
            program += """

                rewards:
                  - { id: mug, name: "\(Self.script)", kind: gift, cost: 100, stock: 10 }
                  - { id: cap, name: "\(Self.attribute.replacingOccurrences(of: "\"", with: "\\\""))", kind: gift, cost: 100, stock: 10 }

                """
            _ = try await store.loadProgram(try ProgramFile.parse(program), source: program)
            let member = try await store.enroll(
                EnrollmentRequest(identities: [try .customer("xss-1")], profile: Profile(name: Self.script + Self.attribute, tags: [Self.script])), key: nil)
            _ = try await store.adjust(
                Adjustment(memberId: member.id, points: 500, reason: "reason " + Self.script + Self.attribute, actor: "staff:" + Self.script, key: "k1", at: now))
            _ = try await StaffAccounts(context: console.context, bcryptCost: 4).create(
                username: "mallory", displayName: Self.script + Self.attribute, role: .readOnly, password: "long enough password", actor: "test")

            let owner = try await console.browser(.owner)
            let memberBrowser = console.memberBrowser(member.id)
            var drawn = 0
            for route in console.routes where route.method == .get {
                let path = AuthorizationTests.concrete(route.path, String(member.id))
                let browser: ConsoleHarness.Browser? =
                    switch route.access {
                    case .staff: owner
                    case .member: memberBrowser
                    case .open: nil
                    }
                for language in ["en", "zh-Hans"] {
                    let answer = try await console.get(path + (path.contains("?") ? "&" : "?") + "lang=\(language)", as: browser)
                    // Downloads (a member's JSON export) are data, not pages: nosniff keeps a browser from drawing them.
                    guard answer.headers[.contentType]?.hasPrefix("text/html") == true else {
                        #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(route.path)")
                        continue
                    }
                    Self.assertEscaped(answer.text, "\(route.path) (\(language), \(answer.status))")
                    if answer.text.contains("&lt;script&gt;alert(") { drawn += 1 }
                }
            }
            // The staff page at least shows the staff name, escaped; the areas' pages add theirs.
            let staff = try await console.get("/console/staff", as: owner)
            #expect(staff.text.contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"))
            #expect(staff.text.contains("&quot;&gt;&lt;img src=x onerror"))
            #expect(drawn >= 2)
        }
    }

    @Test func surveyCommentsRatingsAndWinBackOffersAreShownAsTextOnTheCarePages() async throws {
        try await ConsoleHarness.run { console in
            let invitation = try #require(try await SatisfactionPagesTests.invite(console, ["xss"])["xss"])
            let surveys = SurveyService(context: console.context, followUp: CareServices.detractorFollowUp(console.context))
            let answered = try await surveys.answer(invitation: invitation.id, score: 2, comment: Self.script + Self.attribute)
            let ticketId = try #require(answered.ticketId)
            _ = try await TicketService(context: console.context).move(ticket: ticketId, to: .closed, actor: "staff:service")
            let member = console.memberBrowser(invitation.memberId)
            let rated = try await console.post("/member/care/\(ticketId)/rating", [("score", "1"), ("comment", Self.script + Self.attribute)], as: member)
            #expect(rated.status == 303)
            _ = try await WinBackService(context: console.context).recordOffer(
                member: invitation.memberId, offer: Self.script + Self.attribute, cause: .complaint, actor: "staff:" + Self.script)
            let owner = try await console.browser(.owner)
            for (path, browser) in [("/console/care/satisfaction", owner), ("/console/care/winback", owner), ("/member/care/\(ticketId)", member),
                ("/member/care/surveys/\(invitation.id)", member)] {
                for language in ["en", "zh-Hans"] {
                    let page = try await console.get(path + "?lang=" + language, as: browser)
                    #expect(page.status == 200, "\(path)")
                    Self.assertEscaped(page.text, path)
                    #expect(page.text.contains("&lt;script&gt;alert("), "\(path) shows the markup as text")
                }
            }
        }
    }

    @Test func aNoticeCarriedOverARedirectIsEscaped() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            var browser = owner
            browser.cookies[Notice.cookieName] = Notice.encode(Self.script)!
            let page = try await console.get("/console/staff", as: browser)
            Self.assertEscaped(page.text, "notice")
            #expect(page.text.contains("&lt;script&gt;"))
            #expect(page.cookie(Notice.cookieName) == "", "shown once, then cleared")
        }
    }
}
