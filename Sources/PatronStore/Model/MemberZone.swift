import Foundation
import PatronCore

/// An order whose points are still pending: earned when placed, spendable once its return window has ended.
public struct PendingOrderPoints: Sendable, Hashable, Codable {
    /// The order id.
    public var orderId: String
    /// Points pending.
    public var points: Int64
    /// When the order was placed.
    public var placedAt: Date
    /// When the points become active, once the order is completed; `nil` while it is only placed.
    public var activatesAt: Date?

    /// Makes a value.
    public init(orderId: String, points: Int64, placedAt: Date, activatesAt: Date?) {
        self.orderId = orderId
        self.points = points
        self.placedAt = placedAt
        self.activatesAt = activatesAt
    }
}

/// Where a member stands, read in one transaction for the member zone's home page: the member, their open lots,
/// the orders whose points are pending, and the value that qualifies them for levels.
public struct MemberStanding: Sendable, Hashable {
    /// The member with cached balances and level state.
    public var member: Member
    /// Open lots, earliest-expiring first.
    public var lots: [Lot]
    /// Orders with pending points, the soonest to activate first (placed-only orders last).
    public var pending: [PendingOrderPoints]
    /// The level metric over the program's window at the instant asked about; `nil` when the program has no levels.
    public var qualifyingValue: Int64?
    /// Whether the member has a completed order (some programs give the first level only then).
    public var hasCompletedOrder: Bool
    /// The program in force when it was read, `nil` before one is loaded.
    public var program: Program?

    /// Makes a value.
    public init(
        member: Member, lots: [Lot], pending: [PendingOrderPoints], qualifyingValue: Int64?, hasCompletedOrder: Bool, program: Program? = nil
    ) {
        self.program = program
        self.member = member
        self.lots = lots
        self.pending = pending
        self.qualifyingValue = qualifyingValue
        self.hasCompletedOrder = hasCompletedOrder
    }
}
