import Foundation
import Hummingbird
import PatronStore

/// Staff sessions: a random token in an HttpOnly cookie, its SHA-256 hash in the database with the account, the
/// session's CSRF token, and its lifetimes (absolute and idle).
enum StaffSessions {
    static let cookieName = "patron_staff"

    /// Starts a session for `account` and returns the response that sets its cookie and goes to `next`.
    static func start(for account: StaffAccount, page: OpenPage, next: String) async throws -> Response {
        let token = Tokens.random()
        let now = page.context.clock.now()
        let lifetime = page.configuration.sessionLifetime
        try await page.context.store.createStaffSession(
            NewStaffSession(
                tokenHash: Tokens.sha256Hex(token), accountId: account.id, csrfToken: Tokens.random(), createdAt: now,
                expiresAt: now.addingTimeInterval(lifetime.seconds)))
        var response = page.redirect(next)
        response.setCookie(page.base.kit.cookie(cookieName, token, path: "/", maxAge: Int(lifetime.seconds)))
        return response
    }

    /// Ends the request's session and clears its cookie.
    static func end(_ request: Request, page: StaffPage) async throws -> Response {
        if let token = request.cookies[cookieName]?.value, Tokens.isWellFormed(token) {
            try await page.context.store.deleteStaffSession(tokenHash: Tokens.sha256Hex(token))
        }
        var response = page.redirect(SignInPages.path(next: nil), notice: page.text("kit.signIn.signedOut"))
        response.setCookie(page.base.kit.cookie(cookieName, "", path: "/", maxAge: 0))
        return response
    }
}
