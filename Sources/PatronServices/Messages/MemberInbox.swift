import Foundation
import PatronCore
import PatronStore

/// A member's inbox: the messages the inbox channel delivered to them, and reading one. The API
/// (`/v1/members/{member}/messages`) and the member zone (`/member/inbox`) both go through it, so "read" means the same
/// in both places.
public struct MemberInbox: Sendable {
    /// A page of the inbox, newest first.
    public struct Page: Sendable, Hashable {
        /// The messages on this page.
        public var messages: [Message]
        /// How many of the member's inbox messages are unread (all of them, not only this page's).
        public var unread: Int
    }

    let context: ServiceContext

    /// The inbox over `context`.
    public init(context: ServiceContext) { self.context = context }

    /// The member's inbox messages newest first, older than `before` when given (1 to 100 per page).
    public func page(member: Int64, before: Int64? = nil, limit: Int = 20) async throws -> Page {
        guard (1...100).contains(limit) else { throw PatronError(.invalidInput, "limit: \(limit) must be between 1 and 100") }
        let messages = try await context.store.memberMessages(member: member, channel: .inbox, before: before, limit: limit)
        return Page(messages: messages, unread: try await context.store.unreadInboxCount(member: member))
    }

    /// How many of the member's inbox messages are unread.
    public func unreadCount(member: Int64) async throws -> Int {
        try await context.store.unreadInboxCount(member: member)
    }

    /// One of the member's inbox messages, without marking it read; `notFound` for another member's message or one on
    /// another channel (the same answer, so a member cannot learn that a message id exists).
    public func message(member: Int64, id: Int64) async throws -> Message {
        guard let found = try await context.store.message(id: id), found.memberId == member, found.channel == .inbox,
            found.status == .delivered || found.status == .sent
        else {
            throw PatronError(.notFound, "member \(member) has no inbox message \(id)")
        }
        return found
    }

    /// Marks one of the member's inbox messages read at the clock's now (the first reading stays) and returns it.
    public func read(member: Int64, id: Int64) async throws -> Message {
        let found = try await message(member: member, id: id)
        return try await context.store.markMessageRead(member: member, id: found.id, at: context.clock.now())
    }
}
