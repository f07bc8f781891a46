import Foundation
import PatronCore
import PatronStore
import Testing

@testable import PatronConsole

/// Signing in to the member zone with a one-time code by e-mail (SQLite, and PostgreSQL with
/// `PATRON_TEST_BACKEND=postgres`).
@Suite struct MemberCodeSignInTests {
    /// A browser with the pre-session cookie the sign-in forms need.
    static func visitor(_ console: ConsoleHarness) async throws -> ConsoleHarness.Browser {
        let page = try await console.get(MemberCodeSignIn.requestPath)
        #expect(page.status == 200)
        let csrf = try #require(page.cookie(OpenPage.csrfCookie))
        return ConsoleHarness.Browser(cookies: [OpenPage.csrfCookie: csrf], csrf: csrf)
    }

    /// Asks for a code for `email`; returns the browser holding the challenge and the answer.
    static func ask(_ console: ConsoleHarness, _ email: String) async throws -> (ConsoleHarness.Answer, ConsoleHarness.Browser) {
        var browser = try await visitor(console)
        let answer = try await console.post(MemberCodeSignIn.requestPath, [("email", email)], as: browser)
        if let challenge = answer.cookie(MemberCodeSignIn.cookieName) { browser.cookies[MemberCodeSignIn.cookieName] = challenge }
        return (answer, browser)
    }

    /// The code the e-mail carries (the queued message's facts).
    static func sentCodes(_ console: ConsoleHarness) async throws -> [String] {
        try await console.store.messages(status: nil, limit: 100).filter { $0.kind == .signInCode }.map { message in
            let facts = try JSONSerialization.jsonObject(with: Data(message.facts.utf8)) as! [String: Any]
            return facts["sign_in_code"] as! String
        }
    }

    @Test("a member's address gets a code by e-mail that opens a session once")
    func theCodeSignsInOnce() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await MemberZoneTests.setUp(console)
            let (answer, browser) = try await Self.ask(console, "  Ann@Example.com ")
            #expect(answer.status == 303)
            #expect(answer.location == MemberCodeSignIn.enterPath)
            let header = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix(MemberCodeSignIn.cookieName + "=") })
            #expect(header.contains("HttpOnly"))
            let queued = try await console.store.messages(status: nil, limit: 100).filter { $0.kind == .signInCode }
            #expect(queued.map(\.memberId) == [ann])
            #expect(queued.map(\.channel) == [.email])
            let code = try #require(try await Self.sentCodes(console).first)
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))

            let signedIn = try await console.post(MemberCodeSignIn.enterPath, [("code", code)], as: browser)
            #expect(signedIn.status == 303)
            #expect(signedIn.location == "/member/")
            let session = try #require(signedIn.cookie(MemberSessions.cookieName))
            let sessions = MemberSessions(secret: console.configuration.memberLinkSecret, lifetime: console.configuration.memberSessionLifetime)
            #expect(sessions.read(session, now: console.clock.now())?.memberID == ann)
            // The same code again: refused, no session.
            let again = try await console.post(MemberCodeSignIn.enterPath, [("code", code)], as: browser)
            #expect(again.status == 403)
            #expect(again.cookie(MemberSessions.cookieName) == nil)
        }
    }

    @Test("an unknown address gets the same answer, no message, and a challenge no code opens")
    func anUnknownAddressRevealsNothing() async throws {
        try await ConsoleHarness.run { console in
            _ = try await MemberZoneTests.setUp(console)
            let (answer, browser) = try await Self.ask(console, "nobody@example.com")
            #expect(answer.status == 303)
            #expect(answer.location == MemberCodeSignIn.enterPath)
            #expect(try await Self.sentCodes(console).isEmpty)
            for code in ["000000", "123456"] {
                let tried = try await console.post(MemberCodeSignIn.enterPath, [("code", code)], as: browser)
                #expect(tried.status == 403)
                #expect(tried.cookie(MemberSessions.cookieName) == nil)
            }
        }
    }

    @Test("five wrong codes end the challenge, even for the right code after them")
    func wrongCodesRunOut() async throws {
        try await ConsoleHarness.run { console in
            _ = try await MemberZoneTests.setUp(console)
            let (_, browser) = try await Self.ask(console, "ann@example.com")
            let code = try #require(try await Self.sentCodes(console).first)
            let wrong = code == "111111" ? "222222" : "111111"
            for _ in 1...MemberCodeSignIn.attempts {
                #expect(try await console.post(MemberCodeSignIn.enterPath, [("code", wrong)], as: browser).status == 403)
            }
            let late = try await console.post(MemberCodeSignIn.enterPath, [("code", code)], as: browser)
            #expect(late.status == 429)
            #expect(late.cookie(MemberSessions.cookieName) == nil)
        }
    }

    @Test("a code expires after ten minutes; a second request within a minute sends nothing; a tampered challenge opens nothing")
    func expiryThrottleAndTampering() async throws {
        try await ConsoleHarness.run { console in
            _ = try await MemberZoneTests.setUp(console)
            let (_, browser) = try await Self.ask(console, "ann@example.com")
            let code = try #require(try await Self.sentCodes(console).first)
            let (soon, _) = try await Self.ask(console, "ann@example.com")
            #expect(soon.status == 429)
            #expect(try await Self.sentCodes(console).count == 1)

            var tampered = browser
            let parts = browser.cookies[MemberCodeSignIn.cookieName]!.split(separator: ".").map(String.init)
            tampered.cookies[MemberCodeSignIn.cookieName] = ([String(Int64(parts[0])! + 1)] + parts[1...]).joined(separator: ".")
            #expect(try await console.post(MemberCodeSignIn.enterPath, [("code", code)], as: tampered).status == 403)

            console.clock.advance(seconds: 601)
            let expired = try await console.post(MemberCodeSignIn.enterPath, [("code", code)], as: browser)
            #expect(expired.status == 403)
            #expect(expired.cookie(MemberSessions.cookieName) == nil)
        }
    }

    @Test("a form without the pre-session CSRF token is refused and sends nothing")
    func theRequestNeedsTheFormToken() async throws {
        try await ConsoleHarness.run { console in
            _ = try await MemberZoneTests.setUp(console)
            let browser = try await Self.visitor(console)
            let answer = try await console.post(MemberCodeSignIn.requestPath, [("email", "ann@example.com")], as: browser, csrf: .some(nil))
            #expect(answer.status == 403)
            #expect(try await Self.sentCodes(console).isEmpty)
        }
    }
}
