import Foundation
import PatronCore

/// A stored segment: its current definition and version, and its membership's size when last refreshed.
public struct SegmentRecord: Sendable, Hashable, Codable {
    /// The segment's id.
    public var id: Int64
    /// The current definition.
    public var definition: SegmentDefinition
    /// The version: 1 when created, one more at every change of its definition.
    public var version: Int
    /// When it was created.
    public var createdAt: Date
    /// When its definition last changed.
    public var updatedAt: Date
    /// When its membership was last fully re-evaluated (or imported), if ever.
    public var refreshedAt: Date?
    /// Members in it after the last refresh, import or re-evaluation.
    public var memberCount: Int

    /// The segment's name.
    public var name: String { definition.name }
    /// Dynamic or static.
    public var kind: SegmentDefinition.Kind { definition.kind }
}

/// A member of a segment, with the instant they entered it.
public struct SegmentMember: Sendable, Hashable, Codable {
    /// The member.
    public var memberId: Int64
    /// When they entered the segment.
    public var enteredAt: Date
}

/// What saving a segment definition did.
public struct SegmentSaved: Sendable, Hashable, Codable {
    /// The segment as stored now.
    public var segment: SegmentRecord
    /// `created`, `changed` (a new version) or `unchanged`.
    public var change: String
}

/// What re-evaluating segments did: members who entered and left.
public struct SegmentRefresh: Sendable, Hashable, Codable {
    /// The segment.
    public var segment: String
    /// Members who entered.
    public var entered: Int
    /// Members who left.
    public var left: Int
    /// Members in it afterwards.
    public var members: Int

    /// Makes a summary.
    public init(segment: String, entered: Int, left: Int, members: Int) {
        self.segment = segment
        self.entered = entered
        self.left = left
        self.members = members
    }
}

/// What a pass of the re-evaluator did over members whose ledger or level changed.
public struct SegmentFollowUp: Sendable, Hashable, Codable {
    /// Members re-evaluated.
    public var members: Int
    /// Entries into dynamic segments.
    public var entered: Int
    /// Exits from dynamic segments.
    public var left: Int
    /// Whether changes were left for another pass (the pass met its limit).
    public var more: Bool

    /// Makes a summary.
    public init(members: Int, entered: Int, left: Int, more: Bool = false) {
        self.members = members
        self.entered = entered
        self.left = left
        self.more = more
    }
}

/// How a condition's members compare with all members: for previews.
public struct SegmentPreviewCounts: Sendable, Hashable, Codable {
    /// Members matching.
    public var count: Int
    /// Members not erased.
    public var members: Int
    /// Money kept on orders in the last 12 months by the matching members, in minor units.
    public var revenue12Months: Int64
    /// The same for every member.
    public var totalRevenue12Months: Int64
    /// Some matching members' ids, lowest first.
    public var sample: [Int64]
}

/// One member's analytics scores, as the scoring job computed them.
public struct MemberScores: Sendable, Hashable, Codable {
    /// The member.
    public var memberId: Int64
    /// The RFM cell (`"545"`), if the member has bought.
    public var rfmCell: String?
    /// The named RFM segment.
    public var rfmSegment: String?
    /// The loyalty stage.
    public var loyaltyStage: String?
    /// The attitude × behaviour type.
    public var loyaltyType: String?
    /// BG/NBD P(alive).
    public var pAlive: Double?
    /// Purchases expected in the next 90 days.
    public var expectedPurchases90: Double?
    /// 12-month CLV in minor units.
    public var clv12: Double?
    /// The CLV's percentile among scored members, 0–100.
    public var clvPercentile: Double?

    /// Makes a row.
    public init(
        memberId: Int64, rfmCell: String? = nil, rfmSegment: String? = nil, loyaltyStage: String? = nil, loyaltyType: String? = nil,
        pAlive: Double? = nil, expectedPurchases90: Double? = nil, clv12: Double? = nil, clvPercentile: Double? = nil
    ) {
        self.memberId = memberId
        self.rfmCell = rfmCell
        self.rfmSegment = rfmSegment
        self.loyaltyStage = loyaltyStage
        self.loyaltyType = loyaltyType
        self.pAlive = pAlive
        self.expectedPurchases90 = expectedPurchases90
        self.clv12 = clv12
        self.clvPercentile = clvPercentile
    }
}
