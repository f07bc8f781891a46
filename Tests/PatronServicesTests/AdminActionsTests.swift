import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// Admin changes leave exactly one audit record each, whoever calls them (the command line, the API).
@Suite struct AdminActionsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let at = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    func store() async throws -> (SQLStore, Member, Member) {
        let store = try SQLStore.open(TestDatabase.fresh(), clock: ManualClock(at))
        try await store.migrate()
        let (program, source) = try ProgramFile.load(path: Self.root.appendingPathComponent("examples/programs/gold-club.yaml").path)
        _ = try await store.loadProgram(program, source: source)
        let ann = try await store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
        let bo = try await store.enroll(EnrollmentRequest(identities: [try .customer("bo")]), key: nil)
        return (store, ann, bo)
    }

    @Test func anAdjustmentIsAuditedOnceWithItsActorBalancesAndReason() async throws {
        let (store, ann, _) = try await store()
        let actions = AdminActions(store: store)
        let adjustment = Adjustment(memberId: ann.id, points: 500, reason: "late delivery", actor: "ops@shop", key: "a1", at: at)
        _ = try await actions.adjust(adjustment)
        #expect(try await actions.adjust(adjustment).replayed)
        let log = try await store.auditLog(after: 0, limit: 10, subject: "member:\(ann.id)")
        #expect(log.map(\.action) == ["member.adjust"])
        #expect(log.first?.actor == "ops@shop")
        #expect(log.first?.before?.contains(#""active":0"#) == true)
        let after = try JSONDecoder().decode(AuditedChange.self, from: Data(try #require(log.first?.after).utf8))
        #expect(after.reason == "late delivery" && after.state?.contains(#""active":500"#) == true)
    }

    @Test func levelsTransfersAndRefusedChangesAreAuditedOnlyWhenSomethingChanged() async throws {
        let (store, ann, bo) = try await store()
        let actions = AdminActions(store: store)
        _ = try await actions.adjust(Adjustment(memberId: ann.id, points: 1_000, reason: "funds", actor: "ops", key: "f", at: at))
        let until = at.addingTimeInterval(30 * 86_400)
        _ = try await actions.setLevel(LevelOverrideRequest(memberId: ann.id, level: "Gold", until: until, reason: "vip", actor: "ops", key: "l", at: at))
        _ = try await actions.transfer(TransferRequest(from: ann.id, to: bo.id, points: 200, key: "t", at: at), actor: "ops")
        _ = try await actions.transfer(TransferRequest(from: ann.id, to: bo.id, points: 200, key: "t", at: at), actor: "ops")  // a replay
        await #expect {
            try await actions.adjust(Adjustment(memberId: bo.id, points: -10_000, reason: "too much", actor: "ops", key: "x", at: at))
        } throws: { ($0 as? PatronError)?.code == .insufficientPoints }
        await #expect {
            try await actions.adjust(Adjustment(memberId: 999, points: 5, reason: "nobody", actor: "ops", key: "y", at: at))
        } throws: { ($0 as? PatronError)?.code == .notFound }
        let log = try await store.auditLog(after: 0, limit: 10, subject: nil)
        #expect(log.map(\.action) == ["member.adjust", "member.level", "member.transfer"])
        #expect(log[2].after?.contains(#""to":\#(bo.id)"#) == true)
    }
}
