import Foundation

/// How a message reaches a member.
public enum MessageChannel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// E-mail over SMTP, to the member's `email` identity.
    case email
    /// A text message through an HTTP provider, to the member's `phone` identity.
    case sms
    /// An app or WeChat-style push through an HTTP provider, to the member's id.
    case push
    /// The member's inbox in Patron (`/v1/members/{member}/messages`): delivered when stored.
    case inbox
    /// The shop's webhook subscribers (`message.*` events are not sent; this channel is the existing outbox).
    case webhook

    /// The consent key in the member's profile that marketing on this channel needs (`consents.email` …).
    public var consentKey: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The channel named `text`, or `invalidInput` listing the channels.
    public static func named(_ text: String, field: String = "channel") throws -> MessageChannel {
        guard let channel = MessageChannel(rawValue: text) else {
            throw PatronError(.invalidInput, "\(field): unknown channel '\(text)'; one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return channel
    }
}
