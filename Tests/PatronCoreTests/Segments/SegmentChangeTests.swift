import Foundation
import PatronCore
import Testing

/// Which kinds of change can move a member in or out of a segment: the follower evaluates a segment for a changed member
/// only when the change is of a kind its condition reads.
@Suite struct SegmentChangeTests {
    static func none(_ name: String) -> SegmentCondition? { nil }

    @Test func eachLeafReadsTheKindOfChangeThatCanMoveIt() {
        #expect(SegmentCondition.orders(days: 30, SegmentRange(min: 2)).changes(resolving: Self.none) == [.orders])
        #expect(SegmentCondition.daysSinceLastOrder(SegmentRange(max: 90)).changes(resolving: Self.none) == [.orders])
        #expect(SegmentCondition.points(.active, SegmentRange(min: 100)).changes(resolving: Self.none) == [.points])
        #expect(SegmentCondition.redemptions(days: nil, SegmentRange(min: 1)).changes(resolving: Self.none) == [.points])
        #expect(SegmentCondition.level(["Gold"]).changes(resolving: Self.none) == [.level])
    }

    @Test func profileConsentAndScoreConditionsReadNothingTheFollowerSees() {
        #expect(SegmentCondition.consent("email").changes(resolving: Self.none).isEmpty)
        #expect(SegmentCondition.tag(["vip"]).changes(resolving: Self.none).isEmpty)
        #expect(SegmentCondition.score(.pAlive, SegmentRange(max: 0.3), maxAgeHours: 48).changes(resolving: Self.none).isEmpty)
    }

    @Test func combinationsReadTheUnionOfTheirParts() {
        let mixed = SegmentCondition.all([.consent("email"), .any([.level(["Gold"]), .not(.spend(days: 365, SegmentRange(min: 30_000)))])])
        #expect(mixed.changes(resolving: Self.none) == [.level, .orders])
    }

    @Test func aReferenceToADynamicSegmentReadsWhatItsConditionReadsAndToAStaticOneNothing() {
        let stored: [String: SegmentCondition] = ["buyers": .orders(days: nil, SegmentRange(min: 1))]
        let resolve = { (name: String) in stored[name] }
        #expect(SegmentCondition.all([.segment("buyers"), .consent("sms")]).changes(resolving: resolve) == [.orders])
        #expect(SegmentCondition.segment("fair-2026").changes(resolving: resolve).isEmpty)
    }
}
