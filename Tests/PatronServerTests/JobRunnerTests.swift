import Foundation
import PatronCore
import PatronServer
import PatronStore
import Testing

@Suite struct JobRunnerTests {
    @Test func runningTheJobsTwiceChangesNothingTheSecondTime() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)
        let program = cdnowProgram.replacingOccurrences(of: "expiry: never", with: "expiry: { afterDays: 10 }")
        let store = try await temporaryStore(program, clock: clock)
        let order = Order(id: "O1", member: try .customer("c1"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        _ = await store.apply([.placed(order, at: clock.now()), .completed("O1", at: clock.now())], options: ApplyOptions(enrollUnknownMembers: true))
        let jobs = JobRunner(store: store, clock: clock)
        clock.advance(days: 31)
        let first = try await jobs.runOnce()
        #expect(first.activated == JobReport(items: 1, points: 50))
        #expect(first.expired == JobReport(items: 0, points: 0))
        clock.advance(days: 11)
        let second = try await jobs.runOnce()
        #expect(second.activated.items == 0)
        #expect(second.expired == JobReport(items: 1, points: 50))
        let third = try await jobs.runOnce()
        #expect(third.activated.items == 0 && third.expired.items == 0)
        #expect(try await store.check().isEmpty)
    }
}

@Suite struct JobRunnerExpiryNoticeTests {
    @Test func theJobsAnnouncePointsExpiringWithinTheNoticePeriodOnce() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)
        let program = cdnowProgram.replacingOccurrences(of: "expiry: never", with: "expiry: { afterDays: 10 }")
        let store = try await temporaryStore(program, clock: clock)
        _ = try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://mail.example/in", events: [.pointsExpiring], at: clock.now()))
        let member = try await store.enroll(EnrollmentRequest(identities: [try .customer("c1")]), key: nil)
        _ = try await store.adjust(Adjustment(memberId: member.id, points: 40, reason: "welcome", actor: "test", key: "a1", at: clock.now()))
        let jobs = JobRunner(store: store, clock: clock, expiringNoticeDays: 3)
        let expiry = try #require(try await store.statement(member: member.id, entries: 1).lots.first?.expiresAt)
        clock.advance(days: 6)
        #expect(expiry.timeIntervalSince(clock.now()) > 3 * 86_400)
        #expect(try await jobs.runOnce().expiringNotices.items == 0)
        clock.advance(days: 2)
        #expect(expiry.timeIntervalSince(clock.now()) <= 3 * 86_400)
        #expect(try await jobs.runOnce().expiringNotices == JobReport(items: 1, points: 40))
        #expect(try await jobs.runOnce().expiringNotices.items == 0)
        #expect(try await store.outbox(after: 0, limit: 10).map(\.kind) == ["points.expiring"])
    }
}
