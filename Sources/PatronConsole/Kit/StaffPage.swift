import Foundation
import Hummingbird
import PatronServices

/// What a staff handler gets: the request already has a live session, the role has the route's permission, and a
/// POST's form was read and its CSRF token checked.
struct StaffPage: Sendable {
    let base: PageBase
    /// The signed-in account.
    let account: StaffAccount
    /// Numbers, points, money (programme currency) and dates (programme time zone) in the page's language.
    let formats: Formats
    /// The session's form token: `<input type="hidden" name="csrf" value="{{csrf}}">` in every form.
    let csrfToken: String
    let submittedForm: Form?

    /// Store and clock.
    var context: ServiceContext { base.kit.context }
    /// The page's language.
    var language: ConsoleLanguage { base.language }
    /// The audit trail's actor for this account's actions.
    var actor: String { "staff:\(account.username)" }

    /// The form of this POST (already read and CSRF-checked); a GET has none and gets an empty form.
    func form(_ request: Request) async throws -> Form { submittedForm ?? Form() }

    /// A path placeholder of the route (`{id}` → `parameter("id")`).
    func parameter(_ name: String) -> String? { base.parameters.get(name) }

    /// The string `key` in the page's language.
    func text(_ key: String) -> String { base.text(key) }

    /// Whether this account may `permission` (to show or hide a button; the route itself is checked by the kit).
    func may(_ permission: StaffPermission) -> Bool { account.role.may(permission) }

    /// `template` with `model` inside the staff layout (navigation for this role, language switch, sign-out).
    func render(_ template: String, title: String, _ model: some Sendable) -> Response {
        render(template, title: title, model, status: .ok)
    }

    /// `render(_:title:_:)` with another status (a form shown again with its errors: 400).
    func render(_ template: String, title: String, _ model: some Sendable, status: HTTPResponse.Status) -> Response {
        let chrome = PageChrome(
            csrf: csrfToken, nav: Navigation.links(for: account.role, path: base.request.uri.path, strings: base),
            account: AccountSummary(username: account.username, displayName: account.displayName, role: text("kit.role.\(account.role.rawValue)")))
        return base.render(template, title: title, model: model, chrome: chrome, status: status)
    }

    /// A 303 to `path` (local paths only), with `notice` shown once on the next page.
    func redirect(_ path: String, notice: String? = nil) -> Response { base.redirect(path, notice: notice) }

    /// An error page inside the plain layout.
    func error(_ status: HTTPResponse.Status, _ message: String) -> Response { base.errorPage(status, message: message) }
}
