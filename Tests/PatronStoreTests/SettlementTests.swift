import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct SettlementTests {
    static let program = RewardTests.program.replacingOccurrences(of: "rewards:", with: """
        partners:
          - { id: salon, name: Bella Salon, paysPerPoint: "0.01", receivesPerPoint: "0.008" }
        rewards:
        """)

    @Test func settlementTotalsEqualTheLedger() async throws {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.member("ann")
        _ = try await f.member("bo")
        for (index, amount) in [Int64(30_000), 20_000, 10_000].enumerated() {
            var order = f.order("S\(index)", index == 1 ? "bo" : "ann", [amount])
            order.partner = "salon"
            try await f.apply(.placed(order, at: f.day(index)))
        }
        try await f.apply(.placed(f.order("plain", "ann", [50_000]), at: f.day(1)))  // not the partner's
        try await f.apply(.cancelled("S2", at: f.day(3)))
        try await f.apply(.completed("S0", at: f.day(3)))
        try await f.apply(.returned("S0", at: f.day(4), id: "R"))  // all 300 points reversed
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 1_000, reason: "f", actor: "t", key: "f", at: f.day(5)))
        _ = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "r1", at: f.day(6), partner: "salon"))
        _ = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "r2", at: f.day(6)))

        let statement = try await f.store.settlement(partner: "salon", from: LocalDate(year: 2026, month: 1, day: 1)!, to: LocalDate(year: 2026, month: 1, day: 31)!)
        // The ledger: the partner's orders' pending entries less their voids and reversals.
        var ledgerIssued: Int64 = 0
        for member in [ann.id, 2] {
            for entry in try await f.store.statement(member: member, entries: 1_000).entries where entry.orderId?.hasPrefix("S") == true {
                ledgerIssued += entry.pendingDelta + (entry.kind == .reverse ? entry.activeDelta : 0)
            }
        }
        #expect(statement.pointsIssued == ledgerIssued)
        #expect(statement.pointsIssued == 200)  // bo's 200.00; ann's order was returned, the third cancelled
        #expect(statement.pointsRedeemed == 100)
        #expect(statement.owedByPartner == 200)  // 200 points × 0.01 = 2.00
        #expect(statement.owedToPartner == 80)  // 100 points × 0.008 = 0.80
        #expect(statement.net == 120)
        await #expect {
            try await f.store.settlement(partner: "nobody", from: LocalDate(year: 2026, month: 1, day: 1)!, to: LocalDate(year: 2026, month: 1, day: 31)!)
        } throws: { ($0 as? PatronError)?.code == .notFound }
        var unknown = f.order("X", "ann", [1_000])
        unknown.partner = "nobody"
        #expect((try? await f.store.apply([.placed(unknown, at: f.day(7))], options: ApplyOptions())[0].get()) == nil)
    }
}
