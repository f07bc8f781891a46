import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

@Suite struct RewardTests {
    static let program = Fixture.shanghaiProgram + """

        levels:
          tiers: [{ name: Member, threshold: "0" }, { name: VIP, threshold: "1000.00", benefits: { monthlyCoupons: [coupon-10] } }]
        rewards:
          - { id: coupon-10, name: 10 yuan off, kind: coupon, cost: 100, coupon: { value: "10.00", minimumSpend: "99.00", validDays: 30 } }
          - { id: teapot, kind: gift, cost: 100, stock: 50 }
          - { id: vip-tea, kind: gift, cost: 10, levels: [VIP] }
          - { id: monthly, kind: event, cost: 10, limit: { perMonth: 1 } }
          - { id: spring, kind: event, cost: 10, from: 2026-03-01, to: 2026-05-31 }
        """

    func fund(_ f: Fixture, _ member: Int64, _ points: Int64, at: Date) async throws {
        _ = try await f.store.adjust(Adjustment(memberId: member, points: points, reason: "test funds", actor: "test", key: UUID().uuidString, at: at))
    }

    @Test func aThousandConcurrentRedemptionsOfAMemberHolding3750PointsGiveExactly37() async throws {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.member("ann")
        try await fund(f, ann.id, 3_750, at: f.day(0))
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<1_000 {
                group.addTask {
                    (try? await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "r\(index)", at: f.day(1)))) != nil
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(results == 37)
        #expect(try await f.balances(ann.id) == Balances(active: 50, pending: 0, lifetimeEarned: 0, lifetimeSpent: 3_700))
        #expect(try await f.store.check().isEmpty)
    }

    @Test func aThousandMembersRacingForAStockOf50GiveExactly50() async throws {
        let f = try await Fixture(program: Self.program)
        var members: [Int64] = []
        for index in 0..<1_000 {
            let member = try await f.member("m\(index)")
            try await fund(f, member.id, 100, at: f.day(0))
            members.append(member.id)
        }
        let winners = await withTaskGroup(of: Bool.self) { group in
            for member in members {
                group.addTask { (try? await f.store.redeem(RedeemRequest(memberId: member, rewardId: "teapot", key: "t\(member)", at: f.day(1)))) != nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(winners == 50)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func reversalReturnsPointsToTheirLotsAndExpiredOnesExpireAtOnce() async throws {
        let f = try await Fixture(program: Self.program)  // points expire 30 days after earning
        let bo = try await f.member("bo")
        try await fund(f, bo.id, 60, at: f.day(0))  // lot A expires after day 30
        try await fund(f, bo.id, 60, at: f.day(20))  // lot B expires after day 50
        let redemption = try await f.store.redeem(RedeemRequest(memberId: bo.id, rewardId: "teapot", key: "t", at: f.day(21)))
        #expect(redemption.status == .issued)
        #expect(try await f.store.statement(member: bo.id, entries: 0).lots.map(\.remaining) == [20])  // 60 from A, 40 from B
        // Reversed on day 40: lot A has expired, so its 60 come back and expire at once; B gets its 40 back.
        let reversed = try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: redemption.id, reason: "gift cancelled", key: "rv", at: f.day(40)))
        #expect(reversed.status == .reversed)
        #expect(try await f.balances(bo.id) == Balances(active: 60, pending: 0, lifetimeEarned: 0, lifetimeSpent: 0))
        #expect(try await f.store.statement(member: bo.id, entries: 0).lots.map(\.remaining) == [60])
        await #expect {
            try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: redemption.id, reason: "again", key: "rv2", at: f.day(41)))
        } throws: { ($0 as? PatronError)?.code == .invalidTransition }
        #expect(try await f.store.check().isEmpty)
    }

    @Test func badRedemptionsChangeNothing() async throws {
        let f = try await Fixture(program: Self.program)
        let cy = try await f.member("cy")
        try await fund(f, cy.id, 500, at: f.day(0))
        let before = try await f.store.totals()
        for (reward, code, day) in [
            ("nothing", PatronError.Code.notFound, 1), ("vip-tea", .notEligible, 1), ("spring", .notEligible, 1),
        ] {
            do {
                _ = try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: reward, key: "bad-\(reward)", at: f.day(day)))
                Issue.record("\(reward) must be refused")
            } catch let error as PatronError {
                #expect(error.code == code, "\(reward): \(error.message)")
            }
        }
        #expect(try await f.store.totals() == before)
        _ = try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: "monthly", key: "m1", at: f.day(1)))
        await #expect { try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: "monthly", key: "m2", at: f.day(2))) } throws: { ($0 as? PatronError)?.code == .limitReached }
        let coupon = try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: "coupon-10", key: "c1", at: f.day(2)))
        #expect(coupon.couponCode?.count == 16)
        #expect(try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: "coupon-10", key: "c1", at: f.day(2))).id == coupon.id)  // replay
        // In February the limit allows another; the January points have expired by then (30 days), so new ones are needed.
        await #expect { try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: "monthly", key: "m3", at: f.day(40))) } throws: { ($0 as? PatronError)?.code == .insufficientPoints }
        try await fund(f, cy.id, 100, at: f.day(39))
        #expect(try await f.store.redeem(RedeemRequest(memberId: cy.id, rewardId: "monthly", key: "m4", at: f.day(40))).status == .issued)
        #expect(try await f.store.check().isEmpty)
    }
}

@Suite struct MonthlyCouponTests {
    @Test func aLevelsMonthlyCouponsAreIssuedOncePerCalendarMonth() async throws {
        let f = try await Fixture(program: RewardTests.program)
        let vip = try await f.member("vip")
        _ = try await f.member("plain")
        try await f.apply(.placed(f.order("O1", "vip", [120_000]), at: f.day(0)))
        try await f.apply(.completed("O1", at: f.day(1)))
        #expect(try await f.store.member(id: vip.id)?.level.level == "VIP")
        #expect(try await f.store.runMonthlyCoupons(asOf: f.day(2)).items == 1)
        #expect(try await f.store.runMonthlyCoupons(asOf: f.day(20)).items == 0)  // still January
        #expect(try await f.store.runMonthlyCoupons(asOf: f.day(32)).items == 1)  // February
        let coupon = try await f.store.redemption(id: 1)
        #expect(coupon.memberId == vip.id && coupon.points == 0 && coupon.couponCode != nil)
        #expect(try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: 1, reason: "revoked", key: "x", at: f.day(3))).status == .reversed)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func monthlyCouponsMustNameCouponRewards() {
        let bad = RewardTests.program.replacingOccurrences(of: "monthlyCoupons: [coupon-10]", with: "monthlyCoupons: [teapot]")
        #expect { try ProgramFile.parse(bad) } throws: { ($0 as? PatronError)?.code == .invalidProgram }
    }
}
