import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct CouponTests {
    func setUp() async throws -> (Fixture, Int64, String) {
        let f = try await Fixture(program: RewardTests.program)  // coupon-10: 10.00 off from 99.00, valid 30 days
        let ann = try await f.member("ann")
        _ = try await f.member("bo")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 500, reason: "funds", actor: "t", key: "f", at: f.day(0)))
        let coupon = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "c", at: f.day(1)))
        return (f, ann.id, coupon.couponCode!)
    }

    func place(_ f: Fixture, _ id: String, _ customer: String, _ amount: Int64, coupon: String?, day: Int) async -> Result<OrderOutcome, PatronError> {
        var order = f.order(id, customer, [amount])
        order.couponCode = coupon
        return await f.store.apply([.placed(order, at: f.day(day))], options: ApplyOptions())[0]
    }

    @Test func aCouponAppliesInTheQuoteIsUsedOnceAndComesBackWhenItsOrderIsCancelled() async throws {
        let (f, ann, code) = try await setUp()
        let (_, terms) = try await f.store.usableCoupon(code: code, member: ann, goods: 12_000, at: f.day(2))
        let quote = try CheckoutQuoter.quote(
            Cart(lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 12_000)]), context: EarningContext(at: f.day(2)), activePoints: 0,
            program: f.program, coupon: terms)
        #expect(quote.adjustments.map(\.amount) == [1_000])
        #expect(quote.total == 11_000)
        #expect(quote.pointsEarned == 110)  // the coupon's part earns nothing

        #expect((try? await place(f, "O1", "ann", 12_000, coupon: code, day: 2).get()) != nil)
        #expect(try await f.store.redemption(id: 1).status == .used)
        #expect((try? await place(f, "O2", "ann", 12_000, coupon: code, day: 3).get()) == nil)  // used already
        try await f.apply(.cancelled("O1", at: f.day(4)))
        #expect(try await f.store.redemption(id: 1).status == .issued)
        #expect((try? await place(f, "O3", "ann", 12_000, coupon: code, day: 5).get()) != nil)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func couponsOfOthersBelowTheMinimumOrExpiredAreRefusedAndNothingIsWritten() async throws {
        let (f, _, code) = try await setUp()
        let before = try await f.store.totals()
        for (customer, amount, day, expected) in [
            ("bo", Int64(12_000), 2, PatronError.Code.notEligible), ("ann", 5_000, 2, .notEligible), ("ann", 12_000, 40, .notEligible),
        ] {
            guard case .failure(let error) = await place(f, "X-\(customer)-\(amount)-\(day)", customer, amount, coupon: code, day: day) else {
                Issue.record("\(customer) \(amount) day \(day) must be refused")
                continue
            }
            #expect(error.code == expected, "\(error.message)")
        }
        guard case .failure(let unknown) = await place(f, "X-unknown", "ann", 12_000, coupon: "NOPE", day: 2) else {
            Issue.record("an unknown code must be refused")
            return
        }
        #expect(unknown.code == .notFound)
        #expect(try await f.store.totals() == before)
        #expect(try await f.store.redemption(id: 1).status == .issued)
    }
}

@Suite struct CouponPoolTests {
    @Test func pooledCouponsHandOutUploadedCodesUntilTheyRunOut() async throws {
        let program = RewardTests.program + "\n  - { id: partner-5, kind: coupon, cost: 10, coupon: { value: \"5.00\", validDays: 10, codes: pool } }"
        let f = try await Fixture(program: program)
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 100, reason: "f", actor: "t", key: "f", at: f.day(0)))
        #expect(try await f.store.importCouponCodes(reward: "partner-5", codes: ["AAA-1", "AAA-2", "AAA-1"]) == 2)
        #expect(try await f.store.importCouponCodes(reward: "partner-5", codes: ["AAA-2"]) == 0)
        await #expect { try await f.store.importCouponCodes(reward: "partner-5", codes: ["bad code!"]) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect { try await f.store.importCouponCodes(reward: "coupon-10", codes: ["X"]) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        let first = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "partner-5", key: "1", at: f.day(1)))
        let second = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "partner-5", key: "2", at: f.day(1)))
        #expect(Set([first.couponCode, second.couponCode]) == ["AAA-1", "AAA-2"])
        do {
            _ = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "partner-5", key: "3", at: f.day(1)))
            Issue.record("an empty pool must refuse")
        } catch let error as PatronError {
            #expect(error.code == .outOfStock)
        }
        #expect(try await f.store.coupons(member: ann.id).count == 2)
        #expect(try await f.balances(ann.id).active == 80)
        #expect(try await f.store.check().isEmpty)
    }
}
