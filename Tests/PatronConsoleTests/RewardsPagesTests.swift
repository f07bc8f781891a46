import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The rewards page: the catalogue with its stock, and importing coupon codes.
@Suite struct RewardsPagesTests {
    static let program = ProgramPagesTests.goldClub + """

        rewards:
          - { id: mug, name: "<script>alert(1)</script> Mug", kind: gift, cost: 500, stock: 3, limit: { perMonth: 1 } }
          - { id: partner-5, name: Partner coupon, kind: coupon, cost: 10, coupon: { value: "5.00", validDays: 10, codes: pool } }

        """

    static func withRewards(_ console: ConsoleHarness) async throws -> Int64 {
        _ = try await ProgramChanges(context: console.context).load(source: program, actor: "test")
        let member = try await console.store.enroll(EnrollmentRequest(identities: [try .customer("C1")], profile: Profile(name: "Cat")), key: nil)
        _ = try await console.store.adjust(Adjustment(memberId: member.id, points: 5_000, reason: "t", actor: "t", key: "a", at: console.clock.now()))
        _ = try await console.store.redeem(RedeemRequest(memberId: member.id, rewardId: "mug", key: "r1", at: console.clock.now()))
        return member.id
    }

    @Test func theCatalogueShowsCostStockTakenLeftAndLimits() async throws {
        try await ConsoleHarness.run { console in
            _ = try await Self.withRewards(console)
            let page = try await console.get("/console/rewards?lang=en", as: try await console.browser(.readOnly))
            #expect(page.status == 200)
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Mug"), "a reward name is escaped")
            #expect(!page.text.contains("<script>alert(1)"))
            let mugRow = try #require(page.text.components(separatedBy: "<tr>").first { $0.contains("<code>mug</code>") })
            #expect(mugRow.contains(">500 pts<"), "the cost")
            #expect(mugRow.contains(">3<") && mugRow.contains(">1<") && mugRow.contains(">2<"), "stock 3, taken 1, left 2")
            #expect(mugRow.contains("1/month"))
            #expect(page.text.contains("0 of 0 codes left"))
            #expect(!page.text.contains("codes-form"), "a read-only account is not offered the import")
        }
    }

    @Test func importingCodesIsConfirmedNamesBadLinesAndIsAudited() async throws {
        try await ConsoleHarness.run { console in
            _ = try await Self.withRewards(console)
            let owner = try await console.browser(.owner)
            let unconfirmed = try await console.post("/console/rewards/codes", [("reward", "partner-5"), ("codes", "AAA-1\nAAA-2")], as: owner)
            #expect(unconfirmed.status == 400)
            #expect(try await console.store.couponPools().isEmpty)
            let bad = try await console.post(
                "/console/rewards/codes", [("reward", "partner-5"), ("codes", "AAA-1\n\nbad code!\nAAA-2"), ("confirm", "yes")], as: owner)
            #expect(bad.status == 400)
            #expect(bad.text.contains("code 3"), "the bad code is named by its line")
            #expect(try await console.store.couponPools().isEmpty, "one bad line imports nothing")
            let good = try await console.post(
                "/console/rewards/codes", [("reward", "partner-5"), ("codes", "AAA-1\r\nAAA-2\r\nAAA-1\r\n"), ("confirm", "yes")], as: owner)
            #expect(good.status == 303)
            #expect(try await console.store.couponPools()["partner-5"] == CouponPoolCount(uploaded: 2, handedOut: 0))
            let audit = try await console.store.auditLog(after: 0, limit: 10, subject: "reward:partner-5")
            #expect(audit.map(\.actor) == ["staff:owner"])
            let page = try await console.get("/console/rewards?lang=en", as: owner)
            #expect(page.text.contains("2 of 2 codes left"))
            let notPooled = try await console.post("/console/rewards/codes", [("reward", "mug"), ("codes", "X-1"), ("confirm", "yes")], as: owner)
            #expect(notPooled.status == 400)
        }
    }
}
