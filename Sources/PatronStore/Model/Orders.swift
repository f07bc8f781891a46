import Foundation
import PatronCore

/// How `apply` treats events.
public struct ApplyOptions: Sendable {
    /// Enroll the customer of a `placed` event who is not yet a member (as the program's enrollment allows).
    public var enrollUnknownMembers: Bool

    /// Makes options.
    public init(enrollUnknownMembers: Bool = false) { self.enrollUnknownMembers = enrollUnknownMembers }
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
