import Foundation
import PatronCore
import PatronServices
import PatronStore

@testable import PatronConsole

/// Messages for the Messages pages' tests, made the way the server makes them: triggers queue them in the change's
/// transaction, and the deliverer renders them from examples/messages — to the inbox (delivered), by e-mail with no
/// e-mail sender and one attempt allowed (dead), or by SMS to a peer that refuses the number for good (bounced).
struct MessagesTestShop {
    /// Ann (customer A1, English) and Mei (customer M1, locale zh-Hans).
    let ann: Int64
    let mei: Int64

    /// The example templates, English and Chinese.
    static func templates() throws -> MessageTemplates {
        try MessageTemplates(folder: URL(fileURLWithPath: "examples/messages"), defaultLocale: "en")
    }

    /// A peer that refuses every address for good.
    struct RefusingSender: MessageSender {
        func send(_ delivery: MessageDelivery) async throws -> MessageReceipt {
            throw MessageSendError("550 no such number \(delivery.recipient)", permanent: true)
        }
    }

    /// Welcome messages for Ann and Mei on the inbox, e-mail and SMS, delivered once: the inbox ones are delivered, the
    /// e-mails dead, the SMS bounced. `annName` is Ann's name (markup in it must stay text).
    static func make(_ console: ConsoleHarness, annName: String = "Ann Lee") async throws -> MessagesTestShop {
        _ = try await MessageAdmin(context: console.context).setTrigger(kind: .welcome, channels: [.inbox, .email, .sms], actor: "test")
        let ann = try await console.store.enroll(
            EnrollmentRequest(
                identities: [try .customer("A1"), try Identity(kind: "email", value: "ann@example.com"), try Identity(kind: "phone", value: "+8613800000001")],
                profile: Profile(name: annName)), key: nil)
        let mei = try await console.store.enroll(
            EnrollmentRequest(
                identities: [try .customer("M1"), try Identity(kind: "email", value: "mei@example.com"), try Identity(kind: "phone", value: "+8613800000002")],
                profile: Profile(name: "林美", tags: ["locale:zh-Hans"])), key: nil)
        try await deliver(console)
        return MessagesTestShop(ann: ann.id, mei: mei.id)
    }

    /// One delivery pass: inbox delivered, e-mail dead (no sender, one attempt), SMS bounced.
    static func deliver(_ console: ConsoleHarness) async throws {
        let deliverer = MessageDeliverer(
            context: console.context, templates: try templates(), senders: [.inbox: InboxSender(), .sms: RefusingSender()], unsubscribe: nil,
            configuration: MessageDeliveryConfiguration(maxAttempts: 1, ratePerSecond: [:]))
        _ = try await deliverer.deliverAll()
    }

    /// The member's message on `channel`.
    static func message(_ console: ConsoleHarness, member: Int64, channel: MessageChannel) async throws -> Message {
        let found = try await console.store.messages(member: member, before: nil, limit: 50).first { $0.channel == channel }
        guard let found else { throw PatronError(.notFound, "member \(member) has no \(channel.rawValue) message") }
        return found
    }
}
