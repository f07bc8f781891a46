import Foundation
import Hummingbird
import PatronServices
import PatronStore

/// What a staff handler gets: the request already has a live session, the role has the route's permission, and a
/// POST's form was read and its CSRF token checked.
struct StaffPage: ConsolePage {
    let base: PageBase
    /// The signed-in account.
    let account: StaffAccount
    /// The programme version in force when the request began (`nil` before one is loaded); `formats` are its.
    let program: ProgramVersion?
    /// Numbers, points, money (programme currency) and dates (programme time zone) in the page's language.
    let formats: Formats
    let csrfToken: String
    let submittedForm: Form?

    /// The audit trail's actor for this account's actions.
    var actor: String { "staff:\(account.username)" }

    /// Whether this account may `permission` (to show or hide a button; the route itself is checked by the kit).
    func may(_ permission: StaffPermission) -> Bool { account.role.may(permission) }

    /// The staff layout: navigation for this role, language switch, sign-out.
    var chrome: PageChrome {
        PageChrome(
            csrf: csrfToken, nav: Navigation.links(for: account.role, path: base.request.uri.path, strings: base),
            account: AccountSummary(username: account.username, displayName: account.displayName, role: text("kit.role.\(account.role.rawValue)")))
    }

    /// An error page inside the plain layout.
    func error(_ status: HTTPResponse.Status, _ message: String) -> Response { base.errorPage(status, message: message) }
}
