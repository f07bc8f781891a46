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
    /// redemption, marketing messages sent per channel since `since`, and the member's segments.
    func messageJourneyFacts(message: Int64, member: Int64, since: Date) async throws -> MessageJourneyFacts
    /// Puts a claimed message back in the queue until `until` (quiet hours), giving back the attempt the claim counted;
    /// `false` when the lease was lost.
    func deferMessage(_ claim: Message, until: Date, reason: String) async throws -> Bool
    /// Moves a claimed message to another channel of its trigger (the member has no address or consent on the first);
    /// `false` when the lease was lost.
    func rerouteMessage(_ claim: Message, to channel: MessageChannel) async throws -> Bool
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
    /// Marketing messages sent (or delivered) to the member per channel since the asked instant.
    public var marketingSent: [MessageChannel: Int]
    /// The names of the segments the member is in.
    public var segments: Set<String>

    /// Facts.
    public init(
        journey: String? = nil, step: Int? = nil, lastOrderAt: Date? = nil, lastRedemptionAt: Date? = nil, marketingSent: [MessageChannel: Int] = [:],
        segments: Set<String> = []
    ) {
        self.journey = journey
        self.step = step
        self.lastOrderAt = lastOrderAt
        self.lastRedemptionAt = lastRedemptionAt
        self.marketingSent = marketingSent
        self.segments = segments
    }
}
