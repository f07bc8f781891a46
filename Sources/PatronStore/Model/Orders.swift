import Foundation
import PatronCore

/// How `apply` treats events.
public struct ApplyOptions: Sendable {
    /// Enroll the customer of a `placed` event who is not yet a member (as the program's enrollment allows).
    public var enrollUnknownMembers: Bool
    /// The events are the shop's history (`patron import`): they may be older than the idempotency window, and they
    /// write no idempotency records. An event already applied is told by its order instead: a `placed` event by the
    /// order's id, a `completed` or `cancelled` one by the order's completion or cancellation time, a `returned` one by
    /// its event id, kept with the returns imported. Such an event answers `replayed: true` with no points moved.
    /// Its completions are not offered to the NPS survey job (`survey_candidates`), which asks about the running shop's.
    public var history: Bool

    /// Makes options.
    public init(enrollUnknownMembers: Bool = false, history: Bool = false) {
        self.enrollUnknownMembers = enrollUnknownMembers
        self.history = history
    }
}

/// What an order event did.
public struct OrderOutcome: Sendable, Hashable, Codable {
    /// The event.
    public var eventId: String
    /// The order.
    public var orderId: String
    /// The member.
    public var memberId: Int64
    /// The order's status afterwards.
    public var status: OrderRecord.Status
    /// Change of the member's pending points.
    public var pendingDelta: Int64
    /// Change of the member's active points.
    public var activeDelta: Int64
    /// Whether the event enrolled the member.
    public var enrolled: Bool
    /// Whether this answer is the stored outcome of an earlier identical request.
    public var replayed: Bool
}
