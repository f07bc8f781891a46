import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

@Suite struct LotteryTests {
    static let program = RewardTests.program + """

          - { id: spin, kind: lottery, cost: 10, prizes: [{ points: 500, probability: 0.5 }, { reward: coupon-10, probability: 0.25 }] }
        """

    @Test func prizesTakeExactSlicesOfTheDrawRange() {
        let prizes = [Prize(points: 500, probability: Rate(1, per: 2)), Prize(reward: "coupon-10", probability: Rate(1, per: 4))]
        let range = LotteryDraw.range
        #expect(LotteryDraw.prize(for: 0, in: prizes)?.points == 500)
        #expect(LotteryDraw.prize(for: range / 2 - 1, in: prizes)?.points == 500)
        #expect(LotteryDraw.prize(for: range / 2, in: prizes)?.reward == "coupon-10")
        #expect(LotteryDraw.prize(for: range / 4 * 3 - 1, in: prizes)?.reward == "coupon-10")
        #expect(LotteryDraw.prize(for: range / 4 * 3, in: prizes) == nil)
        #expect(LotteryDraw.prize(for: range - 1, in: prizes) == nil)
    }

    @Test func everyDrawRecordsTheValueThatDecidedItAndCanBeReplayed() async throws {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 2_000, reason: "funds", actor: "t", key: "f", at: f.day(0)))
        var outcomes: [String: Int] = [:]
        let prizes = f.program.rewards.first { $0.id == "spin" }.map { reward -> [Prize] in
            if case .lottery(let prizes) = reward.kind { return prizes }
            return []
        } ?? []
        for index in 0..<100 {
            let draw = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "spin", key: "d\(index)", at: f.day(1)))
            let value = try #require(draw.drawValue)
            let replayed = LotteryDraw.prize(for: UInt64(value), in: prizes)
            let label = replayed.map { $0.points.map { "\($0) points" } ?? $0.reward! } ?? "no prize"
            #expect(draw.prize == label)
            outcomes[label, default: 0] += 1
        }
        // Points won are credited; coupons won are issued; the ledger stays exact.
        let won = Int64(outcomes["500 points", default: 0]) * 500
        #expect(try await f.balances(ann.id).active == 2_000 - 1_000 + won)
        #expect(outcomes.values.reduce(0, +) == 100)
        await #expect {
            try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: 1, reason: "undo", key: "u", at: f.day(2)))
        } throws: { ($0 as? PatronError)?.code == .invalidTransition }
        #expect(try await f.store.check().isEmpty)
    }

    @Test func badPrizeTablesAreRejected() {
        let over = RewardTests.program + "\n  - { id: bad, kind: lottery, cost: 10, prizes: [{ points: 5, probability: 0.7 }, { points: 1, probability: 0.4 }] }"
        #expect { try ProgramFile.parse(over) } throws: { ($0 as? PatronError)?.code == .invalidProgram }
        let notCoupon = RewardTests.program + "\n  - { id: bad, kind: lottery, cost: 10, prizes: [{ reward: teapot, probability: 0.1 }] }"
        #expect { try ProgramFile.parse(notCoupon) } throws: { ($0 as? PatronError)?.code == .invalidProgram }
    }
}
