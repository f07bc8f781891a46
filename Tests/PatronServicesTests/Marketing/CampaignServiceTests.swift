import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import PatronTestSupport
import Testing

/// The campaign use cases over a real store: a small shop whose report is checked by hand, the audit trail of every
/// step, and bad files refused with nothing written.
@Suite struct CampaignServiceTests {
    static let definition = """
        name: march
        segment: chosen
        window: { starts: 2026-03-01, ends: 2026-03-10 }
        attributionDays: 5
        holdout: 50
        actions:
          - grantPoints: 100
          - orderBonus: { points: 50 }
        """

    /// Eight members of segment `chosen`: the first four the holdout hash treats, the first four it holds out.
    struct Shop {
        let store: SQLStore
        let clock: ManualClock
        let service: CampaignService
        var treated: [String] = []
        var control: [String] = []

        init() async throws {
            clock = ManualClock(ServicesFixture.now)
            store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
            try await store.migrate()
            _ = try await store.loadProgram(try ProgramFile.parse(ServicesFixture.program), source: ServicesFixture.program)
            service = CampaignService(context: ServiceContext(store: store, clock: clock))
            let probe = MarketingCampaign(
                name: "march", segment: "chosen", starts: LocalDate(iso: "2026-03-01")!, ends: LocalDate(iso: "2026-03-10")!,
                holdoutBasisPoints: 5_000, actions: [])
            var chosen: [Int64] = []
            var index = 0
            while treated.count < 4 || control.count < 4 {
                let customer = "m\(index)"
                let member = try await store.enroll(EnrollmentRequest(identities: [try .customer(customer)]), key: nil)
                switch probe.group(of: member.id) {
                case .treated where treated.count < 4: treated.append(customer); chosen.append(member.id)
                case .control where control.count < 4: control.append(customer); chosen.append(member.id)
                default: break
                }
                index += 1
            }
            _ = try await store.saveSegments([SegmentDefinition(name: "chosen", kind: .static, condition: nil)], actor: "test", at: clock.now())
            _ = try await store.replaceStaticSegmentMembers(segment: "chosen", members: chosen, at: clock.now())
        }

        func order(_ id: String, _ customer: String, _ amount: Int64, day: Int) async throws {
            let order = Order(id: id, member: try .customer(customer), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: amount)])
            // Noon in Shanghai on 2026-03-`day`.
            _ = try await store.apply([.placed(order, at: ServicesFixture.now.addingTimeInterval(Double(day - 1) * 86_400))], options: ApplyOptions())[0].get()
        }
    }

    /// Treated: orders 1, 0, 2, 1 worth 100.00, 0, 100.00 + 200.00, 200.00; control: one order of 100.00. By hand:
    /// buyers 75 % vs 25 %; orders per member 1.00 vs 0.25 → 3 incremental orders; revenue per member 150.00 vs 25.00
    /// → 500.00 incremental revenue. Points: 4 grants of 100 and 4 order bonuses of 50 = 600 points, worth 6.00 at the
    /// program's 100 points = 1.00; cost per incremental order 2.00; return (500.00 − 6.00) / 6.00.
    @Test("the report of a small shop gives the hand-computed numbers, and orders outside the window do not count")
    func reportOfHandCheckedShop() async throws {
        let shop = try await Shop()
        _ = try await shop.service.create(text: Self.definition, actor: "ana")
        let change = try await shop.service.transition("march", .start, actor: "ana")
        #expect(change.assignment?.treated == 4)
        #expect(change.assignment?.control == 4)
        #expect(change.assignment?.pointsGranted == 400)
        let (t, c) = (shop.treated, shop.control)
        try await shop.order("t0-a", t[0], 10_000, day: 2)
        try await shop.order("t2-a", t[2], 10_000, day: 3)
        try await shop.order("t2-b", t[2], 20_000, day: 9)
        try await shop.order("t3-a", t[3], 20_000, day: 14)  // in the attribution days: counted, no bonus
        try await shop.order("c0-a", c[0], 10_000, day: 4)
        try await shop.order("t1-late", t[1], 50_000, day: 17)  // after the attribution days
        shop.clock.set(ServicesFixture.now.addingTimeInterval(20 * 86_400))
        let report = try await shop.service.report("march")
        let u = report.uplift
        #expect(report.complete)
        #expect(u.treated.members == 4 && u.control.members == 4)
        #expect(u.treated.buyers == 3 && u.control.buyers == 1)
        #expect(u.treated.orders == 4 && u.control.orders == 1)
        #expect(u.treated.revenue == 60_000 && u.control.revenue == 10_000)
        #expect(u.treated.averageOrderValue == 15_000)
        #expect(abs(u.buyerRateDifference.estimate - 0.5) < 1e-12)
        #expect(abs(u.incrementalOrders.estimate - 3) < 1e-9)
        #expect(abs(u.incrementalRevenue.estimate - 50_000) < 1e-6)
        #expect(u.pointsCost == 550)  // 400 granted + 3 bonuses in the window (t3-a fell in the attribution days)
        #expect(u.pointsCostValue == 550)
        #expect(abs(u.costPerIncrementalOrder! - 550.0 / 3) < 1e-9)
        #expect(abs(u.returnOnCost! - (50_000.0 - 550) / 550) < 1e-9)
        #expect(report.text.contains("Incremental revenue:         +500.00 CNY"))
        #expect(report.text.contains("Method: 95 % intervals: buyers % by Newcombe's hybrid score interval"))
    }

    @Test("every lifecycle step is audited with its actor, before and after")
    func stepsAreAudited() async throws {
        let shop = try await Shop()
        _ = try await shop.service.create(text: Self.definition, actor: "ana")
        _ = try await shop.service.transition("march", .schedule, actor: "ben")
        _ = try await shop.service.transition("march", .start, actor: "ben")
        _ = try await shop.service.transition("march", .pause, actor: "cai")
        await #expect(throws: PatronError.self) { _ = try await shop.service.transition("march", .pause, actor: "cai") }
        let log = try await shop.store.auditLog(after: 0, limit: 100, subject: "campaign:march")
        #expect(log.map(\.action) == ["campaign.create", "campaign.schedule", "campaign.start", "campaign.assign", "campaign.pause"])
        #expect(log.map(\.actor) == ["ana", "ben", "ben", "ben", "cai"])
        #expect(log[2].before?.contains("\"status\":\"scheduled\"") == true)
        #expect(log[2].after?.contains("\"status\":\"running\"") == true)
    }

    @Test("a bad campaign file is refused with every problem's path and line, and nothing is written")
    func badFileWritesNothing() async throws {
        let shop = try await Shop()
        let bad = Self.definition.replacingOccurrences(of: "segment: chosen", with: "segment: ghosts")
            .replacingOccurrences(of: "ends: 2026-03-10", with: "ends: 2026-02-10")
        do {
            _ = try await shop.service.create(text: bad, actor: "ana")
            Issue.record("a bad file was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidInput)
            #expect(error.details.contains { $0.hasPrefix("segment (line 2): no segment is named 'ghosts'") })
            #expect(error.details.contains("window.ends (line 3): the window ends (2026-02-10) before it starts (2026-03-01)"))
        }
        #expect(try await shop.store.campaigns().isEmpty)
        #expect(try await shop.store.auditLog(after: 0, limit: 10, subject: "campaign:march").isEmpty)
    }
}
