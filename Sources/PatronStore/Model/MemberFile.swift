import Foundation
import PatronCore

/// What a staff page shows of one member, read in one transaction and bounded: every list has a limit, so the page
/// costs the same for a member with ten ledger entries and one with ten thousand.
public struct MemberFileRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// Ledger entries older than this entry id (the next page); `nil` for the newest.
    public var entriesBefore: Int64?
    /// Ledger entries per page.
    public var entries: Int
    /// Open lots, earliest-expiring first.
    public var lots: Int
    /// Orders, newest first.
    public var orders: Int
    /// Redemptions and coupons, newest first.
    public var redemptions: Int
    /// Level changes, newest first.
    public var levelChanges: Int
    /// Audit records about the member, newest first.
    public var auditRecords: Int

    /// Makes a request with the console's page sizes.
    public init(
        memberId: Int64, entriesBefore: Int64? = nil, entries: Int = 50, lots: Int = 50, orders: Int = 20, redemptions: Int = 20,
        levelChanges: Int = 20, auditRecords: Int = 20
    ) {
        self.memberId = memberId
        self.entriesBefore = entriesBefore
        self.entries = entries
        self.lots = lots
        self.orders = orders
        self.redemptions = redemptions
        self.levelChanges = levelChanges
        self.auditRecords = auditRecords
    }
}

/// One member as the console shows them: the member, a page of the ledger, open lots, and the latest orders,
/// redemptions, level changes and audit records.
public struct MemberFile: Sendable, Hashable {
    /// The member: identities, profile (consents included), balances and level.
    public var member: Member
    /// A page of ledger entries, newest first.
    public var entries: [LedgerEntry]
    /// Whether entries older than the last one on this page exist.
    public var hasOlderEntries: Bool
    /// Every ledger entry of the member.
    public var entryCount: Int
    /// Open lots (points left), earliest-expiring first, never-expiring last; at most the requested number.
    public var lots: [Lot]
    /// Every open lot.
    public var openLotCount: Int
    /// The latest orders, newest first.
    public var orders: [MemberOrder]
    /// Every order of the member.
    public var orderCount: Int
    /// The latest redemptions (coupons included), newest first.
    public var redemptions: [Redemption]
    /// The latest level changes, newest first.
    public var levelHistory: [LevelHistoryEntry]
    /// The latest admin actions on the member (`member:ID`), newest first.
    public var audit: [AuditRecord]

    /// Makes a file.
    public init(
        member: Member, entries: [LedgerEntry], hasOlderEntries: Bool, entryCount: Int, lots: [Lot], openLotCount: Int, orders: [MemberOrder],
        orderCount: Int, redemptions: [Redemption], levelHistory: [LevelHistoryEntry], audit: [AuditRecord]
    ) {
        self.member = member
        self.entries = entries
        self.hasOlderEntries = hasOlderEntries
        self.entryCount = entryCount
        self.lots = lots
        self.openLotCount = openLotCount
        self.orders = orders
        self.orderCount = orderCount
        self.redemptions = redemptions
        self.levelHistory = levelHistory
        self.audit = audit
    }
}

/// An order as a member's page lists it.
public struct MemberOrder: Sendable, Hashable, Codable {
    /// The order id.
    public var id: String
    /// `placed`, `completed`, `active` or `cancelled`.
    public var status: String
    /// When placed.
    public var placedAt: Date
    /// When completed.
    public var completedAt: Date?
    /// When its pending points become active, while it waits.
    public var activatesAt: Date?
    /// Goods' value after discounts, minor units.
    public var amount: Int64
    /// Points earned.
    public var points: Int64
    /// Points reversed by returns.
    public var reversedPoints: Int64
    /// Points paid with.
    public var pointsUsed: Int64
    /// The partner merchant, if any.
    public var partner: String?

    /// Makes an order value.
    public init(
        id: String, status: String, placedAt: Date, completedAt: Date?, activatesAt: Date?, amount: Int64, points: Int64, reversedPoints: Int64,
        pointsUsed: Int64, partner: String?
    ) {
        self.id = id
        self.status = status
        self.placedAt = placedAt
        self.completedAt = completedAt
        self.activatesAt = activatesAt
        self.amount = amount
        self.points = points
        self.reversedPoints = reversedPoints
        self.pointsUsed = pointsUsed
        self.partner = partner
    }
}

/// An identity that matched a search, and its member.
public struct IdentityMatch: Sendable, Hashable {
    /// The identity found.
    public var identity: Identity
    /// Its member.
    public var memberId: Int64

    /// Makes a match.
    public init(identity: Identity, memberId: Int64) {
        self.identity = identity
        self.memberId = memberId
    }
}

/// A coupon given to a member by staff, without taking points.
public struct CouponGrant: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The coupon reward's id in the program.
    public var rewardId: String
    /// The idempotency key: the same key grants once.
    public var key: String
    /// When.
    public var at: Date

    /// Makes a grant.
    public init(memberId: Int64, rewardId: String, key: String, at: Date) {
        self.memberId = memberId
        self.rewardId = rewardId
        self.key = key
        self.at = at
    }
}

/// What a coupon grant did.
public struct CouponGrantOutcome: Sendable, Hashable {
    /// The coupon issued (a redemption of no points).
    public var coupon: Redemption
    /// Whether this is a replay of an earlier grant with the same key.
    public var replayed: Bool

    /// Makes an outcome.
    public init(coupon: Redemption, replayed: Bool) {
        self.coupon = coupon
        self.replayed = replayed
    }
}
