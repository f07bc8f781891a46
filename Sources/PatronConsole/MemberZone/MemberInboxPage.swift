import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// `GET /member/inbox`: the member's inbox, newest first, unread ones marked; `GET /member/inbox/{id}` opens one and
/// marks it read through `MemberInbox.read`, the use case `POST /v1/members/{member}/messages/{message}/read` uses.
/// Only the signed-in member's inbox messages are found: any other id (another member's, another channel's) is 404.
enum MemberInboxPage {
    /// Messages per page.
    static let pageLength = 20

    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/inbox") { request, page in
            do {
                _ = try await page.liveMember()
                let before = MemberPages.query(request)?["before"].flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
                let inbox = try await MemberInbox(context: page.context).page(member: page.memberID, before: before, limit: pageLength)
                return page.render("member/inbox", title: page.text("messages.inbox.title"), MemberInboxModel(inbox, before: before, page: page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        routes.member(.get, "/member/inbox/{id}") { _, page in
            do {
                _ = try await page.liveMember()
                guard let id = page.parameter("id").flatMap({ Int64($0) }) else { throw PatronError(.notFound, "no such message") }
                let inbox = MemberInbox(context: page.context)
                let wasUnread = try await inbox.message(member: page.memberID, id: id).readAt == nil
                let message = try await inbox.read(member: page.memberID, id: id)
                // The navigation was counted before this message was read.
                var shown = page
                if wasUnread { shown.unreadMessages = max(0, page.unreadMessages - 1) }
                return shown.render(
                    "member/inbox-message", title: message.subject ?? shown.text("messages.inbox.title"), MemberInboxMessageModel(message, page: shown))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
    }
}

/// The inbox list's model.
struct MemberInboxModel: Sendable {
    struct Row: Sendable {
        let href: String
        let subject: String
        let date: String
        let unread: Bool
    }

    let nav: MemberNav
    let rows: [Row]
    let hasRows: Bool
    let unreadNote: String?
    let olderHref: String?
    let newestHref: String?

    init(_ inbox: MemberInbox.Page, before: Int64?, page: MemberPage) {
        nav = MemberNav(page, current: "/member/inbox")
        rows = inbox.messages.map { message in
            Row(
                href: "/member/inbox/\(message.id)", subject: MemberInboxMessageModel.subject(message, page),
                date: page.formats.date(message.deliveredAt ?? message.sentAt ?? message.createdAt), unread: message.readAt == nil)
        }
        hasRows = !rows.isEmpty
        unreadNote = inbox.unread > 0 ? page.text("messages.inbox.unreadCount", ["count": page.formats.number(inbox.unread)]) : nil
        olderHref = inbox.messages.count == MemberInboxPage.pageLength ? inbox.messages.last.map { "/member/inbox?before=\($0.id)" } : nil
        newestHref = before == nil ? nil : "/member/inbox"
    }
}

/// One inbox message, as the member reads it: the subject and the plain-text body (markup in it is shown as text).
struct MemberInboxMessageModel: Sendable {
    let nav: MemberNav
    let subject: String
    let date: String
    let paragraphs: [String]

    init(_ message: Message, page: MemberPage) {
        nav = MemberNav(page, current: "/member/inbox/\(message.id)")
        subject = Self.subject(message, page)
        date = page.formats.instant(message.deliveredAt ?? message.sentAt ?? message.createdAt)
        paragraphs = (message.text ?? "").replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The subject, or "(no subject)" (an erased member's messages keep no subject).
    static func subject(_ message: Message, _ page: MemberPage) -> String {
        let subject = (message.subject ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return subject.isEmpty ? page.text("messages.inbox.noSubject") : subject
    }
}
