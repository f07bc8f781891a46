import Foundation
import PatronCore
import PatronStore
import Testing

/// Marketing campaigns in the store (SQLite, and PostgreSQL with `PATRON_TEST_BACKEND=postgres`): lifecycle, the
/// budget under concurrent orders, the holdout, the earning breakdown, caps, coupon stock and the report's inputs.
@Suite struct CampaignStoreTests {
    static let program = Fixture.shanghaiProgram + """

        rewards:
          - { id: welcome-10, name: 10 yuan off, kind: coupon, cost: 100, stock: 3, coupon: { value: "10.00", minimumSpend: "50.00", validDays: 30 } }
        """

    /// A fixture with `count` members (customers c0, c1, …) enrolled by an order each on day 0, and a static segment
    /// `everyone` holding them all.
    static func shop(members count: Int) async throws -> (f: Fixture, members: [Int64]) {
        let f = try await Fixture(program: program)
        f.clock.set(f.day(0))
        let events = (0..<count).map { OrderEvent.placed(f.order("seed-\($0)", "c\($0)", [1_000]), at: f.day(0)) }
        let outcomes = await f.store.apply(events, options: ApplyOptions(enrollUnknownMembers: true))
        let members = try outcomes.map { try $0.get().memberId }
        _ = try await f.store.saveSegments([SegmentDefinition(name: "everyone", kind: .static, condition: nil)], actor: "test", at: f.day(0))
        _ = try await f.store.replaceStaticSegmentMembers(segment: "everyone", members: members, at: f.day(0))
        return (f, members)
    }

    static func campaign(
        _ name: String = "spring", holdout: Int = 0, budget: Int64? = nil, cap: Int64? = nil, actions: [CampaignAction]
    ) -> MarketingCampaign {
        MarketingCampaign(
            name: name, segment: "everyone", starts: LocalDate(iso: "2026-01-02")!, ends: LocalDate(iso: "2026-01-31")!, attributionDays: 7,
            holdoutBasisPoints: holdout, pointsBudget: budget, perMemberPoints: cap, actions: actions)
    }

    /// Creates and starts a campaign and assigns every member.
    static func run(_ campaign: MarketingCampaign, _ f: Fixture, _ members: [Int64]) async throws -> CampaignAssignment {
        _ = try await f.store.createCampaign(campaign, at: f.day(1))
        _ = try await f.store.transitionCampaign(named: campaign.name, .start, at: f.day(1))
        return try await f.store.assignCampaignMembers(named: campaign.name, members: members, at: f.day(1))
    }

    @Test("a 10,000-point budget gives exactly 200 bonuses of 50 points to 1,000 concurrent qualifying orders")
    func budgetIsNeverExceededUnderConcurrentOrders() async throws {
        let (f, members) = try await Self.shop(members: 1_000)
        _ = try await Self.run(Self.campaign(budget: 10_000, actions: [.orderBonus(50, minimumAmount: nil)]), f, members)
        let outcomes = try await withThrowingTaskGroup(of: OrderOutcome.self) { group in
            for index in 0..<1_000 {
                group.addTask { try await f.apply(.placed(f.order("bonus-\(index)", "c\(index)", [10_000]), at: f.day(2))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 1_000)
        // 100.00 earns 100 points; with the bonus 150.
        #expect(outcomes.filter { $0.pendingDelta == 150 }.count == 200)
        #expect(outcomes.filter { $0.pendingDelta == 100 }.count == 800)
        let record = try #require(try await f.store.campaign(named: "spring"))
        #expect(record.pointsSpent == 10_000)
        #expect(try await f.store.check().isEmpty)
    }

    @Test("an order that fails in its savepoint after reserving the budget gives the points back to the batch's other orders")
    func failedOrderReleasesItsReservation() async throws {
        let (f, members) = try await Self.shop(members: 3)
        _ = try await Self.run(Self.campaign(budget: 100, actions: [.orderBonus(50, minimumAmount: nil)]), f, members)
        let batch: [OrderEvent] = [
            .placed(f.order("A", "c0", [10_000]), at: f.day(2)),
            .placed(f.order("A", "c1", [10_000]), at: f.day(2), id: "A-again"),  // the same order id: refused after earning
            .placed(f.order("B", "c1", [10_000]), at: f.day(2)),
            .placed(f.order("C", "c2", [10_000]), at: f.day(2)),
        ]
        let results = await f.store.apply(batch, options: ApplyOptions())
        // One of the two events placing order A is refused. Had it kept its reservation, only one of the three orders
        // placed would get the bonus. (Which event is refused and which orders get the bonus is SQLite's order;
        // PostgreSQL's writers run different members side by side.)
        #expect(results.filter { (try? $0.get()) == nil }.count == 1)
        let deltas = results.compactMap { try? $0.get().pendingDelta }
        #expect(deltas.count == 3)
        #expect(deltas.filter { $0 == 150 }.count == 2)
        #expect(deltas.filter { $0 == 100 }.count == 1)
        #expect(try await f.store.campaign(named: "spring")?.pointsSpent == 100)
    }

    @Test("the order's earning breakdown names the campaign, and only treated members in a running campaign's window get it")
    func breakdownNamesTheCampaign() async throws {
        let (f, members) = try await Self.shop(members: 40)
        let campaign = Self.campaign(holdout: 5_000, actions: [.orderMultiplier(Rate(2, per: 1), minimumAmount: 5_000)])
        let assignment = try await Self.run(campaign, f, members)
        #expect(assignment.treated + assignment.control == 40)
        #expect(assignment.control > 0 && assignment.treated > 0)
        let treated = try #require(members.first { campaign.group(of: $0) == .treated })
        let control = try #require(members.first { campaign.group(of: $0) == .control })
        let treatedIndex = members.firstIndex(of: treated)!, controlIndex = members.firstIndex(of: control)!
        let t = try await f.apply(.placed(f.order("t1", "c\(treatedIndex)", [10_000]), at: f.day(3)))
        let c = try await f.apply(.placed(f.order("c1", "c\(controlIndex)", [10_000]), at: f.day(3)))
        let small = try await f.apply(.placed(f.order("t2", "c\(treatedIndex)", [4_000]), at: f.day(3)))
        let late = try await f.apply(.placed(f.order("t3", "c\(treatedIndex)", [10_000]), at: f.day(40)))
        #expect(t.pendingDelta == 200)  // 100 base + (2 − 1) × 100
        #expect(c.pendingDelta == 100)  // held out: never the offer
        #expect(small.pendingDelta == 40)  // below the 50.00 minimum
        #expect(late.pendingDelta == 100)  // after the window
        let rules = try await f.store.purchases().first { $0.amount == 10_000 && $0.memberId == treated && $0.placedAt == f.day(3) }?.rules
        #expect(rules == ["base", "campaign:spring"])
        #expect(try await f.store.campaignGroup(named: "spring", member: control) == .control)

        _ = try await f.store.transitionCampaign(named: "spring", .pause, at: f.day(4))
        let paused = try await f.apply(.placed(f.order("t4", "c\(treatedIndex)", [10_000]), at: f.day(5)))
        #expect(paused.pendingDelta == 100)
    }

    @Test("an order in two campaigns whose first budget refuses its bonus earns the base and the second's bonus alone")
    func oneRefusedCampaignLeavesTheOthersBonus() async throws {
        let (f, members) = try await Self.shop(members: 2)
        _ = try await Self.run(Self.campaign("small", budget: 40, actions: [.orderBonus(50, minimumAmount: nil)]), f, members)
        _ = try await Self.run(Self.campaign("open", actions: [.orderBonus(30, minimumAmount: nil)]), f, members)
        let both = try await f.apply(.placed(f.order("x", "c0", [10_000]), at: f.day(2)))
        #expect(both.pendingDelta == 130)  // 100 base + 30; the 50 does not fit in a budget of 40
        let rules = try await f.store.purchases().first { $0.memberId == members[0] && $0.placedAt == f.day(2) }?.rules
        #expect(rules == ["base", "campaign:open"])
        #expect(try await f.store.campaign(named: "small")?.pointsSpent == 0)
        #expect(try await f.store.campaign(named: "open")?.pointsSpent == 30)
        #expect(try await f.store.check().isEmpty)
    }

    @Test("a per-member cap stops a member's bonuses; a points grant on entry respects the budget")
    func capAndGrantBudget() async throws {
        let (f, members) = try await Self.shop(members: 5)
        let assignment = try await Self.run(
            Self.campaign(budget: 390, cap: 130, actions: [.grantPoints(80), .orderBonus(50, minimumAmount: nil)]), f, members)
        // Four grants of 80 fit in 390; the fifth would make 400.
        #expect(assignment.pointsGranted == 320)
        #expect(assignment.grantsRefused == 1)
        let first = try await f.apply(.placed(f.order("a", "c0", [10_000]), at: f.day(2)))
        let second = try await f.apply(.placed(f.order("b", "c0", [10_000]), at: f.day(2)))
        #expect(first.pendingDelta == 150)  // 80 + 50 = 130, the cap
        #expect(second.pendingDelta == 100)  // would be 180 > 130
        #expect(try await f.store.campaign(named: "spring")?.pointsSpent == 370)
        #expect(try await f.store.check().isEmpty)
    }

    @Test("a campaign coupon respects the reward's stock; tags are added on entry")
    func couponStockAndTags() async throws {
        let (f, members) = try await Self.shop(members: 5)
        let assignment = try await Self.run(Self.campaign(actions: [.reward("welcome-10"), .tag("spring-2026")]), f, members)
        #expect(assignment.couponsIssued == 3)
        #expect(assignment.couponsRefused == 2)
        #expect(assignment.tagged == 5)
        #expect(try await f.store.stockTaken()["welcome-10"] == 3)
        #expect(try await f.store.member(id: members[0])?.profile.tags.contains("spring-2026") == true)
        #expect(try await f.store.campaign(named: "spring")?.moneySpent == 3_000)
    }

    @Test("assignment announces campaign.assigned for each treated member, once, and never for the holdout")
    func assignmentAnnouncesTreatedMembersOnly() async throws {
        let (f, members) = try await Self.shop(members: 40)
        _ = try await f.store.createWebhookSubscription(
            NewWebhookSubscription(url: "https://shop.example/hooks", events: [.campaignAssigned], at: f.day(1)))
        let assignment = try await Self.run(Self.campaign(holdout: 5_000, actions: [.tag("spring")]), f, members)
        _ = try await f.store.assignCampaignMembers(named: "spring", members: members, at: f.day(2))  // again: no one new
        let events = try await f.store.outbox(after: 0, limit: 1_000).filter { $0.kind == "campaign.assigned" }
        var treated: [Int64] = []
        for member in members where try await f.store.campaignGroup(named: "spring", member: member) == .treated { treated.append(member) }
        #expect(assignment.treated == treated.count && assignment.control == members.count - treated.count)
        #expect(assignment.treated > 0 && assignment.control > 0)
        #expect(events.map(\.memberId).sorted() == treated.sorted())
        let payload = try JSONSerialization.jsonObject(with: Data(events[0].payload.utf8)) as! [String: Any]
        #expect(payload["campaign"] as? String == "spring")
        #expect(payload["member_id"] as? Int == Int(events[0].memberId))
        #expect(payload["assigned_at"] as? String != nil)
    }

    @Test("lifecycle: refused steps say why and change nothing; assigning twice keeps each member's group")
    func lifecycle() async throws {
        let (f, members) = try await Self.shop(members: 3)
        _ = try await f.store.createCampaign(Self.campaign(actions: [.grantPoints(10)]), at: f.day(1))
        await #expect(throws: PatronError.self) { _ = try await f.store.assignCampaignMembers(named: "spring", members: members, at: f.day(1)) }
        do {
            _ = try await f.store.transitionCampaign(named: "spring", .pause, at: f.day(1))
            Issue.record("pausing a draft was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidTransition)
            #expect(error.message == "campaign spring cannot pause: it is draft; pause needs it running")
        }
        #expect(try await f.store.transitionCampaign(named: "spring", .schedule, at: f.day(1)).after.status == .scheduled)
        #expect(try await f.store.transitionCampaign(named: "spring", .start, at: f.day(1)).after.status == .running)
        let first = try await f.store.assignCampaignMembers(named: "spring", members: members, at: f.day(1))
        let again = try await f.store.assignCampaignMembers(named: "spring", members: members, at: f.day(2))
        #expect(first.pointsGranted == 30)
        #expect(again.alreadyAssigned == 3 && again.pointsGranted == 0)
        #expect(try await f.store.transitionCampaign(named: "spring", .finish, at: f.day(3)).after.status == .finished)
        await #expect(throws: PatronError.self) { _ = try await f.store.transitionCampaign(named: "spring", .resume, at: f.day(3)) }
        #expect(try await f.store.campaign(named: "spring")?.status == .finished)
        await #expect(throws: PatronError.self) { _ = try await f.store.createCampaign(Self.campaign(actions: [.grantPoints(10)]), at: f.day(1)) }
        var unknown = Self.campaign("other", actions: [.grantPoints(10)])
        unknown.segment = "nobody"
        await #expect(throws: PatronError.self) { _ = try await f.store.createCampaign(unknown, at: f.day(1)) }
        #expect(try await f.store.campaigns().map(\.campaign.name) == ["spring"])
    }

    @Test("the report's inputs count each member's orders and kept revenue in the window, cancelled orders left out")
    func resultsCountOrdersInWindow() async throws {
        let (f, members) = try await Self.shop(members: 2)
        _ = try await Self.run(Self.campaign(actions: [.tag("x")]), f, members)
        try await f.apply(.placed(f.order("w1", "c0", [10_000]), at: f.day(2)))
        try await f.apply(.placed(f.order("w2", "c0", [5_000]), at: f.day(3)))
        try await f.apply(.placed(f.order("w3", "c1", [7_000]), at: f.day(3)))
        try await f.apply(.cancelled("w3", at: f.day(4)))
        let results = try await f.store.campaignResults(named: "spring", from: f.day(1, hours: 0), until: f.day(10))
        let byMember = Dictionary(uniqueKeysWithValues: results.map { ($0.memberId, $0) })
        #expect(byMember[members[0]]?.orders == 2)
        #expect(byMember[members[0]]?.revenue == 15_000)
        #expect(byMember[members[1]]?.orders == 0)
        #expect(byMember[members[1]]?.revenue == 0)
    }
}
