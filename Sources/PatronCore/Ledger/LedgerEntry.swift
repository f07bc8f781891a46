import Foundation

/// One append-only line of the points ledger, the only source of truth for points.
public struct LedgerEntry: Sendable, Hashable, Codable {
    /// What kind of change an entry records.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An order's points, pending until its return window ends.
        case pending
        /// Pending points cancelled with their order.
        case void
        /// Pending points becoming active; creates a lot.
        case activate
        /// Points credited straight to active (activities, bonuses); creates a lot.
        case earn
        /// Points spent on a reward.
        case redeem
        /// Points whose lot reached its expiry.
        case expire
        /// Points taken back because goods were returned.
        case reverse
        /// A manual correction with a reason and an actor.
        case adjust
        /// Points moved between members.
        case transfer

        /// Whether active points added or removed by this kind count toward lifetime earned.
        public var countsAsEarned: Bool { self == .activate || self == .earn || self == .reverse }
        /// Whether this kind's active points count as issued in the program's figures (the overview, the what-if's
        /// quarter hours): what was earned, less what was returned, plus manual corrections.
        public var countsAsIssued: Bool { countsAsEarned || self == .adjust }
        /// Whether active points removed by this kind count toward lifetime spent.
        public var countsAsSpent: Bool { self == .redeem }
    }

    /// An entry before the store gives it an id.
    public struct Draft: Sendable, Hashable {
        /// The kind.
        public var kind: Kind
        /// Change of the active balance.
        public var activeDelta: Int64
        /// Change of the pending balance.
        public var pendingDelta: Int64
        /// The order it belongs to, if any.
        public var orderId: String?
        /// Why, for adjustments and reversals.
        public var reason: String?
        /// Who, for manual changes.
        public var actor: String?
        /// The lot this entry creates, if it adds active points.
        public var newLot: NewLot?
        /// How the entry moves points in existing lots (negative takes).
        public var allocations: [Allocation]
        /// When it happened, where that differs from the request's time (an activation at the end of its pending
        /// period, an expiry at its boundary), whenever the job that writes it runs.
        public var occurredAt: Date?

        /// Makes a draft.
        public init(
            kind: Kind, activeDelta: Int64 = 0, pendingDelta: Int64 = 0, orderId: String? = nil, reason: String? = nil,
            actor: String? = nil, newLot: NewLot? = nil, allocations: [Allocation] = [], occurredAt: Date? = nil
        ) {
            self.kind = kind
            self.activeDelta = activeDelta
            self.pendingDelta = pendingDelta
            self.orderId = orderId
            self.reason = reason
            self.actor = actor
            self.newLot = newLot
            self.allocations = allocations
            self.occurredAt = occurredAt
        }
    }

    /// The entry id, increasing in the order entries were written.
    public var id: Int64
    /// The member.
    public var memberId: Int64
    /// The kind.
    public var kind: Kind
    /// Change of the active balance.
    public var activeDelta: Int64
    /// Change of the pending balance.
    public var pendingDelta: Int64
    /// The order, if any.
    public var orderId: String?
    /// The program version whose rules produced the entry.
    public var programVersion: Int
    /// When the change happened in the business (the event's time, or the job's "as of").
    public var occurredAt: Date
    /// Why.
    public var reason: String?
    /// Who.
    public var actor: String?

    /// Makes an entry.
    public init(
        id: Int64, memberId: Int64, kind: Kind, activeDelta: Int64, pendingDelta: Int64, orderId: String?, programVersion: Int,
        occurredAt: Date, reason: String?, actor: String?
    ) {
        self.id = id
        self.memberId = memberId
        self.kind = kind
        self.activeDelta = activeDelta
        self.pendingDelta = pendingDelta
        self.orderId = orderId
        self.programVersion = programVersion
        self.occurredAt = occurredAt
        self.reason = reason
        self.actor = actor
    }
}

/// A lot of active points with one expiry date. Spending and expiring take the earliest-expiring lot first.
public struct Lot: Sendable, Hashable, Codable {
    /// The lot id: the id of the entry that created it.
    public var id: Int64
    /// The member.
    public var memberId: Int64
    /// Points the lot was created with.
    public var points: Int64
    /// Points still in it.
    public var remaining: Int64
    /// When its points became active.
    public var createdAt: Date
    /// When what remains expires; `nil` for never.
    public var expiresAt: Date?
    /// The order that earned it, if any.
    public var orderId: String?

    /// Makes a lot value.
    public init(id: Int64, memberId: Int64, points: Int64, remaining: Int64, createdAt: Date, expiresAt: Date?, orderId: String?) {
        self.id = id
        self.memberId = memberId
        self.points = points
        self.remaining = remaining
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.orderId = orderId
    }

    /// Earliest expiry first; never-expiring lots last; ties by age.
    public static func spendingOrder(_ a: Lot, _ b: Lot) -> Bool {
        switch (a.expiresAt, b.expiresAt) {
        case (let x?, let y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.id < b.id
        }
    }
}

/// A lot that an entry creates.
public struct NewLot: Sendable, Hashable {
    /// Points credited by the entry.
    public var points: Int64
    /// Points the lot keeps after paying off any negative balance.
    public var remaining: Int64
    /// When what remains expires.
    public var expiresAt: Date?
}

/// Points moved into or out of an existing lot by an entry.
public struct Allocation: Sendable, Hashable, Codable {
    /// The lot.
    public var lotId: Int64
    /// Points added (positive) or taken (negative).
    public var points: Int64

    /// Makes an allocation.
    public init(lotId: Int64, points: Int64) {
        self.lotId = lotId
        self.points = points
    }
}
