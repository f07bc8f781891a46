import Foundation
import PatronCore

/// Segments in the store: definitions with versions, members with the instant they entered, per-member scores, and
/// the re-evaluation that keeps dynamic segments current (writing `segment.entered` / `segment.left` to the outbox).
/// Marketing campaigns read membership through `segment(named:)`, `segmentMembers` and `isSegmentMember`.
public protocol SegmentStore: Sendable {
    /// Creates or changes segments in one transaction: a changed definition makes a new version; an unchanged one
    /// changes nothing. Changing a segment's kind (dynamic ↔ static) is refused.
    func saveSegments(_ definitions: [SegmentDefinition], actor: String, at: Date) async throws -> [SegmentSaved]
    /// Every segment, by name.
    func segments() async throws -> [SegmentRecord]
    /// The segment named `name`, or `nil`.
    func segment(named name: String) async throws -> SegmentRecord?
    /// A page of a segment's members by member id, after member `after` (0 for the first page).
    func segmentMembers(segment: Int64, limit: Int, after: Int64) async throws -> [SegmentMember]
    /// Whether the member is in the segment now.
    func isSegmentMember(segment: Int64, member: Int64) async throws -> Bool
    /// The names of the segments a member is in.
    func memberSegments(member: Int64) async throws -> [String]
    /// Re-evaluates a dynamic segment over every member: entries and exits are written with their outbox events.
    func refreshSegment(named name: String, at: Date) async throws -> SegmentRefresh
    /// Re-evaluates members whose ledger or level changed since the last pass against every dynamic segment.
    func followSegmentChanges(at: Date, limit: Int) async throws -> SegmentFollowUp
    /// Counts, revenue and a sample of the members a condition selects now, without storing anything.
    func previewSegment(_ condition: SegmentCondition, at: Date, sample: Int) async throws -> SegmentPreviewCounts
    /// The ids of every member a condition selects now, lowest first.
    func evaluateSegment(_ condition: SegmentCondition, at: Date) async throws -> [Int64]
    /// Replaces a static segment's members with `members` (entries and exits announced), in one transaction.
    func replaceStaticSegmentMembers(segment name: String, members: [Int64], at: Date) async throws -> SegmentRefresh
    /// Replaces every member's scores with `scores`, fitted at `fittedAt`.
    func saveMemberScores(_ scores: [MemberScores], fittedAt: Date) async throws
    /// A member's scores and when they were fitted, or `nil`.
    func memberScores(member: Int64) async throws -> (MemberScores, Date)?
}
