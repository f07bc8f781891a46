import Foundation

/// A kind of change to a member that the segment follower sees between its passes, from the store's own marks: a
/// ledger entry (points; with an order, the order too) or a level change. A dynamic segment is re-evaluated for a
/// changed member only when its condition reads something that kind of change can move: a points adjustment cannot move
/// an `orders:` segment, and no change the follower sees can move a `consent:` one (profile edits, consent, time and
/// analytics scores are caught by the daily refresh).
public enum SegmentChange: String, Sendable, Hashable, Codable, CaseIterable {
    /// Points moved: balances, expiring points, and what moves points with them (redemptions, activities).
    case points
    /// An order was placed, completed, cancelled or returned: counts, spend, recency, first order, order value, returns.
    case orders
    /// The member's level changed (or an override of it).
    case level
}

extension SegmentCondition {
    /// The kinds of change that can move a member in or out of a segment with this condition. `resolve` gives the
    /// condition of a dynamic segment that a `segment:` reference names (its conditions count as this one's), or `nil`
    /// for a static segment, whose members change only by import.
    public func changes(resolving resolve: (String) -> SegmentCondition?) -> Set<SegmentChange> {
        changes(resolving: resolve, depth: 0)
    }

    private func changes(resolving resolve: (String) -> SegmentCondition?, depth: Int) -> Set<SegmentChange> {
        // Loading refuses a segment that refers to itself; past this depth everything counts, which is never wrong.
        guard depth < 32 else { return Set(SegmentChange.allCases) }
        switch self {
        case .all(let items), .any(let items):
            return items.reduce(into: Set<SegmentChange>()) { $0.formUnion($1.changes(resolving: resolve, depth: depth)) }
        case .not(let inner):
            return inner.changes(resolving: resolve, depth: depth)
        case .segment(let name):
            return resolve(name)?.changes(resolving: resolve, depth: depth + 1) ?? []
        case .level, .daysAtLevel:
            return [.level]
        case .points, .expiringPoints, .redemptions, .lastActivity:
            return [.points]
        case .orders, .spend, .daysSinceLastOrder, .overdue, .firstOrder, .averageOrderValue, .returnRate:
            return [.orders]
        case .enrolled, .daysSinceEnrolment, .birthdayMonth, .tag, .profile, .identity, .consent, .label, .score:
            return []
        }
    }
}
