import Foundation
import Logging
import PatronCore
@testable import PatronServer
import PatronServices
import PatronStore
import Testing

/// `patron serve`'s scheduler runs the campaigns job on every tick, and `JobRunner.runOnce` (`patron jobs run`) too.
@Suite struct CampaignJobSchedulerTests {
    /// A scheduled campaign on a static segment of one member, window 2026-03-05 to 2026-03-06 in New York, 50 points
    /// on entry.
    static func shop(_ clock: ManualClock) async throws -> (store: any Store, member: Int64) {
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        let member = try await store.enroll(EnrollmentRequest(identities: [try .customer("c1")]), key: nil).id
        _ = try await store.saveSegments([SegmentDefinition(name: "all", kind: .static, condition: nil)], actor: "test", at: clock.now())
        _ = try await store.replaceStaticSegmentMembers(segment: "all", members: [member], at: clock.now())
        _ = try await store.createCampaign(
            MarketingCampaign(
                name: "spring", segment: "all", starts: LocalDate(iso: "2026-03-05")!, ends: LocalDate(iso: "2026-03-06")!, holdoutBasisPoints: 0,
                actions: [.grantPoints(50)]), at: clock.now())
        _ = try await store.transitionCampaign(named: "spring", .schedule, at: clock.now())
        return (store, member)
    }

    @Test("the scheduler's tick starts a scheduled campaign once its window opens and finishes it after")
    func tickStartsAndFinishesCampaigns() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T12:00:00Z")!)
        let (store, member) = try await Self.shop(clock)
        let scheduler = JobScheduler(store: store, clock: clock, interval: .seconds(60), logger: Logger(label: "test"))
        _ = try await scheduler.tick(lastDailyRun: nil)
        #expect(try await store.campaign(named: "spring")?.status == .scheduled)
        clock.set(ISO8601DateFormatter().date(from: "2026-03-05T05:00:00Z")!)  // 00:00 on the 5th in New York (EST)
        _ = try await scheduler.tick(lastDailyRun: nil)
        #expect(try await store.campaign(named: "spring")?.status == .running)
        #expect(try await store.member(id: member)?.balances.active == 50)
        clock.set(ISO8601DateFormatter().date(from: "2026-03-07T05:00:00Z")!)
        _ = try await scheduler.tick(lastDailyRun: nil)
        #expect(try await store.campaign(named: "spring")?.status == .finished)
    }

    @Test("JobRunner.runOnce, behind patron jobs run, reports the campaigns it started")
    func runOnceRunsTheCampaignsJob() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-05T12:00:00Z")!)
        let (store, _) = try await Self.shop(clock)
        let report = try await JobRunner(store: store, clock: clock).runOnce()
        #expect(report.campaigns.started == ["spring"])
        #expect(report.campaigns.assigned.treated == 1 && report.campaigns.assigned.pointsGranted == 50)
        #expect(try await JobRunner(store: store, clock: clock).runOnce().campaigns == CampaignJob.Report())
    }
}
