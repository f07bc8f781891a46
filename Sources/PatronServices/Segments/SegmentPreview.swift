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

/// A segment as the API and the console show it: its condition in the YAML spelling.
public struct SegmentSummary: Sendable, Hashable, Codable {
    /// The name.
    public var name: String
    /// `dynamic` or `static`.
    public var kind: String
    /// What it is for.
    public var description: String?
    /// The version of its definition.
    public var version: Int
    /// Members after the last refresh, import or re-evaluation.
    public var members: Int
    /// When it was created.
    public var createdAt: Date
    /// When its definition last changed.
    public var updatedAt: Date
    /// When it was last refreshed or imported.
    public var refreshedAt: Date?
    /// The condition in its YAML spelling; `nil` for a static segment.
    public var `where`: String?

    /// The summary of `record`, amounts written with `minorDigits` decimals.
    public init(_ record: SegmentRecord, minorDigits: Int) {
        name = record.name
        kind = record.kind.rawValue
        description = record.definition.description
        version = record.version
        members = record.memberCount
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        refreshedAt = record.refreshedAt
        self.where = record.definition.condition?.spelled(minorDigits: minorDigits)
    }
}

/// What loading segments did, as the API answers.
public struct SegmentLoadSummary: Sendable, Hashable, Codable {
    /// One segment's outcome.
    public struct Saved: Sendable, Hashable, Codable {
        /// The segment now.
        public var segment: SegmentSummary
        /// `created`, `changed` or `unchanged`.
        public var change: String
    }

    /// Each segment, in the order sent.
    public var saved: [Saved]
    /// The refresh of each created or changed dynamic segment.
    public var refreshed: [SegmentRefresh]
}
