import Foundation
import PatronCore
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
