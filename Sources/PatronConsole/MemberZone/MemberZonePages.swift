import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices

/// The member zone's pages: home, rewards (with redemption), coupons, history, the handbook, preferences (consents)
/// and the data export, plus the sign-in (a signed link, or a one-time code by e-mail) and sign-out. Every page reads only the member of the session
/// (`MemberPage.memberID`); no page takes a member id or identity from the URL or a form.
enum MemberZonePages {
    static func register(on routes: ConsoleRoutes) {
        MemberSignInPage.register(on: routes)
        MemberCodeSignIn.register(on: routes)
        MemberHomePage.register(on: routes)
        MemberRewardPages.register(on: routes)
        MemberHistoryPages.register(on: routes)
        MemberHandbookPage.register(on: routes)
        MemberPreferencesPage.register(on: routes)
        MemberInboxPage.register(on: routes)
        routes.member(.post, "/member/sign-out") { _, page in page.signOut(to: "/member/signed-out") }
        routes.open(.get, "/member/signed-out") { _, page in
            page.render("member/signed-out", title: page.text("member.signedOut.title"), MemberSignedOutModel())
        }
    }
}

/// The signed-out page has nothing of its own.
struct MemberSignedOutModel: Sendable, MustacheParent {
    func child(named name: String) -> Any? { nil }
}

/// The member zone's own navigation, shown at the top of every member page.
struct MemberNav: Sendable {
    struct Link: Sendable {
        let href: String
        let label: String
        let current: Bool
        /// A count beside the label (the inbox's unread messages), absent when there is nothing to say.
        let badge: String?
        /// What the count means, for screen readers.
        let badgeLabel: String?
    }

    let links: [Link]

    /// The links, `current` marked; the inbox's carries the unread count.
    init(_ page: MemberPage, current: String) {
        let items = [
            ("/member/", "member.nav.home"), ("/member/inbox", "messages.inbox.nav"), ("/member/rewards", "member.nav.rewards"),
            ("/member/coupons", "member.nav.coupons"), ("/member/history", "member.nav.history"), ("/member/handbook", "member.nav.handbook"),
            ("/member/care", "care.member.nav"), ("/member/preferences", "member.nav.preferences"),
        ]
        let unread = page.unreadMessages
        links = items.map { href, key in
            let counted = href == "/member/inbox" && unread > 0
            return Link(
                href: href, label: page.text(key), current: href == current || (href == "/member/inbox" && current.hasPrefix("/member/inbox/")),
                badge: counted ? page.formats.number(unread) : nil,
                badgeLabel: counted ? page.text("messages.inbox.unreadCount", ["count": page.formats.number(unread)]) : nil)
        }
    }
}

extension MemberPage {
    /// The signed-in member, read fresh; throws `memberErased` once their data was erased (the session cookie may
    /// outlive the erasure, the pages do not).
    func liveMember() async throws -> Member {
        guard let member = try await context.store.member(id: memberID) else { throw PatronError(.notFound, "no member \(memberID)") }
        guard !member.isErased else { throw PatronError(.memberErased, "member \(memberID) was erased") }
        return member
    }

    /// An error page for a refused action: the member's language for the errors members can meet, the store's words
    /// otherwise.
    func refusal(_ error: PatronError) -> Response {
        let status: HTTPResponse.Status
        let message: String
        switch error.code {
        case .insufficientPoints, .limitReached, .notEligible, .outOfStock:
            status = .conflict
            message = text("member.error.\(error.code.rawValue)")
        case .notFound:
            status = .notFound
            message = text("member.error.not_found")
        case .invalidInput, .idempotencyConflict:
            status = .badRequest
            message = error.message
        case .memberErased:
            status = .forbidden
            message = text("member.error.member_erased")
        default:
            status = .internalServerError
            message = error.message
        }
        return self.error(status, message)
    }
}

// Every member page draws the navigation: its lookups are a switch, not reflection (see `MemberHomeModel`).
extension MemberNav: MustacheParent {
    func child(named name: String) -> Any? {
        guard name == "links" else { return nil }
        return links
    }
}

extension MemberNav.Link: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "href": return href
        case "label": return label
        case "current": return current
        case "badge": return badge
        case "badgeLabel": return badgeLabel
        default: return nil
        }
    }
}
