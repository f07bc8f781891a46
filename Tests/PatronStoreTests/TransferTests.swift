import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct TransferTests {
    static let program = Fixture.shanghaiProgram + "\ntransfers: { minimum: 100, maximum: 5000, feePercent: 5, limit: { perMonth: 2 } }"

    func fund(_ f: Fixture, _ member: Int64, _ points: Int64, at: Date) async throws {
        _ = try await f.store.adjust(Adjustment(memberId: member, points: points, reason: "funds", actor: "test", key: UUID().uuidString, at: at))
    }

    @Test func pointsMoveWithTheirExpiryAndTheSenderPaysTheFee() async throws {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.member("ann")
        let bo = try await f.member("bo")
        try await fund(f, ann.id, 300, at: f.day(0))  // expires after day 30
        try await fund(f, ann.id, 300, at: f.day(10))  // expires after day 40
        let outcome = try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 400, key: "t1", at: f.day(11)))
        #expect(outcome.fee == 20)
        #expect(try await f.balances(ann.id).active == 180)
        #expect(try await f.balances(bo.id).active == 400)
        let senderLots = try await f.store.statement(member: ann.id, entries: 0).lots
        let receiverLots = try await f.store.statement(member: bo.id, entries: 0).lots
        #expect(receiverLots.map(\.remaining) == [300, 100])
        #expect(receiverLots.map(\.expiresAt) == [f.program.expiry.expiry(of: f.day(0), in: f.program.calendar), senderLots.first?.expiresAt])
        #expect(try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 400, key: "t1", at: f.day(11))).replayed)
        #expect(try await f.store.check().isEmpty)
    }

    @Test func transfersOutsideTheRulesAreRefusedAndChangeNothing() async throws {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.member("ann")
        let bo = try await f.member("bo")
        try await fund(f, ann.id, 1_000, at: f.day(0))
        let before = try await f.store.totals()
        for (points, to, code) in [(50, bo.id, PatronError.Code.invalidInput), (6_000, bo.id, .invalidInput), (100, ann.id, .invalidInput),
                                   (100, 999, .notFound), (980, bo.id, .insufficientPoints)] as [(Int64, Int64, PatronError.Code)] {
            do {
                _ = try await f.store.transfer(TransferRequest(from: ann.id, to: to, points: points, key: "bad-\(points)-\(to)", at: f.day(1)))
                Issue.record("\(points) to \(to) must be refused")
            } catch let error as PatronError {
                #expect(error.code == code, "\(points) to \(to): \(error.message)")
            }
        }
        #expect(try await f.store.totals() == before)
        _ = try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 100, key: "a", at: f.day(1)))
        _ = try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 100, key: "b", at: f.day(2)))
        await #expect { try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 100, key: "c", at: f.day(3))) } throws: { ($0 as? PatronError)?.code == .limitReached }
        let disabled = try await Fixture()
        let cy = try await disabled.member("cy")
        let dee = try await disabled.member("dee")
        await #expect { try await disabled.store.transfer(TransferRequest(from: cy.id, to: dee.id, points: 100, key: "x", at: disabled.day(0))) } throws: { ($0 as? PatronError)?.code == .notEligible }
    }
}

@Suite struct GiftFulfilmentTests {
    @Test func giftsGoFromIssuedToShippedToDeliveredAndCannotBeReversedOnceDelivered() async throws {
        let f = try await Fixture(program: RewardTests.program)
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 300, reason: "funds", actor: "t", key: "f", at: f.day(0)))
        let gift = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "g1", at: f.day(1)))
        await #expect { try await f.store.fulfil(redemption: gift.id, status: "delivered", at: f.day(2)) } throws: { ($0 as? PatronError)?.code == .invalidTransition }
        #expect(try await f.store.fulfil(redemption: gift.id, status: "shipped", at: f.day(2)).status == .shipped)
        #expect(try await f.store.fulfil(redemption: gift.id, status: "delivered", at: f.day(3)).status == .delivered)
        await #expect {
            try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: gift.id, reason: "late", key: "r", at: f.day(4)))
        } throws: { ($0 as? PatronError)?.code == .invalidTransition }
        let shipped = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "g2", at: f.day(5)))
        _ = try await f.store.fulfil(redemption: shipped.id, status: "shipped", at: f.day(6))
        let back = try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: shipped.id, reason: "returned by courier", key: "r2", at: f.day(7)))
        #expect(back.status == .reversed)
        #expect(try await f.balances(ann.id).active == 200)
        let coupon = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "c", at: f.day(8)))
        await #expect { try await f.store.fulfil(redemption: coupon.id, status: "shipped", at: f.day(9)) } throws: { ($0 as? PatronError)?.code == .invalidTransition }
        #expect(try await f.store.check().isEmpty)
    }
}
