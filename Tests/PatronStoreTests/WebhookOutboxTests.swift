import Foundation
import PatronCore
import PatronStore
import Testing

/// Every change that webhooks announce writes its outbox event in the change's own transaction, and only when an
/// active subscription wants that kind.
@Suite struct WebhookOutboxTests {
    static let program = RewardTests.program + """

        activities: { review: { points: 20 } }
        """

    func fixture(subscribing kinds: Set<WebhookEventKind> = Set(WebhookEventKind.allCases), program: String = Self.program) async throws -> Fixture {
        let f = try await Fixture(program: program)
        if !kinds.isEmpty {
            _ = try await f.store.createWebhookSubscription(NewWebhookSubscription(url: "https://shop.example/hooks", events: kinds, at: f.day(0)))
        }
        return f
    }

    /// The outbox events, as (kind, decoded payload).
    func events(_ f: Fixture) async throws -> [(kind: String, data: [String: Any])] {
        try await f.store.outbox(after: 0, limit: 1_000).map { event in
            (event.kind, try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as! [String: Any])
        }
    }

    @Test func enrollingAndUpdatingAMemberAnnounceIt() async throws {
        let f = try await fixture()
        let ann = try await f.member("ann")
        _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: "Ann"), addIdentities: [try .init(kind: "email", value: "ann@example.com")], key: nil)
        let events = try await events(f).filter { $0.kind != "level.changed" }  // joining gives the first level
        #expect(events.map(\.kind) == ["member.enrolled", "member.updated"])
        #expect(events[0].data["member_id"] as? Int == Int(ann.id))
        #expect(events[0].data["identities"] as? [String] == ["customer:ann"])
        #expect(events[1].data["identities_added"] as? [String] == ["email:ann@example.com"])
        #expect((events[1].data["profile"] as? [String: Any])?["name"] as? String == "Ann")
    }

    @Test func orderEventsAnnounceEarningActivationAndReversal() async throws {
        let f = try await fixture()
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [12_000]), at: f.day(1)))
        try await f.apply(.completed("O1", at: f.day(2)))
        _ = try await f.store.runActivation(asOf: f.day(10))
        try await f.apply(.placed(f.order("O2", "ann", [5_000]), at: f.day(11)))
        try await f.apply(.cancelled("O2", at: f.day(11), id: "C2"))
        try await f.apply(.returned("O1", at: f.day(12), id: "R1"))
        let events = try await events(f).filter { $0.kind != "member.enrolled" && $0.kind != "level.changed" }
        #expect(events.map(\.kind) == ["points.earned", "points.activated", "points.earned", "order.reversed", "order.reversed"])
        #expect(events[0].data["points"] as? Int == 120)
        #expect(events[0].data["status"] as? String == "pending")
        #expect(events[0].data["order_id"] as? String == "O1")
        #expect(events[1].data["points"] as? Int == 120)
        #expect(events[1].data["expires_at"] as? String != nil)
        #expect(events[3].data["reason"] as? String == "cancelled")
        #expect(events[3].data["pending_points"] as? Int == -50)
        #expect(events[4].data["reason"] as? String == "returned")
        #expect(events[4].data["active_points"] as? Int == -120)
        #expect(events[4].data["order_event_id"] as? String == "R1")
        #expect(events.allSatisfy { $0.data["member_id"] as? Int == Int(ann.id) })
    }

    /// The placed order's payload is written by hand, for speed: any order id must still give valid JSON.
    @Test(arguments: ["O-1", #"quote " and backslash \ "#, "line\nbreak\ttab\u{1}control", "订单/é/🎁"])
    func aPlacedOrdersPayloadIsValidJSONForAnyOrderId(_ orderId: String) async throws {
        let f = try await fixture(subscribing: [.pointsEarned])
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order(orderId, "ann", [12_000]), at: f.day(1)))
        let earned = try #require(try await events(f).first)
        #expect(earned.data["order_id"] as? String == orderId)
        #expect(earned.data["member_id"] as? Int == Int(ann.id))
        #expect(earned.data["points"] as? Int == 120)
        #expect(earned.data.count == 4)
    }

    @Test func aCompletionWithoutPendingPeriodAnnouncesActivation() async throws {
        let f = try await fixture(program: Self.program.replacingOccurrences(of: "pending: { days: 7 }", with: "pending: { days: 0 }"))
        _ = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [3_000]), at: f.day(1)))
        try await f.apply(.completed("O1", at: f.day(1)))
        #expect(try await events(f).map(\.kind).filter { $0.hasPrefix("points.") } == ["points.earned", "points.activated"])
    }

    @Test func activitiesAdjustmentsAndRedemptionsAnnounceTheirPoints() async throws {
        let f = try await fixture()
        let ann = try await f.member("ann")
        _ = try await f.store.recordActivity(ActivityRequest(memberId: ann.id, kind: "review", key: "review-1", at: f.day(1)))
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 500, reason: "goodwill", actor: "staff", key: "a1", at: f.day(1)))
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: -10, reason: "correction", actor: "staff", key: "a2", at: f.day(1)))
        let redemption = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "r1", at: f.day(2)))
        let events = try await events(f).filter { $0.kind != "member.enrolled" && $0.kind != "level.changed" }
        #expect(events.map(\.kind) == ["points.earned", "points.earned", "reward.redeemed"])  // a deduction earns nothing
        #expect(events[0].data["points"] as? Int == 20)
        #expect(events[0].data["status"] as? String == "active")
        #expect(events[1].data["reason"] as? String == "goodwill")
        #expect(events[2].data["redemption_id"] as? Int == Int(redemption.id))
        #expect(events[2].data["reward_id"] as? String == "coupon-10")
        #expect(events[2].data["points"] as? Int == 100)
        #expect(events[2].data["coupon_code"] as? String == redemption.couponCode)
    }

    @Test func expiryAnnouncesTheExpiredPoints() async throws {
        let f = try await fixture()
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 70, reason: "goodwill", actor: "staff", key: "a1", at: f.day(1)))
        _ = try await f.store.runExpiry(asOf: f.day(40))
        let expired = try await events(f).filter { $0.kind == "points.expired" }
        #expect(expired.count == 1)
        #expect(expired.first?.data["points"] as? Int == 70)
        #expect((expired.first?.data["lot_ids"] as? [Int])?.count == 1)
    }

    @Test func theExpiringSoonJobSendsOneNoticePerLotAndIsIdempotent() async throws {
        let f = try await fixture()
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 70, reason: "early", actor: "staff", key: "a1", at: f.day(1)))  // expires day 31
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 30, reason: "later", actor: "staff", key: "a2", at: f.day(10)))  // day 40
        #expect(try await f.store.runExpiringSoon(asOf: f.day(20), days: 7) == JobReport(items: 0, points: 0))
        #expect(try await f.store.runExpiringSoon(asOf: f.day(25), days: 7) == JobReport(items: 1, points: 70))
        #expect(try await f.store.runExpiringSoon(asOf: f.day(25), days: 7) == JobReport(items: 0, points: 0))
        #expect(try await f.store.runExpiringSoon(asOf: f.day(27), days: 7) == JobReport(items: 0, points: 0))
        #expect(try await f.store.runExpiringSoon(asOf: f.day(34), days: 7) == JobReport(items: 1, points: 30))
        let notices = try await events(f).filter { $0.kind == "points.expiring" }
        #expect(notices.map { $0.data["points"] as? Int } == [70, 30])
        #expect(notices.allSatisfy { $0.data["notice_days"] as? Int == 7 && $0.data["lot_id"] != nil })
    }

    @Test func withoutASubscriberTheExpiringSoonJobRecordsNothing() async throws {
        let f = try await fixture(subscribing: [.pointsEarned])
        let ann = try await f.member("ann")
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 70, reason: "early", actor: "staff", key: "a1", at: f.day(1)))
        #expect(try await f.store.runExpiringSoon(asOf: f.day(25), days: 7).items == 0)
        // A subscriber who arrives later still hears of the lot.
        _ = try await f.store.createWebhookSubscription(NewWebhookSubscription(url: "https://crm.example/in", events: [.pointsExpiring], at: f.day(25)))
        #expect(try await f.store.runExpiringSoon(asOf: f.day(26), days: 7).items == 1)
    }

    @Test func onlySubscribedKindsAreWrittenAndDisablingStopsThem() async throws {
        let f = try await fixture(subscribing: [.pointsEarned])
        _ = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [12_000]), at: f.day(1)))
        try await f.apply(.cancelled("O1", at: f.day(1), id: "C1"))
        #expect(try await events(f).map(\.kind) == ["points.earned"])
        let subscription = try #require(try await f.store.webhookSubscriptions().first)
        _ = try await f.store.setWebhookSubscription(id: subscription.id, active: false)
        try await f.apply(.placed(f.order("O2", "ann", [12_000]), at: f.day(2)))
        #expect(try await events(f).count == 1)
    }

    @Test func aRolledBackRequestAnnouncesNothing() async throws {
        let f = try await fixture()
        // The unknown customer is enrolled (announced), then the order fails: the savepoint takes both back.
        var order = f.order("O1", "newcomer", [12_000])
        order.partner = "nobody"
        await #expect { try await f.apply(.placed(order, at: f.day(1)), enroll: true) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect(try await f.store.member(identity: .customer("newcomer")) == nil)
        #expect(try await events(f).isEmpty)
        // The same order without the bad partner announces both, in one transaction with the change.
        order.partner = nil
        try await f.apply(.placed(order, at: f.day(1)), enroll: true)
        #expect(try await events(f).map(\.kind) == ["member.enrolled", "level.changed", "points.earned"])
    }
}
