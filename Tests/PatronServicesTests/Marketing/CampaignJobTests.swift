import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import PatronTestSupport
import Testing

/// The campaigns job on SQLite (and PostgreSQL with `PATRON_TEST_BACKEND=postgres`): a scheduled campaign starts and
/// finishes at its window's instants in the shop's time zone, and a member who enters the segment while the campaign
/// runs gets the entry grant once, however often and from however many stores the job runs.
@Suite struct CampaignJobTests {
    /// A store with the services' test program (Asia/Shanghai), a static segment `chosen`, and a campaign on it with
    /// no holdout, a 100-point grant on entry and the window 2026-03-05 to 2026-03-10, scheduled.
    struct Shop {
        let path: String
        let store: SQLStore
        let clock: ManualClock
        let job: CampaignJob

        init() async throws {
            path = TestDatabase.fresh()
            clock = ManualClock(ServicesFixture.now)
            store = try SQLStore.open(path, clock: clock)
            try await store.migrate()
            _ = try await store.loadProgram(try ProgramFile.parse(ServicesFixture.program), source: ServicesFixture.program)
            job = CampaignJob(context: ServiceContext(store: store, clock: clock))
            _ = try await store.saveSegments([SegmentDefinition(name: "chosen", kind: .static, condition: nil)], actor: "test", at: clock.now())
            let service = CampaignService(context: ServiceContext(store: store, clock: clock))
            _ = try await service.create(
                MarketingCampaign(
                    name: "march", segment: "chosen", starts: LocalDate(iso: "2026-03-05")!, ends: LocalDate(iso: "2026-03-10")!,
                    holdoutBasisPoints: 0, pointsBudget: 1_000, actions: [.grantPoints(100)]),
                actor: "ana")
            _ = try await service.transition("march", .schedule, actor: "ana")
        }

        /// Enrolls customer `id`.
        func member(_ id: String) async throws -> Int64 {
            try await store.enroll(EnrollmentRequest(identities: [try .customer(id)]), key: nil).id
        }

        func status() async throws -> CampaignStatus? { try await store.campaign(named: "march")?.status }
    }

    /// An instant given in UTC.
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("a scheduled campaign starts at local midnight of its first day and finishes at local midnight after its last, audited as job:campaigns")
    func startsAndFinishesAtTheWindowsInstants() async throws {
        let shop = try await Shop()
        let first = try await shop.member("m1")
        _ = try await shop.store.replaceStaticSegmentMembers(segment: "chosen", members: [first], at: shop.clock.now())

        // 2026-03-05 00:00 in Shanghai is 2026-03-04 16:00 UTC.
        shop.clock.set(Self.utc("2026-03-04T15:59:59Z"))
        #expect(try await shop.job.run() == CampaignJob.Report())
        #expect(try await shop.status() == .scheduled)

        shop.clock.set(Self.utc("2026-03-04T16:00:00Z"))
        let start = try await shop.job.run()
        #expect(start.started == ["march"])
        #expect(start.assigned.treated == 1 && start.assigned.pointsGranted == 100)
        #expect(try await shop.status() == .running)

        // The last day, 2026-03-10, ends at 2026-03-10 16:00 UTC.
        shop.clock.set(Self.utc("2026-03-10T15:59:59Z"))
        #expect(try await shop.job.run().finished.isEmpty)
        #expect(try await shop.status() == .running)
        shop.clock.set(Self.utc("2026-03-10T16:00:00Z"))
        #expect(try await shop.job.run().finished == ["march"])
        #expect(try await shop.status() == .finished)
        #expect(try await shop.job.run() == CampaignJob.Report())

        let log = try await shop.store.auditLog(after: 0, limit: 100, subject: "campaign:march")
        #expect(log.map(\.action) == ["campaign.create", "campaign.schedule", "campaign.start", "campaign.assign", "campaign.finish"])
        #expect(log.map(\.actor) == ["ana", "ana", CampaignJob.actor, CampaignJob.actor, CampaignJob.actor])
        #expect(try await shop.store.member(id: first)?.balances.active == 100)
    }

    @Test("a member who enters the segment while the campaign runs gets the entry grant once, with the job run twice at once on two stores and again")
    func newSegmentMemberIsGrantedOnce() async throws {
        let shop = try await Shop()
        let early = try await shop.member("early")
        _ = try await shop.store.replaceStaticSegmentMembers(segment: "chosen", members: [early], at: shop.clock.now())
        shop.clock.set(Self.utc("2026-03-06T04:00:00Z"))
        #expect(try await shop.job.run().started == ["march"])

        let late = try await shop.member("late")
        _ = try await shop.store.replaceStaticSegmentMembers(segment: "chosen", members: [early, late], at: shop.clock.now())
        let other = try SQLStore.open(shop.path, clock: shop.clock)
        let otherJob = CampaignJob(context: ServiceContext(store: other, clock: shop.clock))
        async let one = shop.job.run()
        async let two = otherJob.run()
        let passes = try await [one, two]
        let again = try await shop.job.run()

        #expect(passes.map(\.assigned.treated).reduce(0, +) == 1)
        #expect(passes.map(\.assigned.pointsGranted).reduce(0, +) == 100)
        #expect(again.assigned == CampaignAssignment())
        #expect(try await shop.store.member(id: late)?.balances.active == 100)
        #expect(try await shop.store.member(id: early)?.balances.active == 100)
        let record = try #require(try await shop.store.campaign(named: "march"))
        #expect(record.pointsSpent == 200)
        #expect(try await shop.store.campaignGroup(named: "march", member: late) == .treated)
        let assigns = try await shop.store.auditLog(after: 0, limit: 100, subject: "campaign:march").filter { $0.action == "campaign.assign" }
        #expect(assigns.count == 2 && assigns.allSatisfy { $0.actor == CampaignJob.actor })
        #expect(try await shop.store.check().isEmpty)
    }

    @Test("a member whose order moves them into a dynamic segment (the follower) is assigned and granted by the next pass, once")
    func followerEntryIsAssignedByTheJob() async throws {
        let shop = try await Shop()
        shop.clock.set(Self.utc("2026-03-06T04:00:00Z"))
        let context = ServiceContext(store: shop.store, clock: shop.clock)
        _ = try await shop.store.saveSegments(
            [SegmentDefinition(name: "buyers", kind: .dynamic, condition: .orders(days: nil, SegmentRange(min: 1)))], actor: "test", at: shop.clock.now())
        let service = CampaignService(context: context)
        _ = try await service.create(
            MarketingCampaign(
                name: "buyers-bonus", segment: "buyers", starts: LocalDate(iso: "2026-03-01")!, ends: LocalDate(iso: "2026-03-31")!,
                holdoutBasisPoints: 0, actions: [.grantPoints(30)]),
            actor: "ana")
        _ = try await service.transition("buyers-bonus", .start, actor: "ana")
        _ = try await SegmentService(context: context).followChanges()

        let order = Order(id: "O1", member: try .customer("new"), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 1_000)])
        let member = try await shop.store.apply([.placed(order, at: shop.clock.now())], options: ApplyOptions(enrollUnknownMembers: true))[0].get().memberId
        #expect(try await shop.job.run().assigned == CampaignAssignment())  // not in the segment until the follower's pass
        _ = try await SegmentService(context: context).followChanges()
        #expect(try await shop.store.isSegmentMember(segment: try #require(try await shop.store.segment(named: "buyers")).id, member: member))
        let pass = try await shop.job.run()
        #expect(pass.assigned.treated == 1 && pass.assigned.pointsGranted == 30)
        #expect(try await shop.job.run().assigned == CampaignAssignment())
        #expect(try await shop.store.member(id: member)?.balances.active == 30)
    }

    @Test("two stores running the job at once when the window opens start the campaign once and grant its member once")
    func twoStoresStartOnce() async throws {
        let shop = try await Shop()
        let member = try await shop.member("m1")
        _ = try await shop.store.replaceStaticSegmentMembers(segment: "chosen", members: [member], at: shop.clock.now())
        shop.clock.set(Self.utc("2026-03-04T16:00:00Z"))
        let other = CampaignJob(context: ServiceContext(store: try SQLStore.open(shop.path, clock: shop.clock), clock: shop.clock))
        async let one = shop.job.run()
        async let two = other.run()
        let passes = try await [one, two]
        #expect(passes.flatMap(\.started) == ["march"])
        #expect(passes.map(\.assigned.pointsGranted).reduce(0, +) == 100)
        #expect(try await shop.store.member(id: member)?.balances.active == 100)
        let starts = try await shop.store.auditLog(after: 0, limit: 100, subject: "campaign:march").filter { $0.action == "campaign.start" }
        #expect(starts.count == 1)
    }

    @Test("a paused campaign assigns no one new, and is finished when its window closes")
    func pausedCampaignWaits() async throws {
        let shop = try await Shop()
        shop.clock.set(Self.utc("2026-03-06T04:00:00Z"))
        _ = try await shop.job.run()
        _ = try await CampaignService(context: ServiceContext(store: shop.store, clock: shop.clock)).transition("march", .pause, actor: "ben")
        let member = try await shop.member("m1")
        _ = try await shop.store.replaceStaticSegmentMembers(segment: "chosen", members: [member], at: shop.clock.now())
        #expect(try await shop.job.run().assigned == CampaignAssignment())
        #expect(try await shop.store.campaignGroup(named: "march", member: member) == nil)
        shop.clock.set(Self.utc("2026-03-11T00:00:00Z"))
        #expect(try await shop.job.run().finished == ["march"])
    }
}
