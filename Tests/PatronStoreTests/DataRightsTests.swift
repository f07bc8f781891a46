import Foundation
import PatronCore
import PatronStore
import Testing

@Suite struct DataRightsTests {
    static let program =
        LevelTests.textbook.replacingOccurrences(of: "enrollment: { type: restricted, condition: firstOrder }", with: "enrollment: open")
        + "\nreferral: { referrer: 200, referee: 100 }\ntransfers: { minimum: 100, maximum: 5000 }\n"

    /// Ann, with a full profile, refers Bo; both buy; Ann checks in, redeems a coupon, sends Bo points and gets a level.
    func shop() async throws -> (f: Fixture, ann: Member, bo: Member) {
        let f = try await Fixture(program: Self.program)
        let ann = try await f.store.enroll(
            EnrollmentRequest(
                identities: [try .customer("ann"), try Identity(kind: Identity.email, value: "ann@example.com")],
                profile: Profile(
                    name: "Ann Lee", birthday: LocalDate(year: 1990, month: 5, day: 31), tags: ["tea"], consents: ["email": true])),
            key: nil)
        let bo = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("bo")], referredBy: try .customer("ann")), key: nil)
        try await f.apply(.placed(f.order("A1", "ann", [40_000, 30_000]), at: f.day(0)))
        try await f.apply(.completed("A1", at: f.day(1)))
        try await f.apply(.placed(f.order("B1", "bo", [10_000]), at: f.day(0)))
        try await f.apply(.completed("B1", at: f.day(1)))
        _ = try await f.store.recordActivity(ActivityRequest(memberId: ann.id, kind: "checkIn", key: "ann-check-in", at: f.day(2)))
        _ = try await f.store.adjust(
            Adjustment(memberId: ann.id, points: 2_000, reason: "goodwill", actor: "test", key: "fund", at: f.day(2)))
        _ = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "coupon", at: f.day(3)))
        _ = try await f.store.transfer(TransferRequest(from: ann.id, to: bo.id, points: 100, key: "gift", at: f.day(3)))
        _ = try await f.store.appendAudit(
            actor: "cli:staff", action: "member.update", subject: "member:\(ann.id)", before: #"{"name":null}"#,
            after: #"{"name":"Ann Lee"}"#, at: f.day(3))
        return (f, ann, bo)
    }

    func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }

    @Test func anExportHoldsEveryKindOfDataAboutTheMember() async throws {
        let (f, ann, bo) = try await shop()
        let export = try await f.store.exportMember(id: ann.id)
        #expect(export.member.profile.name == "Ann Lee" && export.member.profile.consents == ["email": true])
        #expect(export.member.identities.map(\.description) == ["customer:ann", "email:ann@example.com"])
        #expect(export.member.level.level == "VIP会员" && export.member.erasedAt == nil)
        #expect(export.referrals == [bo.id] && export.referredBy == nil)
        #expect(export.orders.map(\.id) == ["A1"])
        #expect(export.orders[0].amount == 70_000 && export.orders[0].lines.map(\.netAmount) == [40_000, 30_000])
        #expect(Set(export.entries.map(\.kind)) == [.pending, .earn, .adjust, .redeem, .transfer])
        #expect(export.entries.reduce(0) { $0 + $1.activeDelta } == export.member.balances.active)
        #expect(export.lots.map(\.points) == [200, 5, 2_000])  // referral reward, check-in, adjustment; the order's points are pending
        #expect(export.redemptions.map(\.rewardId) == ["coupon-10"] && export.redemptions[0].couponCode != nil)
        #expect(export.ruleUses.contains(ExportedRuleUse(rule: "activity:checkIn", day: LocalDate(year: 2026, month: 1, day: 3)!)))
        #expect(export.ruleUses.contains { $0.rule == "transfer" })
        #expect(export.transfers.map(\.activeDelta) == [-100])
        #expect(export.levelHistory.last?.to == "VIP会员")
        #expect(export.audit.map(\.action) == ["member.update"])
        let referred = try await f.store.exportMember(id: bo.id)
        #expect(referred.referredBy == ann.id && referred.referralRewarded)
        #expect(referred.transfers.map(\.activeDelta) == [100])
        await #expect { _ = try await f.store.exportMember(id: 999) } throws: { ($0 as? PatronError)?.code == .notFound }
    }

    @Test func erasureRemovesPersonalDataAndKeepsTheLedgerAndAnalytics() async throws {
        let (f, ann, _) = try await shop()
        let totals = try await f.store.totals()
        let purchases = try await f.store.purchases()
        let facts = try await f.store.memberFacts()
        let before = try await f.store.exportMember(id: ann.id)

        let erased = try await f.store.eraseMember(id: ann.id, at: f.day(4))
        #expect(erased.erasedAt == f.day(4))
        #expect(erased.profile == Profile() && erased.identities.isEmpty)
        #expect(erased.balances == before.member.balances && erased.level.level == before.member.level.level)
        #expect(try await f.store.check().isEmpty)
        #expect(try await f.store.totals() == totals)
        #expect(try await f.store.purchases() == purchases)
        #expect(try await f.store.memberFacts() == facts)

        let after = try await f.store.exportMember(id: ann.id)
        #expect(after.entries == before.entries && after.lots == before.lots && after.orders == before.orders)
        let text = try json(after)
        for personal in ["Ann Lee", "ann@example.com", #""ann""#, "1990-05-31", #""tea""#] {
            #expect(!text.contains(personal), "\(personal) is still there")
        }
        #expect(after.audit.map(\.action) == ["member.update"])  // who did what stays; the states went

        #expect(try await f.store.member(identity: .customer("ann")) == nil)
        let newcomer = try await f.store.enroll(
            EnrollmentRequest(identities: [try .customer("ann"), try Identity(kind: Identity.email, value: "ann@example.com")]), key: nil)
        #expect(newcomer.id != ann.id && newcomer.balances == Balances(active: 0, pending: 0, lifetimeEarned: 0, lifetimeSpent: 0))
        #expect(try await f.store.member(identity: .customer("ann"))?.id == newcomer.id)

        // Erasing again is harmless and keeps the first date; the erased member takes no new personal data.
        #expect(try await f.store.eraseMember(id: ann.id, at: f.day(9)) == erased)
        await #expect {
            _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: "Ann"), addIdentities: [], key: nil)
        } throws: { ($0 as? PatronError)?.code == .memberErased }
        #expect(try await f.store.member(id: ann.id) == erased)
        await #expect { _ = try await f.store.eraseMember(id: 999, at: f.day(4)) } throws: { ($0 as? PatronError)?.code == .notFound }
        #expect(try await f.store.check().isEmpty)
    }
}

@Suite struct ErasureOfAnnouncementsTests {
    @Test func erasureBlanksThePersonalDataInTheMembersAnnouncements() async throws {
        let f = try await Fixture(program: DataRightsTests.program)
        _ = try await f.store.createWebhookSubscription(
            NewWebhookSubscription(url: "https://crm.example/in", events: [.memberEnrolled, .memberUpdated, .pointsEarned], at: f.day(0)))
        let ann = try await f.store.enroll(
            EnrollmentRequest(identities: [try Identity(kind: Identity.email, value: "ann@example.com")], profile: Profile(name: "Ann Lee")), key: nil)
        _ = try await f.store.updateMember(ann.id, profile: ProfileUpdate(name: "Ann Lee-Park"), addIdentities: [], key: nil)
        _ = try await f.store.adjust(Adjustment(memberId: ann.id, points: 100, reason: "welcome", actor: "test", key: "a", at: f.day(1)))
        let before = try await f.store.outbox(after: 0, limit: 100)
        #expect(before.contains { $0.payload.contains("ann@example.com") } && before.contains { $0.payload.contains("Lee-Park") })

        _ = try await f.store.eraseMember(id: ann.id, at: f.day(2))
        let after = try await f.store.outbox(after: 0, limit: 100)
        #expect(after.map(\.id) == before.map(\.id), "announcements keep their ids")
        #expect(!after.contains { $0.payload.contains("ann") || $0.payload.contains("Lee") })
        #expect(after.filter { $0.kind == "member.enrolled" }.allSatisfy { $0.payload == #"{"member_id":\#(ann.id),"erased":true}"# })
        #expect(after.contains { $0.kind == "points.earned" && $0.payload.contains("100") }, "point events carry no personal data and stay")
    }
}
