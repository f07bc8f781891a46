import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// The what-if replay on a shop that ran marketing campaigns (SQLite, and PostgreSQL with
/// `PATRON_TEST_BACKEND=postgres`): campaigns are not the program's, so their order points are replayed as they ran,
/// on both sides, and the replay of the current program still equals the ledger to the point.
@Suite struct ProgramComparisonCampaignTests {
    static let program = """
        name: Campaign Tea
        currency: CNY
        timeZone: Asia/Shanghai
        earning:
          points: 1
          per: "1.00"
          rounding: nearest
        pending: { days: 7 }
        """

    /// A draft that earns twice the base points: every program part changes, the campaigns' must not.
    static let draftSource = program.replacingOccurrences(of: "points: 1\n", with: "points: 2\n")

    /// 2026-01-01 00:00 in Shanghai.
    static let start = Date(timeIntervalSince1970: 1_767_196_800)
    static func day(_ days: Int, hours: Double = 12) -> Date { start.addingTimeInterval(Double(days) * 86_400 + hours * 3_600) }

    static func order(_ id: String, _ customer: String, _ amount: Int64, quantity: Int = 1) throws -> Order {
        Order(id: id, member: try .customer(customer), lines: [OrderLine(id: "a", sku: "TEA", quantity: quantity, unitPrice: amount / Int64(quantity))])
    }

    /// Ten members; a running campaign giving 50 bonus points on orders of 50.00 or more with a budget of 400 points
    /// (so only 8 of the 10 qualifying orders get it) and a second one giving 1.25 × on orders of 30.00 or more;
    /// orders below the minimums, one partly returned, one cancelled, one after the windows.
    static func shop() async throws -> (store: SQLStore, program: Program, bonusSpent: Int64, multiplierSpent: Int64) {
        let clock = ManualClock(start)
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        let program = try ProgramFile.parse(Self.program)
        _ = try await store.loadProgram(program, source: Self.program)
        var members: [Int64] = []
        for index in 0..<10 {
            members.append(try await store.enroll(EnrollmentRequest(identities: [try .customer("c\(index)")]), key: nil).id)
        }
        _ = try await store.saveSegments([SegmentDefinition(name: "everyone", kind: .static, condition: nil)], actor: "test", at: day(0))
        _ = try await store.replaceStaticSegmentMembers(segment: "everyone", members: members, at: day(0))
        let window = (LocalDate(iso: "2026-01-02")!, LocalDate(iso: "2026-01-20")!)
        let campaigns = [
            MarketingCampaign(
                name: "win-back", segment: "everyone", starts: window.0, ends: window.1, holdoutBasisPoints: 0, pointsBudget: 400,
                actions: [.orderBonus(50, minimumAmount: 5_000)]),
            MarketingCampaign(
                name: "boost", segment: "everyone", starts: window.0, ends: window.1, holdoutBasisPoints: 0,
                actions: [.orderMultiplier(Rate(5, per: 4), minimumAmount: 3_000)]),
        ]
        for campaign in campaigns {
            _ = try await store.createCampaign(campaign, at: day(1))
            _ = try await store.transitionCampaign(named: campaign.name, .start, at: day(1))
            _ = try await store.assignCampaignMembers(named: campaign.name, members: members, at: day(1))
        }
        var events: [OrderEvent] = []
        for index in 0..<10 {
            let at = day(2 + index)
            // 51.37 to 60.37 for each member, with 1.25 × making fractions of a point.
            events.append(.placed(try order("big-\(index)", "c\(index)", 5_137 + Int64(index) * 100, quantity: 2 + index % 2), at: at))
            events.append(.placed(try order("small-\(index)", "c\(index)", 3_011 + Int64(index) * 7), at: at.addingTimeInterval(600)))
        }
        events.append(.completed("big-0", at: day(3)))
        events.append(.returned("big-0", lines: [ReturnedLine(lineId: "a", quantity: 1)], at: day(4), id: "big-0-r"))
        events.append(.cancelled("small-3", at: day(6)))
        events.append(.placed(try order("late", "c1", 9_000), at: day(25)))
        events.sort { $0.occurredAt < $1.occurredAt }
        for event in events {
            clock.set(event.occurredAt)
            let result = await store.apply([event], options: ApplyOptions())
            if case .failure(let error) = result[0] { Issue.record("\(event.id): \(error)") }
        }
        clock.set(day(40))
        _ = try await store.runActivation(asOf: day(40))
        let bonus = try #require(try await store.campaign(named: "win-back"))
        let boost = try #require(try await store.campaign(named: "boost"))
        return (store, program, bonus.pointsSpent, boost.pointsSpent)
    }

    @Test func theReplayOfAShopWithRunningCampaignsEqualsTheLedgerToThePoint() async throws {
        let (store, program, bonusSpent, multiplierSpent) = try await Self.shop()
        // The budget ran out: 8 bonuses of 50, not 10.
        #expect(bonusSpent == 400)
        #expect(multiplierSpent > 0)
        let context = ServiceContext(store: store, clock: ManualClock(Self.day(40)))
        let comparison = try await ProgramComparisonService(context: context).compare(draft: program, options: .init(months: 12))
        let check = comparison.ledgerCheck
        #expect(check.orders == 21)
        #expect(check.differingOrders == 0, "\(check.examples)")
        #expect(check.replayPoints == check.ledgerPoints)
        #expect(check.matches)
        // Every point in the members' balances is an order's, so they are the ledger's order earnings.
        var balances: Int64 = 0
        for fact in try await store.memberFacts() {
            let statement = try await store.statement(member: fact.memberId, entries: 0)
            balances += statement.member.balances.active + statement.member.balances.pending
        }
        #expect(check.ledgerPoints == balances)
        let row = try #require(comparison.rules.first { $0.rule == ProgramComparison.RuleRow.campaigns })
        // The row counts the orders that were not cancelled, like the rules: the budgets' whole points (each order's
        // part rounded down when reserved) and less than a point per order more; the cancelled small-3 kept its share.
        let history = try await store.replayHistory(credits: false)
        let kept = history.orders.filter { $0.status != .cancelled }.reduce(Int64(0)) { $0 + $1.campaignMicropoints }
        #expect(row.current == (kept + 500_000) / 1_000_000)
        #expect(row.current >= bonusSpent && row.current <= bonusSpent + multiplierSpent + 20)
        #expect(row.current == row.draft)
        #expect(!comparison.rules.contains { $0.rule.hasPrefix("campaign:") })
    }

    @Test func aDraftCarriesTheCampaignPointsAsTheyRanOnBothSides() async throws {
        let (store, _, bonusSpent, _) = try await Self.shop()
        let history = try await store.replayHistory(credits: true)
        // The history carries each order's campaign part as the store recorded it.
        let big = history.orders.filter { $0.id.hasPrefix("big-") }
        #expect(big.filter { $0.campaignMicropoints >= 50_000_000 }.count == 8)
        #expect(history.orders.first { $0.id == "late" }?.campaignMicropoints == 0)

        let context = ServiceContext(store: store, clock: ManualClock(Self.day(40)))
        let draft = try ProgramFile.parse(Self.draftSource)
        let comparison = try await ProgramComparisonService(context: context).compare(draft: draft, options: .init(months: 12))
        #expect(comparison.ledgerCheck.matches)
        let row = try #require(comparison.rules.first { $0.rule == ProgramComparison.RuleRow.campaigns })
        #expect(row.current == row.draft && row.current >= bonusSpent)
        let base = try #require(comparison.rules.first { $0.rule == "base" })
        // Each row is the period's points rounded once: doubling may move it by a point.
        #expect(abs(base.draft - 2 * base.current) <= 1)
        // The draft doubles the base and nothing else: the order points grow by the base's change, less what returns
        // take back of it and a point or so of rounding per order.
        let returns = try #require(comparison.rules.first { $0.rule == "returns" })
        let rounding = try #require(comparison.rules.first { $0.rule == "rounding" })
        #expect(comparison.draft.orderPoints - comparison.current.orderPoints == base.change + returns.change + rounding.change)
        #expect(abs(rounding.change) <= Int64(comparison.orders))
        // Order by order, the draft's points are its program's plus the campaign's, rounded once.
        let replay = try HistoryReplay(history)
        let index = try #require(history.orders.firstIndex { $0.id == "big-5" })
        let micro = history.orders[index].campaignMicropoints
        #expect(micro > 50_000_000)
        let programs = HistoryReplay.Programs(list: [draft], order: { _ in 0 }, at: { _ in 0 }, recorded: { _ in 0 })
        let period = Self.start..<Self.day(60)
        let result = try replay.run(programs, period: period, monthEnds: [Self.day(60)], levelNames: [])
        let own = try EarningCalculator.earning(of: replay.orders[index], under: draft, context: EarningContext(at: history.orders[index].placedAt))
        #expect(result.points[index] == (own.breakdown.reduce(micro) { $0 + $1.micropoints } + 500_000) / 1_000_000)
        #expect(result.points[index] > own.points + 49)
    }
}
