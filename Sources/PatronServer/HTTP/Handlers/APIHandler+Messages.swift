import Foundation
import OpenAPIRuntime
import PatronCore
import PatronServices
import PatronStore

/// The member's inbox: messages the inbox channel delivered, and marking one read.
extension APIHandler {
    /// An inbox message as the API shows it (its JSON is `InboxMessage`'s).
    struct InboxMessageBody: Encodable {
        var id: Int64
        var kind: String
        var subject: String
        var text: String
        var html: String
        var deliveredAt: Date
        var read: Bool
        var readAt: Date?

        init(_ message: Message) {
            id = message.id
            kind = message.kind.rawValue
            subject = message.subject ?? ""
            text = message.text ?? ""
            html = message.html ?? ""
            deliveredAt = message.deliveredAt ?? message.sentAt ?? message.createdAt
            read = message.readAt != nil
            readAt = message.readAt
        }
    }

    /// A page of the inbox (`InboxPage`).
    struct InboxPageBody: Encodable {
        var messages: [InboxMessageBody]
        var unread: Int
    }

    /// The inbox use case the member zone shares.
    var inbox: MemberInbox { MemberInbox(context: ServiceContext(store: store, clock: HandlerClock(instant: now))) }

    func listMemberMessages(_ input: Operations.ListMemberMessages.Input) async throws -> Operations.ListMemberMessages.Output {
        let target = try await member(input.path.member)
        let messages = try await inbox.page(member: target.id, before: input.query.before, limit: input.query.limit ?? 20).messages
        let page = InboxPageBody(messages: messages.map(InboxMessageBody.init), unread: messages.filter { $0.readAt == nil }.count)
        return .ok(.init(body: .json(try Bridge.convert(page))))
    }

    func markMemberMessageRead(_ input: Operations.MarkMemberMessageRead.Input) async throws -> Operations.MarkMemberMessageRead.Output {
        let target = try await member(input.path.member)
        let message = try await inbox.read(member: target.id, id: input.path.message)
        return .ok(.init(body: .json(try Bridge.convert(InboxMessageBody(message)))))
    }
}
