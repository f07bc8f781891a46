import Foundation
import HTTPTypes
import Testing

@testable import PatronConsole

@Suite struct SignInTests {
    /// Signs in through the page: GET for the pre-session CSRF cookie, then POST the form.
    static func signIn(_ console: ConsoleHarness, _ username: String, _ password: String, next: String = "/console/") async throws
        -> (ConsoleHarness.Answer, ConsoleHarness.Browser)
    {
        let page = try await console.get("/console/sign-in")
        let csrf = try #require(page.cookie(OpenPage.csrfCookie))
        var browser = ConsoleHarness.Browser(cookies: [OpenPage.csrfCookie: csrf], csrf: csrf)
        let answer = try await console.post("/console/sign-in", [("username", username), ("password", password), ("next", next)], as: browser)
        if let session = answer.cookie(StaffSessions.cookieName) { browser.cookies[StaffSessions.cookieName] = session }
        return (answer, browser)
    }

    @Test func theRightPasswordStartsASessionThatOpensTheStaffPage() async throws {
        try await ConsoleHarness.run { console in
            let (answer, browser) = try await Self.signIn(console, "owner", ConsoleHarness.password, next: "/console/staff")
            #expect(answer.status == 303)
            #expect(answer.location == "/console/staff")
            let header = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix(StaffSessions.cookieName + "=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            #expect(!header.contains("Secure"))
            let staff = try await console.get("/console/staff", as: browser)
            #expect(staff.status == 200)
            #expect(staff.text.contains("The owner"))
        }
    }

    @Test func secureCookiesWhenConfigured() async throws {
        try await ConsoleHarness.run(configure: { $0.secureCookies = true }) { console in
            let (answer, _) = try await Self.signIn(console, "owner", ConsoleHarness.password)
            let header = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix(StaffSessions.cookieName + "=") })
            #expect(header.contains("Secure"))
        }
    }

    @Test func aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() async throws {
        try await ConsoleHarness.run { console in
            let (wrongPassword, browser) = try await Self.signIn(console, "owner", "not the password")
            #expect(wrongPassword.status == 401)
            #expect(wrongPassword.text.contains("The username or the password is wrong."))
            #expect(browser.cookies[StaffSessions.cookieName] == nil)
            let (noSuchUser, _) = try await Self.signIn(console, "nobody", "not the password")
            #expect(noSuchUser.status == 401)
            #expect(noSuchUser.text.contains("The username or the password is wrong."))
        }
    }

    @Test func signingOutEndsTheSessionInTheDatabase() async throws {
        try await ConsoleHarness.run { console in
            let (_, browser) = try await Self.signIn(console, "analyst", ConsoleHarness.password)
            let csrf = try #require(try await console.store.staffSession(
                tokenHash: Tokens.sha256Hex(browser.cookies[StaffSessions.cookieName]!), at: console.clock.now(), idleTimeout: 3600)?.csrfToken)
            let out = try await console.post("/console/sign-out", as: ConsoleHarness.Browser(cookies: browser.cookies, csrf: csrf))
            #expect(out.status == 303)
            #expect(out.location == "/console/sign-in")
            #expect(out.cookie(StaffSessions.cookieName) == "")
            // The old cookie no longer opens anything, even if the browser kept it.
            let after = try await console.get("/console/members", as: browser)
            #expect(after.status == 303)
            #expect(after.location?.hasPrefix("/console/sign-in") == true)
        }
    }

    @Test func fiveFailuresInAWindowMakeTheUsernameWaitEvenWithTheRightPassword() async throws {
        try await ConsoleHarness.run { console in
            for _ in 0..<5 {
                let (answer, _) = try await Self.signIn(console, "service", "wrong password!")
                #expect(answer.status == 401)
            }
            let (blocked, browser) = try await Self.signIn(console, "service", ConsoleHarness.password)
            #expect(blocked.status == 429)
            #expect(blocked.text.contains("Too many failed sign-ins. Try again after"))
            #expect(browser.cookies[StaffSessions.cookieName] == nil)
            // Another username from the same (test) address is blocked too: failures count per address as well.
            let (other, _) = try await Self.signIn(console, "owner", ConsoleHarness.password)
            #expect(other.status == 429)
            // After the window the right password works again.
            console.clock.advance(seconds: 15 * 60 + 1)
            let (again, _) = try await Self.signIn(console, "service", ConsoleHarness.password)
            #expect(again.status == 303)
        }
    }

    @Test func aSessionEndsWhenIdleAndAtItsAbsoluteLifetime() async throws {
        try await ConsoleHarness.run { console in
            let browser = try await console.browser(.owner)
            console.clock.advance(seconds: 50 * 60)
            #expect(try await console.get("/console/staff", as: browser).status == 200)
            console.clock.advance(seconds: 61 * 60)
            #expect(try await console.get("/console/staff", as: browser).status == 303, "idle for over an hour")

            let busy = try await console.browser(.owner)
            for _ in 0..<9 {
                console.clock.advance(seconds: 50 * 60)
                #expect(try await console.get("/console/staff", as: busy).status == 200, "within 8 hours")
            }
            console.clock.advance(seconds: 50 * 60)
            #expect(try await console.get("/console/staff", as: busy).status == 303, "used every 50 minutes, but past 8 hours")
        }
    }

    @Test func disablingAnAccountEndsItsSessionsAtOnce() async throws {
        try await ConsoleHarness.run { console in
            let browser = try await console.browser(.marketer)
            #expect(try await console.get("/console/members", as: browser).status != 303)
            _ = try await StaffAccounts(context: console.context, bcryptCost: 4).disable(username: "marketer", actor: "test")
            let after = try await console.get("/console/members", as: browser)
            #expect(after.status == 303)
            let (again, _) = try await Self.signIn(console, "marketer", ConsoleHarness.password)
            #expect(again.status == 401)
            let audit = try await console.store.auditLog(after: 0, limit: 100, subject: "staff:marketer")
            #expect(audit.map(\.action) == ["staff.create", "staff.disable"])
            #expect(audit.allSatisfy { !($0.after ?? "").contains("$2") }, "no password hash in the audit log")
        }
    }

    @Test func theSignInPageOnlyRedirectsToLocalConsolePaths() async throws {
        try await ConsoleHarness.run { console in
            for next in ["https://evil.example/", "//evil.example/x", "/member/x"] {
                let (answer, _) = try await Self.signIn(console, "owner", ConsoleHarness.password, next: next)
                #expect(answer.location == "/console/", "\(next)")
            }
        }
    }

    @Test func signInWithoutThePreSessionCSRFCookieIsRefused() async throws {
        try await ConsoleHarness.run { console in
            let answer = try await console.post(
                "/console/sign-in", [("username", "owner"), ("password", ConsoleHarness.password)],
                as: ConsoleHarness.Browser(cookies: [:], csrf: Tokens.random()))
            #expect(answer.status == 403)
            #expect(answer.cookie(StaffSessions.cookieName) == nil)
        }
    }
}
