import Foundation
import Hummingbird
import PatronCore

/// `GET /member/sign-in?identity=…&expires=…&nonce=…&signature=…`: checks a signed link (`MemberLink`), marks its
/// nonce used, and starts a member session; a tampered, expired, reused or unknown link gets a page saying so, and no
/// session.
enum MemberSignInPage {
    static func register(on routes: ConsoleRoutes) {
        routes.open(.get, MemberLink.signInPath) { request, page in
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters where query[String(name)] == nil { query[String(name)] = String(value) }
            let now = page.context.clock.now()
            switch MemberLink.verify(query: query, now: now, secret: page.configuration.memberLinkSecret) {
            case .failure(let refusal):
                return refused(refusal, page)
            case .success(let link):
                guard let member = try await page.context.store.member(identity: link.identity), !member.isErased else {
                    return refused(.unknownMember, page)
                }
                guard try await page.context.store.consumeMemberLink(nonce: link.nonce, expiresAt: link.expires, at: now) else {
                    return refused(.used, page)
                }
                return page.startMemberSession(memberID: member.id, redirectTo: "/member/")
            }
        }
    }

    /// The page for a refused link: 400 for a malformed one, 403 otherwise; the reason in the member's language.
    static func refused(_ refusal: MemberLink.Refusal, _ page: OpenPage) -> Response {
        let status: HTTPResponse.Status = refusal == .malformed ? .badRequest : .forbidden
        return page.error(status, page.text("member.signIn.refused.\(refusal.rawValue)") + " " + page.text("member.signIn.askAgain"), member: true)
    }
}
