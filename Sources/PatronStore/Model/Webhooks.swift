import Foundation
import PatronCore

/// What an outbox event announces; webhook subscriptions choose among these.
public enum WebhookEventKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A member joined (by hand or with their first order).
    case memberEnrolled = "member.enrolled"
    /// A member's profile changed or they got a new identity.
    case memberUpdated = "member.updated"
    /// A member moved to another level (rules, a return, an override).
    case levelChanged = "level.changed"
    /// Points were credited: pending for a placed order, active for an activity, referral, gift, prize or adjustment.
    case pointsEarned = "points.earned"
    /// An order's pending points became active.
    case pointsActivated = "points.activated"
    /// A lot will expire within the notice period (one notice per lot and expiry date).
    case pointsExpiring = "points.expiring"
    /// Lots expired.
    case pointsExpired = "points.expired"
    /// A reward was redeemed.
    case rewardRedeemed = "reward.redeemed"
    /// An order was cancelled or (partly) returned and its points reversed.
    case orderReversed = "order.reversed"
    /// A member entered a segment (a dynamic segment's condition now holds, or a static segment's import added them).
    case segmentEntered = "segment.entered"
    /// A member left a segment.
    case segmentLeft = "segment.left"
    /// A running marketing campaign took a member into its treated group (never its holdout): the shop's own tools may
    /// act on it.
    case campaignAssigned = "campaign.assigned"
    /// A care ticket's first response or resolution is due soon (written whether or not a subscription wants it).
    case careTicketEscalation = "care.ticket.escalation"
    /// An agent wrote a note to the member on a care ticket (for the message channels to deliver).
    case careTicketMessage = "care.ticket.message"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A receiver of webhook events.
public struct WebhookSubscription: Sendable, Hashable, Codable {
    /// The subscription's id.
    public var id: Int64
    /// Where events are POSTed (http or https).
    public var url: String
    /// The kinds it receives, sorted.
    public var events: [WebhookEventKind]
    /// The shared secret that signs each request (HMAC-SHA256). Kept in plain text: signing needs it.
    public var secret: String
    /// When it was created.
    public var createdAt: Date
    /// Whether it receives events; a disabled subscription is skipped by fan-out and its deliveries wait.
    public var active: Bool
}

/// A subscription to create.
public struct NewWebhookSubscription: Sendable, Hashable {
    /// Where events are POSTed (http or https).
    public var url: String
    /// The kinds it receives; at least one.
    public var events: Set<WebhookEventKind>
    /// The signing secret; `nil` generates one.
    public var secret: String?
    /// When it is created.
    public var at: Date

    /// Describes a subscription to create.
    public init(url: String, events: Set<WebhookEventKind>, secret: String? = nil, at: Date) {
        self.url = url
        self.events = events
        self.secret = secret
        self.at = at
    }
}

/// Where one delivery of an event to a subscription stands.
public enum WebhookDeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not yet sent, or waiting for its next attempt.
    case pending
    /// A 2xx answer was received.
    case delivered
    /// Every attempt failed; an admin may replay it.
    case dead
}

/// One event for one subscription, with its attempts so far.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    /// The delivery's id.
    public var id: Int64
    /// The subscription it goes to.
    public var subscriptionId: Int64
    /// The outbox event it carries (its stable id is `evt_<eventId>`).
    public var eventId: Int64
    /// The event's kind.
    public var kind: WebhookEventKind
    /// Where it stands.
    public var status: WebhookDeliveryStatus
    /// Attempts made (reset by a replay).
    public var attempts: Int
    /// When it is next due (pending only; during an attempt, when that attempt's lease ends).
    public var nextAttemptAt: Date?
    /// The HTTP status of the last attempt, if it got an answer.
    public var lastStatus: Int?
    /// Why the last attempt failed.
    public var lastError: String?
    /// When it was delivered.
    public var deliveredAt: Date?
    /// When fan-out created it.
    public var createdAt: Date
}

/// A delivery leased to one sender until `leaseUntil`: no other sender claims it meanwhile, and only this claim's
/// `lease` can record its outcome.
public struct WebhookClaim: Sendable, Hashable {
    /// The delivery's id.
    public var deliveryId: Int64
    /// The token that records the outcome; a claim whose lease ended and was taken over records nothing.
    public var lease: String
    /// When the lease ends.
    public var leaseUntil: Date
    /// This attempt's number, from 1.
    public var attempt: Int
    /// The subscription's id.
    public var subscriptionId: Int64
    /// Where to POST.
    public var url: String
    /// The signing secret.
    public var secret: String
    /// The event to send.
    public var event: OutboxEvent
}

extension WebhookSubscription {
    /// A new random signing secret: `whsec_` and 64 hex digits (256 bits).
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "whsec_" + Hex.encode(bytes)
    }
}
