import Foundation
import PatronCore
import PatronStore

/// How big a segment is and what it is worth: its count, its share of members and of the last 12 months' revenue,
/// and a sample of its members.
public struct SegmentPreview: Sendable, Hashable, Codable {
    /// The segment's name.
    public var segment: String
    /// Members it selects now.
    public var count: Int
    /// Members not erased.
    public var members: Int
    /// `count` / `members`, 0–1.
    public var memberShare: Double
    /// Money kept on the selected members' orders in the last 12 months, minor units.
    public var revenue12Months: Int64
    /// The same over every member.
    public var totalRevenue12Months: Int64
    /// `revenue12Months` / `totalRevenue12Months`, 0–1 (0 when there was no revenue).
    public var revenueShare: Double
    /// The currency of the money.
    public var currency: String
    /// Some of the members, lowest id first.
    public var sample: [Member]
}

/// One member of an exported segment.
public struct SegmentExportRow: Sendable, Hashable, Codable {
    /// The member id.
    public var memberId: Int64
    /// When they entered the segment.
    public var enteredAt: Date
    /// Their identities as KIND:VALUE.
    public var identities: [String]
}
