import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// What a member-zone handler gets: a live member session (signed cookie) for `memberID`; a POST's form was read and
/// its CSRF token checked. A member's pages must only ever read this member.
struct MemberPage: ConsolePage {
    let base: PageBase
    /// The signed-in member.
    let memberID: Int64
    /// The programme version in force when the request began (`nil` before one is loaded); `formats` are its.
    let program: ProgramVersion?
    /// Numbers, points, money and dates in the page's language, currency and time zone.
    let formats: Formats
    let csrfToken: String
    let submittedForm: Form?
    /// How many of the member's inbox messages are unread, for the navigation (read once per page; 0 on a POST).
    var unreadMessages = 0

    /// The audit trail's actor for the member's own actions.
    var actor: String { "member:\(memberID)" }

    /// The member layout (phone first): no staff navigation or account.
    var chrome: PageChrome { PageChrome(csrf: csrfToken, nav: [], account: nil) }

    /// Ends the member's session (clears the cookie) and goes to `path`.
    func signOut(to path: String) -> Response {
        var response = base.redirect(path, notice: nil)
        response.setCookie(base.kit.cookie(MemberSessions.cookieName, "", path: "/member", maxAge: 0))
        return response
    }

    /// The programme in force when the request began (read once with the formats); `noProgram` before one is loaded.
    func programInForce() throws -> ProgramVersion {
        guard let program else { throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE`") }
        return program
    }

    /// The programme in force explained in the page's language, made once per version; `noProgram` before one is
    /// loaded.
    func explanation() throws -> ProgramExplanation { base.kit.programViews.explanation(try programInForce(), language) }

    /// An error page inside the member layout.
    func error(_ status: HTTPResponse.Status, _ message: String) -> Response { base.errorPage(status, message: message, layout: .member) }
}
