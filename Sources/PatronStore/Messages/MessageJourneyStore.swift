import Foundation
import PatronCore

/// The store's part in the program's message triggers (`messages:`): the journeys job that queues time-based causes,
/// and what the deliverer reads and writes to apply a trigger's rules at send time.
public protocol MessageJourneyStore: Sendable {
    /// Queues the messages of the program's time-based triggers as of `at` — points expiring (one per member and last
    /// day), birthdays, anniversaries, thank-yous and inactivity steps — each once: a second run queues nothing new.
    /// `items` counts the messages queued. Without a `messages:` section it does nothing.
    func runMessageJourneys(asOf: Date) async throws -> JobReport
    /// What the deliverer needs to apply a message's trigger: its journey and step, the member's last order and
    /// redemption, and the member's segments.
    func messageJourneyFacts(message: Int64, member: Int64) async throws -> MessageJourneyFacts
    /// The weekly cap's check and count in one step, for a claimed marketing message about to go out on `channel`:
    /// counts the member's marketing messages on that channel sent since `since` *and those another deliverer has
    /// reserved and still holds the lease of*, and when fewer than `cap` reserves this one (its `sentAt` is the
    /// reservation until the outcome is recorded; it moves to `channel`). Atomic across deliverers and processes: the
    /// member's row is locked on PostgreSQL, and SQLite has one writer at a time. `lost` when the lease was lost.
    func reserveCappedSend(_ claim: Message, channel: MessageChannel, cap: Int, since: Date, at: Date) async throws -> CapReservation
    /// Puts a claimed message back in the queue until `until` (quiet hours), giving back the attempt the claim counted;
    /// `false` when the lease was lost.
    func deferMessage(_ claim: Message, until: Date, reason: String) async throws -> Bool
    /// Moves a claimed message to another channel of its trigger (the member has no address or consent on the first);
    /// `false` when the lease was lost.
    func rerouteMessage(_ claim: Message, to channel: MessageChannel) async throws -> Bool
}

/// What became of a reservation under the weekly cap (`reserveCappedSend`).
public enum CapReservation: Sendable, Hashable {
    /// Counted: send it.
    case reserved
    /// The cap is reached: this many marketing messages on the channel were sent or are being sent in the week.
    case full(sent: Int)
    /// Another deliverer holds the message now.
    case lost
}

/// What the deliverer reads about a message and its member to apply the trigger's rules.
public struct MessageJourneyFacts: Sendable, Hashable {
    /// The trigger that queued the message (`winback`), or `campaign:NAME`; `nil` for messages without one.
    public var journey: String?
    /// The step of a multi-step trigger (a win-back's 1, 2, 3).
    public var step: Int?
    /// When the member last placed an order.
    public var lastOrderAt: Date?
    /// When the member last redeemed a reward.
    public var lastRedemptionAt: Date?
    /// The names of the segments the member is in.
    public var segments: Set<String>

    /// Facts.
    public init(
        journey: String? = nil, step: Int? = nil, lastOrderAt: Date? = nil, lastRedemptionAt: Date? = nil, segments: Set<String> = []
    ) {
        self.journey = journey
        self.step = step
        self.lastOrderAt = lastOrderAt
        self.lastRedemptionAt = lastRedemptionAt
        self.segments = segments
    }
}
