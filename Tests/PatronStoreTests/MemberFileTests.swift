import Foundation
import PatronCore
import Testing

@testable import PatronStore

/// The console's reads and the staff coupon grant, on SQLite and (with `PATRON_TEST_BACKEND=postgres`) PostgreSQL.
@Suite struct MemberFileTests {
    static let couponProgram = Fixture.shanghaiProgram + """

        rewards:
          - { id: ten-off, name: 10 off, kind: coupon, cost: 500, coupon: { value: "10.00", validDays: 30 } }
          - { id: pooled, name: Partner voucher, kind: coupon, cost: 100, coupon: { value: "5.00", validDays: 10, codes: pool } }
          - { id: cup, name: Cup, kind: gift, cost: 900 }
        """

    @Test func identityMatchesFindAValueWhateverItsKind() async throws {
        let f = try await Fixture()
        let ann = try await f.store.enroll(
            EnrollmentRequest(identities: [try .customer("shared-1"), try Identity(kind: "social:wechat", value: "o6_x")]), key: nil)
        let bob = try await f.store.enroll(EnrollmentRequest(identities: [try Identity(kind: Identity.card, value: "shared-1")]), key: nil)
        let matches = try await f.store.identityMatches(values: ["shared-1", "o6_x", "nobody"], limit: 10)
        #expect(Set(matches.map(\.memberId)) == [ann.id, bob.id])
        #expect(matches.count == 3)
        #expect(matches.contains { $0.identity.kind == "social:wechat" && $0.memberId == ann.id })
        #expect(try await f.store.identityMatches(values: ["shared-1"], limit: 1).count == 1)
        await #expect(throws: PatronError.self) { try await f.store.identityMatches(values: ["x"], limit: 0) }
    }

    @Test func namePrefixesIgnoreTheCaseOfASCIILettersOnlyAndKeepTheirOrder() async throws {
        let f = try await Fixture()
        var ids: [String: Int64] = [:]
        for (index, name) in ["Ann Lee", "anna Bell", "Annex", "Bob", "Ánn", "李雷", "李小龙", "Ann\u{10FFFF}x"].enumerated() {
            ids[name] = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("N\(index)")], profile: Profile(name: name)), key: nil).id
        }
        #expect(try await f.store.members(namePrefix: "ann", limit: 10).map(\.profile.name) == ["Ann Lee", "Annex", "Ann\u{10FFFF}x", "anna Bell"].sorted { $0.lowercased() < $1.lowercased() })
        #expect(try await f.store.members(namePrefix: "ANN L", limit: 10).map(\.profile.name) == ["Ann Lee"])
        #expect(try await f.store.members(namePrefix: "李", limit: 10).count == 2)
        #expect(try await f.store.members(namePrefix: "ánn", limit: 10).isEmpty)  // only A–Z fold
        #expect(try await f.store.members(namePrefix: "Ánn", limit: 10).map(\.profile.name) == ["Ánn"])
        #expect(try await f.store.members(namePrefix: "a", limit: 2).count == 2)
        #expect(try await f.store.members(namePrefix: "", limit: 10).isEmpty)
    }

    @Test func theMemberFileIsBoundedAndPagesTheLedgerNewestFirst() async throws {
        let f = try await Fixture()
        let member = try await f.member("ann")
        for index in 1...25 {
            _ = try await f.store.adjust(Adjustment(memberId: member.id, points: Int64(index), reason: "r\(index)", actor: "t", key: "k\(index)", at: f.clock.now()))
        }
        try await f.apply(.placed(f.order("O1", "ann", [5_000]), at: f.day(0)))
        let first = try await f.store.memberFile(MemberFileRequest(memberId: member.id, entries: 10, lots: 5, orders: 1))
        #expect(first.entryCount == 26)
        #expect(first.entries.count == 10)
        #expect(first.hasOlderEntries)
        #expect(first.entries.first?.kind == .pending)
        #expect(first.entries.map(\.id) == first.entries.map(\.id).sorted(by: >))
        #expect(first.lots.count == 5)
        #expect(first.openLotCount == 25)
        #expect(first.orders.map(\.id) == ["O1"])
        #expect(first.orderCount == 1)
        var seen = first.entries.map(\.id)
        var cursor = first.entries.last?.id
        while let before = cursor {
            let page = try await f.store.memberFile(MemberFileRequest(memberId: member.id, entriesBefore: before, entries: 10))
            #expect(page.entries.allSatisfy { $0.id < before })
            seen += page.entries.map(\.id)
            cursor = page.hasOlderEntries ? page.entries.last?.id : nil
        }
        #expect(seen.count == 26)
        #expect(Set(seen).count == 26)
        await #expect(throws: PatronError.self) { try await f.store.memberFile(MemberFileRequest(memberId: member.id, entries: 0)) }
        await #expect(throws: PatronError.self) { try await f.store.memberFile(MemberFileRequest(memberId: 999_999)) }
    }

    @Test func aGrantedCouponTakesNoPointsAndTheSameKeyGrantsOnce() async throws {
        let f = try await Fixture(program: Self.couponProgram)
        let member = try await f.member("ann")
        let first = try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "ten-off", key: "g1", at: f.clock.now()))
        #expect(!first.replayed)
        #expect(first.coupon.points == 0)
        #expect(first.coupon.couponCode != nil)
        #expect(first.coupon.validUntil != nil)
        let again = try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "ten-off", key: "g1", at: f.clock.now()))
        #expect(again.replayed)
        #expect(again.coupon.id == first.coupon.id)
        #expect(try await f.store.coupons(member: member.id).count == 1)
        #expect(try await f.balances(member.id) == .zero)
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "cup", key: "g2", at: f.clock.now())) }
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "none", key: "g3", at: f.clock.now())) }
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: 999_999, rewardId: "ten-off", key: "g4", at: f.clock.now())) }
        // The same key for another reward is a conflict, not a second coupon.
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "pooled", key: "g1", at: f.clock.now())) }
        #expect(try await f.store.coupons(member: member.id).count == 1)
    }

    @Test func aPooledCouponGrantTakesACodeFromThePool() async throws {
        let f = try await Fixture(program: Self.couponProgram)
        let member = try await f.member("ann")
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "pooled", key: "p0", at: f.clock.now())) }
        #expect(try await f.store.importCouponCodes(reward: "pooled", codes: ["PARTNER-0001"]) == 1)
        let granted = try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "pooled", key: "p1", at: f.clock.now()))
        #expect(granted.coupon.couponCode == "PARTNER-0001")
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "pooled", key: "p2", at: f.clock.now())) }
    }

    @Test func anErasedMemberIsGivenNoCoupon() async throws {
        let f = try await Fixture(program: Self.couponProgram)
        let member = try await f.member("ann")
        _ = try await f.store.eraseMember(id: member.id, at: f.clock.now())
        await #expect(throws: PatronError.self) { try await f.store.grantCoupon(CouponGrant(memberId: member.id, rewardId: "ten-off", key: "e1", at: f.clock.now())) }
    }
}
