import Foundation
import PatronStore

/// The Messages section of the staff member page (`/console/members/{id}`): the member's newest messages on every
/// channel and in every status, each opening `/console/members/{id}/messages/{message}` (permission `viewMembers`, so
/// a service agent who may read the member may read what was sent to them).
enum MemberMessagesSection {
    /// How many messages the section lists.
    static let length = 20

    static func load(member id: Int64, _ page: StaffPage) async throws -> MessagesPageModels.MemberSection {
        let messages = try await page.context.store.messages(member: id, before: nil, limit: length)
        let rows = messages.map { MessagesPages.row($0, href: MemberPages.path(id, "messages/\($0.id)"), page) }
        return MessagesPageModels.MemberSection(
            rows: rows, hasRows: !rows.isEmpty,
            note: rows.count == length ? MessagesPages.text(page, "messages.member.newest", ["count": page.formats.number(length)]) : nil)
    }
}
