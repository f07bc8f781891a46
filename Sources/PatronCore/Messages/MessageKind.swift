import Foundation

/// The moment a message speaks to a member about: a touchpoint of the member's life with the shop.
public enum MessageKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The member joined.
    case welcome
    /// The member's first order.
    case firstOrder
    /// An order was completed (delivered and kept): a thank-you, a review request.
    case orderDelivered
    /// The member moved to another level.
    case levelChanged
    /// Points expire soon.
    case pointsExpiring
    /// The member's birthday.
    case birthday
    /// The anniversary of the member's enrolment.
    case anniversary
    /// A thank-you to the most valuable members.
    case thankYou
    /// The member has not ordered for a while (win-back).
    case inactive
    /// The member redeemed a reward.
    case rewardRedeemed
    /// A redeemed gift was shipped or delivered.
    case rewardFulfilled
    /// A marketing campaign's message.
    case campaign
    /// A one-time code the member asked for to sign in to the member zone.
    case signInCode
    /// An agent's note to the member on a customer-care ticket (queued in the note's own transaction).
    case careReply
    /// Asks the member to confirm the e-mail consent they gave, by a signed link (double opt-in).
    case confirmConsent

    /// Whether the kind is transactional (about the member's own account, sent without marketing consent) or
    /// marketing (needs the member's consent for the channel).
    public var purpose: MessagePurpose {
        switch self {
        case .welcome, .firstOrder, .orderDelivered, .levelChanged, .pointsExpiring, .rewardRedeemed, .rewardFulfilled, .confirmConsent, .signInCode, .careReply: .transactional
        case .birthday, .anniversary, .thankYou, .inactive, .campaign: .marketing
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The kind named `text`, or `invalidInput` listing the kinds.
    public static func named(_ text: String, field: String = "kind") throws -> MessageKind {
        guard let kind = MessageKind(rawValue: text) else {
            throw PatronError(.invalidInput, "\(field): unknown message kind '\(text)'; one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}

/// Whether a message needs the member's marketing consent.
public enum MessagePurpose: String, Sendable, Hashable, Codable, CaseIterable {
    /// About the member's account (welcome, level, a redemption): sent to any member with an address.
    case transactional
    /// Promotion (birthday offers, win-back, campaigns): sent only with the member's consent for the channel.
    case marketing
}
