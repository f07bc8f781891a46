import Foundation
import Hummingbird
import PatronServices

/// What an open handler gets (sign-in pages, the member link): no session, but a CSRF token from the browser's
/// pre-session cookie, which a POST's form must carry (the kit has checked it).
struct OpenPage: Sendable {
    static let csrfCookie = "patron_csrf"

    let base: PageBase
    /// The pre-session form token.
    let csrfToken: String
    /// The client's address (for throttling); `unknown` without a socket.
    let clientAddress: String
    let submittedForm: Form?

    /// Store and clock.
    var context: ServiceContext { base.kit.context }
    /// The console's configuration (the member link secret, lifetimes).
    var configuration: ConsoleConfiguration { base.kit.configuration }
    /// The page's language.
    var language: ConsoleLanguage { base.language }

    /// The form of this POST (already read and CSRF-checked); a GET gets an empty form.
    func form(_ request: Request) async throws -> Form { submittedForm ?? Form() }

    /// A path placeholder of the route.
    func parameter(_ name: String) -> String? { base.parameters.get(name) }

    /// The string `key` in the page's language.
    func text(_ key: String) -> String { base.text(key) }

    /// Formats in the page's language and the programme's currency and time zone.
    func formats() async throws -> Formats { try await base.kit.formats(language) }

    /// `template` with `model` (its template names its layout: `layout-plain` or `layout-member`).
    func render(_ template: String, title: String, _ model: some Sendable, status: HTTPResponse.Status = .ok) -> Response {
        base.render(template, title: title, model: model, chrome: PageChrome(csrf: csrfToken, nav: [], account: nil), status: status)
    }

    /// A 303 to `path`, with `notice` shown once.
    func redirect(_ path: String, notice: String? = nil) -> Response { base.redirect(path, notice: notice) }

    /// Starts a member-zone session for `memberID` (after the signed link checked out) and goes to `path`.
    func startMemberSession(memberID: Int64, redirectTo path: String) -> Response {
        let value = base.kit.memberSessions.issue(memberID: memberID, now: context.clock.now())
        var response = base.redirect(path, notice: nil)
        response.setCookie(
            base.kit.cookie(MemberSessions.cookieName, value, path: "/member", maxAge: Int(base.kit.configuration.memberSessionLifetime.seconds)))
        return response
    }

    /// An error page (plain layout; `.member` for the member zone).
    func error(_ status: HTTPResponse.Status, _ message: String, member: Bool = false) -> Response {
        base.errorPage(status, message: message, layout: member ? .member : .plain)
    }
}
