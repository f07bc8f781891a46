import Foundation
import PatronCore
import PatronStore

/// One message ready to go: the stored message, the address it goes to, its rendered parts and its unsubscribe link.
public struct MessageDelivery: Sendable, Hashable {
    /// The stored message (its key is the idempotency key the peer sees).
    public var message: Message
    /// The address on the message's channel (e-mail, phone, member id).
    public var recipient: String
    /// The rendered subject, text and HTML.
    public var rendered: MessageOutcome.Rendered
    /// The signed one-click unsubscribe link, for marketing messages.
    public var unsubscribe: String?
}

/// What the channel's peer said when it took a message.
public struct MessageReceipt: Sendable, Hashable {
    /// The peer's id for the message (a provider's message id), if it gave one.
    public var providerId: String?
    /// Whether the message is known to have arrived (the inbox) rather than only accepted.
    public var delivered: Bool

    /// A receipt.
    public init(providerId: String?, delivered: Bool) {
        self.providerId = providerId
        self.delivered = delivered
    }
}

/// Why a send failed, and whether trying again can help.
public struct MessageSendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public var message: String
    /// The peer refused the address for good (a bounce): no retry, and the address is suppressed.
    public var permanent: Bool

    /// A send failure.
    public init(_ message: String, permanent: Bool) {
        self.message = message
        self.permanent = permanent
    }

    public var description: String { message }
}

/// A channel's way out: SMTP for e-mail, an HTTP provider for SMS and push, the store itself for the inbox.
public protocol MessageSender: Sendable {
    /// Hands one message to the channel's peer; throws `MessageSendError` (or any error, taken as temporary).
    func send(_ delivery: MessageDelivery) async throws -> MessageReceipt
}

/// The inbox channel: the rendered message is stored with the message row, so storing it is delivering it.
public struct InboxSender: MessageSender {
    /// The inbox sender.
    public init() {}

    public func send(_ delivery: MessageDelivery) async throws -> MessageReceipt {
        MessageReceipt(providerId: nil, delivered: true)
    }
}

/// The e-mail channel over SMTP: the message key becomes the Message-ID, marketing messages carry List-Unsubscribe.
public struct EmailSender: MessageSender {
    let client: SMTPClient
    let configuration: SMTPConfiguration
    let clock: any Clock

    /// An e-mail sender using one reused SMTP connection.
    public init(configuration: SMTPConfiguration, clock: any Clock) {
        self.configuration = configuration
        self.client = SMTPClient(configuration: configuration)
        self.clock = clock
    }

    public func send(_ delivery: MessageDelivery) async throws -> MessageReceipt {
        let email = EmailMessage(
            from: configuration.from, fromName: configuration.fromName, to: delivery.recipient, subject: delivery.rendered.subject,
            text: delivery.rendered.text, html: delivery.rendered.html, messageID: delivery.message.key.messageID(domain: configuration.domain),
            date: clock.now(), unsubscribe: delivery.unsubscribe)
        do {
            let receipt = try await client.send(email)
            return MessageReceipt(providerId: receipt.reply.isEmpty ? nil : String(receipt.reply.prefix(200)), delivered: false)
        } catch let error as SMTPError {
            throw MessageSendError(error.description, permanent: error.isPermanent)
        }
    }

    /// Closes the SMTP connection.
    public func close() async { await client.close() }
}
