import Foundation
import PatronCore
import PatronStore
import Testing

/// An erased member accepts no change: every operation that would change their points, level or profile is refused
/// with `memberErased`, writes nothing, and the member says it was erased.
@Suite struct ErasedMemberTests {
    func isErased(_ error: any Error) -> Bool { (error as? PatronError)?.code == .memberErased }

    @Test func everyChangeToAnErasedMemberIsRefusedWithMemberErased() async throws {
        let (f, ann, bo) = try await DataRightsTests().shop()
        let coupon = try await f.store.coupons(member: ann.id)[0]
        let erased = try await f.store.eraseMember(id: ann.id, at: f.day(4))
        let entriesBefore = try await f.store.totals().entries

        await #expect { _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 50, reason: "x", actor: "ops", key: "e1", at: f.day(5))) } throws: {
            isErased($0)
        }
        await #expect { _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: -50, reason: "x", actor: "ops", key: "e2", at: f.day(5))) } throws: {
            isErased($0)
        }
        await #expect { _ = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "e3", at: f.day(5))) } throws: {
            isErased($0)
        }
        await #expect {
            _ = try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: coupon.id, reason: "x", key: "e4", at: f.day(5)))
        } throws: { isErased($0) }
        await #expect { _ = try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 100, key: "e5", at: f.day(5))) } throws: {
            isErased($0)
        }
        await #expect { _ = try await f.store.transfer(TransferRequest(from: bo.id, to: ann.id, points: 100, key: "e6", at: f.day(5))) } throws: {
            isErased($0)
        }
        await #expect { _ = try await f.store.recordActivity(ActivityRequest(memberId: ann.id, kind: "checkIn", key: "e7", at: f.day(5))) } throws: {
            isErased($0)
        }
        await #expect {
            _ = try await f.store.setLevel(
                LevelOverrideRequest(memberId: ann.id, level: "VIP会员", until: f.day(40), reason: "x", actor: "ops", key: "e8", at: f.day(5)))
        } throws: { isErased($0) }
        await #expect { _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: "Ann"), addIdentities: [], key: nil) } throws: {
            isErased($0)
        }

        // Nothing was written; the member and the coupon are as the erasure left them; the ledger still checks.
        #expect(try await f.store.totals().entries == entriesBefore)
        #expect(try await f.store.member(id: ann.id) == erased)
        #expect(try await f.store.redemption(id: coupon.id).status == coupon.status)
        #expect(try await f.store.check().isEmpty)
        // Bo, who is not erased, still can.
        _ = try await f.store.adjust(Adjustment(memberId: bo.id, points: 50, reason: "x", actor: "ops", key: "e9", at: f.day(5)))
    }

    @Test func anErasedMemberIsGivenNoMonthlyCouponOfTheirLevel() async throws {
        let f = try await Fixture(program: RewardTests.program)
        let (ann, bo) = (try await f.member("ann"), try await f.member("bo"))
        for member in [ann, bo] {
            _ = try await f.store.setLevel(
                LevelOverrideRequest(memberId: member.id, level: "VIP", until: f.day(90), reason: "test", actor: "ops", key: "vip\(member.id)", at: f.day(0)))
        }
        _ = try await f.store.eraseMember(id: ann.id, at: f.day(1))
        #expect(try await f.store.runMonthlyCoupons(asOf: f.day(2)).items == 1)
        #expect(try await f.store.coupons(member: ann.id).isEmpty)
        #expect(try await f.store.coupons(member: bo.id).count == 1)
    }

    @Test func anErasedReferrerIsGivenNoReferralPointsAndTheNewMemberStillIs() async throws {
        let f = try await Fixture(program: DataRightsTests.program)  // referral: { referrer: 200, referee: 100 }
        let ann = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
        let bo = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bo")], referredBy: try .customer("ann")), key: nil)
        let erased = try await f.store.eraseMember(id: ann.id, at: f.day(0))
        try await f.apply(.placed(f.order("B1", "bo", [10_000]), at: f.day(1)))
        try await f.apply(.completed("B1", at: f.day(2)))
        #expect(try await f.balances(ann.id) == erased.balances)
        #expect(try await f.balances(bo.id).active == 100)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func aMemberSaysWhetherAndWhenItWasErased() async throws {
        let (f, ann, bo) = try await DataRightsTests().shop()
        let erased = try await f.store.eraseMember(id: ann.id, at: f.day(4))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try JSONSerialization.jsonObject(with: encoder.encode(erased)) as! [String: Any]
        #expect(json["erased"] as? Bool == true)
        #expect(json["erasedAt"] as? String == ISO8601DateFormatter().string(from: f.day(4)))
        let other = try JSONSerialization.jsonObject(with: encoder.encode(try await f.store.member(id: bo.id)!)) as! [String: Any]
        #expect(other["erased"] as? Bool == false && other["erasedAt"] == nil)
        // The JSON reads back as the same member.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Member.self, from: encoder.encode(erased)) == erased)
    }
}
