import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct PointsPaymentTests {
    // 100 points pay 1.00, for up to 50 % of the goods; points expire 30 days after earning.
    static let program = Fixture.shanghaiProgram + "\npointsAsPayment: { points: 100, per: \"1.00\", maxPercent: 50 }"

    func funded(_ points: Int64) async throws -> (Fixture, Int64) {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: points, reason: "funds", actor: "t", key: "f", at: f.day(0)))
        return (f, ann.id)
    }

    func order(_ f: Fixture, _ id: String, points: Int64) -> Order {
        var order = f.order(id, "ann", [10_000, 10_000])  // two lines of 100.00
        order.pointsUsed = points
        return order
    }

    @Test func pointsPayPartOfAnOrderAndThatPartEarnsNothing() async throws {
        let (f, ann) = try await funded(6_000)
        let outcome = try await f.apply(.placed(order(f, "O1", points: 5_000), at: f.day(1)))  // pays 50.00 of 200.00
        #expect(outcome.pendingDelta == 150)
        #expect(outcome.activeDelta == -5_000)
        #expect(try await f.balances(ann) == Balances(active: 1_000, pending: 150, lifetimeEarned: 0, lifetimeSpent: 5_000))
        #expect(try await f.store.check().isEmpty)
    }

    @Test func returnsGiveBackPaidPointsInProportionAndCancellingGivesBackAll() async throws {
        let (f, ann) = try await funded(6_000)
        try await f.apply(.placed(order(f, "O1", points: 4_000), at: f.day(1)))
        try await f.apply(.completed("O1", at: f.day(2)))
        let half = try await f.apply(.returned("O1", lines: [ReturnedLine(lineId: "1", quantity: 1)], at: f.day(3), id: "R1"))
        #expect(half.activeDelta == 2_000)  // half the goods back: half the points paid
        #expect(try await f.balances(ann).active == 4_000)
        let lots = try await f.store.statement(member: ann, entries: 0).lots
        #expect(lots.map(\.remaining) == [4_000])  // back in the lot they came from, with its expiry
        try await f.apply(.placed(order(f, "O2", points: 1_000), at: f.day(4)))
        try await f.apply(.cancelled("O2", at: f.day(5)))
        #expect(try await f.balances(ann).active == 4_000)
        #expect(try await f.balances(ann).lifetimeSpent == 2_000)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func paymentsBeyondTheShareOrTheBalanceAreRefused() async throws {
        let (f, _) = try await funded(20_000)
        for (id, points) in [("big", Int64(10_001)), ("all", Int64(20_000))] {
            let result = await f.store.apply([.placed(order(f, id, points: points), at: f.day(1))], options: ApplyOptions())
            #expect((try? result[0].get()) == nil, "\(id) must be refused")
        }
        let (g, _) = try await funded(100)
        let poor = await g.store.apply([.placed(order(g, "O", points: 500), at: g.day(1))], options: ApplyOptions())
        guard case .failure(let error) = poor[0] else { Issue.record("expected a refusal"); return }
        #expect(error.code == .insufficientPoints)
        #expect(try await g.store.totals().orders == 0)
        let plain = try await Fixture()
        _ = try await plain.member("ann")
        let refused = await plain.store.apply([.placed(order(plain, "O", points: 100), at: plain.day(1))], options: ApplyOptions())
        #expect((try? refused[0].get()) == nil)
    }
}
