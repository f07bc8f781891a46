import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

@Suite struct DemoShopTests {
    @Test func aSmallDemoShopRedeemsRefersUsesCouponsAndKeepsTheLedgerClean() async throws {
        var stated = DemoParameters()
        // A busy little shop, so that ten weeks (a minute's worth of PostgreSQL round trips at most) see members
        // earn, wait out the return window, redeem coupons and use them: frequent, large orders, few check-ins.
        stated.members = 150
        stated.days = 70
        stated.seed = 11
        stated.alpha = 10
        stated.gamma = 400
        stated.dailyCheckInShare = 0.02
        stated.casualCheckInChance = 0.002
        let program = try ProgramFile.parse(DemoProgram.starter)
        let clock = ManualClock(program.calendar.startOfDay(stated.firstDay))
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        _ = try await store.loadProgram(program, source: DemoProgram.starter)
        let simulation = DemoSimulation(stated)
        var days: [Int] = []
        let counts = try await DemoShop(simulation: simulation, program: program).run(
            store: store, clock: clock,
            endOfDay: { now in _ = try await store.runActivation(asOf: now) },  // points become redeemable
            progress: { day, _ in days.append(day) })

        #expect(days == Array(1...stated.days))
        #expect(counts.enrolled == stated.members)
        #expect(counts.placed == simulation.purchaseCount + counts.cancelled)
        #expect(counts.redemptions > 0 && counts.couponsUsed > 0 && counts.referred > 0 && counts.promotionOrders > 0 && counts.appOrders > 0)
        #expect(try await store.check().isEmpty)
        // What analytics reads: the referrals, the discounted orders and the redeemed points are in the store.
        let facts = try await store.memberFacts()
        #expect(facts.reduce(0) { $0 + $1.referrals } == counts.referred)
        let purchases = try await store.purchases()
        #expect(purchases.count == simulation.purchaseCount)
        #expect(purchases.filter { $0.discount > 0 }.count == counts.promotionOrders + counts.couponsUsed)
        let redeemed = try await store.ledgerQuarterHours().reduce(Int64(0)) { $0 + $1.redeemed }
        #expect(redeemed == counts.pointsRedeemed)
    }
}
