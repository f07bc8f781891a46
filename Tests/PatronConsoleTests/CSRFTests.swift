import Foundation
import Testing

@testable import PatronConsole

/// Every POST needs the session's CSRF token: missing or wrong is 403 and changes nothing.
@Suite struct CSRFTests {
    @Test func aPOSTWithoutOrWithAWrongTokenIsRefusedForEveryStaffAction() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let actions = console.routes.filter { $0.method == .post && $0.access != .open && $0.access != .member }
            #expect(!actions.isEmpty)
            for route in actions {
                let path = AuthorizationTests.concrete(route.path)
                let missing = try await console.post(path, as: owner, csrf: .some(nil))
                #expect(missing.status == 403, "\(route.path) without a token")
                let wrong = try await console.post(path, as: owner, csrf: .some(Tokens.random()))
                #expect(wrong.status == 403, "\(route.path) with a wrong token")
            }
        }
    }

    @Test func signOutWithAWrongTokenKeepsTheSession() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let refused = try await console.post("/console/sign-out", as: owner, csrf: .some("x"))
            #expect(refused.status == 403)
            #expect(try await console.get("/console/staff", as: owner).status == 200, "still signed in")
        }
    }

    @Test func aMemberPOSTWithoutTheMembersTokenIsRefused() async throws {
        try await ConsoleHarness.run { console in
            let member = console.memberBrowser(1)
            for route in console.routes where route.method == .post && route.access == .member {
                let path = AuthorizationTests.concrete(route.path)
                let missing = try await console.post(path, as: member, csrf: .some(nil))
                #expect(missing.status == 403, "\(route.path)")
                let wrong = try await console.post(path, as: member, csrf: .some(Tokens.random()))
                #expect(wrong.status == 403, "\(route.path)")
            }
        }
    }

    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            for path in ["/console/sign-in", "/console/staff", "/console/assets/console.css", "/console/no-such-page"] {
                let answer = try await console.get(path, as: owner)
                let policy = try #require(answer.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.contains("script-src 'self'"), "\(path)")
                #expect(policy.contains("frame-ancestors 'none'"), "\(path)")
                #expect(!policy.contains("unsafe-inline"), "\(path)")
                #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(path)")
            }
            #expect(try await console.get("/console/staff", as: owner).headers[.cacheControl] == "no-store")
            #expect(try await console.get("/console/assets/console.css").headers[.cacheControl]?.contains("max-age") == true)
        }
    }

    @Test func tokensAreBase64urlWithoutPaddingForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Tokens.base64url(bytes) == expected, "\(length) bytes")
            #expect(Tokens.fromBase64url(Tokens.base64url(bytes)) == bytes)
        }
        #expect(Tokens.base64url([0xfb, 0xff]) == "-_8")
    }
}
