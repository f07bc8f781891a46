import Foundation
import Hummingbird
import PatronServices

/// What a member-zone handler gets: a live member session (signed cookie) for `memberID`; a POST's form was read and
/// its CSRF token checked. A member's pages must only ever read this member.
struct MemberPage: Sendable {
    let base: PageBase
    /// The signed-in member.
    let memberID: Int64
    /// Numbers, points, money and dates in the page's language, currency and time zone.
    let formats: Formats
    /// The session's form token: `<input type="hidden" name="csrf" value="{{csrf}}">` in every form.
    let csrfToken: String
    let submittedForm: Form?

    /// Store and clock.
    var context: ServiceContext { base.kit.context }
    /// The page's language.
    var language: ConsoleLanguage { base.language }
    /// The audit trail's actor for the member's own actions.
    var actor: String { "member:\(memberID)" }

    /// The form of this POST (already read and CSRF-checked); a GET gets an empty form.
    func form(_ request: Request) async throws -> Form { submittedForm ?? Form() }

    /// A path placeholder of the route.
    func parameter(_ name: String) -> String? { base.parameters.get(name) }

    /// The string `key` in the page's language.
    func text(_ key: String) -> String { base.text(key) }

    /// `template` with `model` inside the member layout (phone first).
    func render(_ template: String, title: String, _ model: some Sendable) -> Response {
        render(template, title: title, model, status: .ok)
    }

    /// `render(_:title:_:)` with another status.
    func render(_ template: String, title: String, _ model: some Sendable, status: HTTPResponse.Status) -> Response {
        base.render(template, title: title, model: model, chrome: PageChrome(csrf: csrfToken, nav: [], account: nil), status: status)
    }

    /// A 303 to `path`, with `notice` shown once.
    func redirect(_ path: String, notice: String? = nil) -> Response { base.redirect(path, notice: notice) }

    /// Ends the member's session (clears the cookie) and goes to `path`.
    func signOut(to path: String) -> Response {
        var response = base.redirect(path, notice: nil)
        response.setCookie(base.kit.cookie(MemberSessions.cookieName, "", path: "/member", maxAge: 0))
        return response
    }

    /// An error page inside the member layout.
    func error(_ status: HTTPResponse.Status, _ message: String) -> Response { base.errorPage(status, message: message, layout: .member) }
}
