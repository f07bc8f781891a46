import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// Segments in the store: every condition kind selects the members it should (SQLite, and PostgreSQL with
/// `PATRON_TEST_BACKEND=postgres`), versions, dynamic entries and exits with their outbox events, static imports.
@Suite struct SegmentStoreTests {
    static let program = Fixture.shanghaiProgram + """

        levels:
          tiers: [{ name: Member, threshold: "0" }, { name: VIP, threshold: "1000.00" }]
        activities: { review: { points: 20 } }
        rewards:
          - { id: teapot, kind: gift, cost: 100 }
        """

    static let vocabulary = SegmentVocabulary(
        levels: ["Member", "VIP"], currency: Currency(code: "CNY")!, activities: ["checkIn", "review"],
        labels: [
            .rfmSegment: ["champions", "loyal", "new", "potential", "at_risk", "hibernating", "lost"],
            .loyaltyStage: ["suspect", "prospect", "suspect_or_prospect", "first_time_buyer", "repeat_buyer", "advocate"],
            .loyaltyType: ["non_loyal", "inertial", "latent", "absolute"],
        ], stored: [:])

    /// Three known members, seen on day 20 (2026-01-21 in Shanghai):
    /// - ann: joined day 0 by app in Hangzhou, tag vip-event, e-mail consent, born in March; orders of 200.00 (day 1,
    ///   completed, 200 points active from day 8, expiring day 38) and 300.00 (day 15, pending); redeemed a teapot on day 16;
    /// - bob: joined day 0 on the web in Shanghai, phone, no e-mail consent; one order of 100.00 on day 2, all returned;
    /// - cat: joined day 10, born in January, no orders, a review on day 12, level VIP by hand.
    struct Shop {
        let f: Fixture
        let ann: Int64
        let bob: Int64
        let cat: Int64
        var now: Date { f.day(20) }

        init() async throws {
            f = try await Fixture(program: SegmentStoreTests.program)
            f.clock.set(f.day(0))
            ann = try await f.store.enroll(
                EnrollmentRequest(
                    identities: [try .customer("ann"), try Identity(kind: "email", value: "ann@example.com")],
                    profile: Profile(
                        birthday: LocalDate(iso: "1990-03-15"), tags: ["vip-event"], consents: ["email": true], region: "Zhejiang", city: "Hangzhou",
                        channel: "app", gender: "f")), key: nil
            ).id
            bob = try await f.store.enroll(
                EnrollmentRequest(
                    identities: [try .customer("bob"), try Identity(kind: "phone", value: "+8613800000000")],
                    profile: Profile(consents: ["email": false], region: "Shanghai", city: "Shanghai", channel: "web", gender: "m")), key: nil
            ).id
            f.clock.set(f.day(10))
            cat = try await f.store.enroll(
                EnrollmentRequest(identities: [try .customer("cat")], profile: Profile(birthday: LocalDate(iso: "2000-01-20"))), key: nil
            ).id
            try await f.apply(.placed(f.order("O1", "ann", [20_000]), at: f.day(1)))
            try await f.apply(.completed("O1", at: f.day(1)))
            try await f.apply(.placed(f.order("O3", "bob", [10_000]), at: f.day(2)))
            try await f.apply(.completed("O3", at: f.day(2)))
            try await f.apply(.returned("O3", at: f.day(4), id: "R3"))
            _ = try await f.store.runActivation(asOf: f.day(9))
            _ = try await f.store.recordActivity(ActivityRequest(memberId: cat, kind: "review", key: "rev1", at: f.day(12)))
            _ = try await f.store.setLevel(
                LevelOverrideRequest(memberId: cat, level: "VIP", until: f.day(400), reason: "influencer", actor: "test", key: "cat-vip", at: f.day(12)))
            try await f.apply(.placed(f.order("O2", "ann", [30_000]), at: f.day(15)))
            _ = try await f.store.redeem(RedeemRequest(memberId: ann, rewardId: "teapot", key: "t1", at: f.day(16)))
            try await f.store.saveMemberScores(
                [
                    MemberScores(memberId: ann, rfmCell: "555", rfmSegment: "champions", loyaltyStage: "repeat_buyer", loyaltyType: "absolute", pAlive: 0.9,
                        expectedPurchases90: 2.5, clv12: 80_000, clvPercentile: 90),
                    MemberScores(memberId: bob, rfmCell: "211", rfmSegment: "lost", loyaltyStage: "first_time_buyer", loyaltyType: "non_loyal", pAlive: 0.2,
                        expectedPurchases90: 0.1, clv12: 0, clvPercentile: 10),
                ], fittedAt: f.day(19))
            f.clock.set(now)
        }

        func condition(_ yaml: String) async throws -> SegmentCondition {
            var vocabulary = SegmentStoreTests.vocabulary
            for record in try await f.store.segments() { vocabulary.stored[record.name] = record.definition }
            let text = "segments:\n  - name: probe\n    where: \(yaml)\n"
            return try SegmentFile.parse(text, vocabulary: vocabulary)[0].condition!
        }

        func members(_ yaml: String) async throws -> Set<String> {
            let ids = try await f.store.evaluateSegment(try await condition(yaml), at: now)
            let names = [ann: "ann", bob: "bob", cat: "cat"]
            return Set(ids.map { names[$0] ?? "\($0)" })
        }
    }

    static let cases: [(String, Set<String>)] = [
        ("{ level: VIP }", ["cat"]),
        ("{ level: [Member] }", ["ann", "bob"]),
        ("{ daysAtLevel: { min: 15 } }", ["ann", "bob"]),
        ("{ enrolled: { from: 2026-01-05 } }", ["cat"]),
        ("{ daysSinceEnrolment: { max: 15 } }", ["cat"]),
        ("{ birthdayMonth: 3 }", ["ann"]),
        ("{ birthdayMonth: current }", ["cat"]),
        ("{ tag: vip-event }", ["ann"]),
        ("{ city: Hangzhou }", ["ann"]),
        ("{ region: [Zhejiang, Shanghai] }", ["ann", "bob"]),
        ("{ channel: web }", ["bob"]),
        ("{ gender: f }", ["ann"]),
        ("{ identity: email }", ["ann"]),
        ("{ identity: phone }", ["bob"]),
        ("{ consent: email }", ["ann"]),
        ("{ activePoints: { min: 1 } }", ["ann", "cat"]),
        ("{ pendingPoints: { min: 300, max: 300 } }", ["ann"]),
        ("{ lifetimeEarned: { min: 100 } }", ["ann"]),
        ("{ lifetimeSpent: { min: 100 } }", ["ann"]),
        ("{ expiringPoints: { days: 30, min: 100 } }", ["ann"]),
        ("{ expiringPoints: { days: 10, min: 1 } }", []),
        ("{ orders: { min: 1 } }", ["ann", "bob"]),
        ("{ orders: { days: 10, min: 1 } }", ["ann"]),
        ("{ spend: { min: \"400.00\" } }", ["ann"]),
        ("{ spend: { days: 10, min: \"1.00\" } }", ["ann"]),
        ("{ daysSinceLastOrder: { min: 10 } }", ["bob"]),
        ("{ daysSinceLastOrder: { max: 7 } }", ["ann"]),
        ("{ not: { daysSinceLastOrder: { max: 7 } } }", ["bob", "cat"]),
        ("{ firstOrder: { from: 2026-01-02, to: 2026-01-02 } }", ["ann"]),
        ("{ averageOrderValue: { min: \"200.00\" } }", ["ann"]),
        ("{ returnRate: { min: 0.5 } }", ["bob"]),
        ("{ redemptions: { min: 1 } }", ["ann"]),
        ("{ redemptions: { days: 3, min: 1 } }", []),
        ("{ lastActivity: { kind: review, max: 10 } }", ["cat"]),
        ("{ lastActivity: { kind: review, min: 10 } }", []),
        ("{ rfmCell: [\"555\", \"554\"] }", ["ann"]),
        ("{ rfmSegment: lost }", ["bob"]),
        ("{ rfmSegment: { in: [lost], maxAge: 12h } }", []),
        ("{ loyaltyStage: repeat_buyer }", ["ann"]),
        ("{ loyaltyType: [non_loyal, latent] }", ["bob"]),
        ("{ pAlive: { max: 0.5 } }", ["bob"]),
        ("{ expectedPurchases90: { min: 1 } }", ["ann"]),
        ("{ clv12: { min: \"500.00\" } }", ["ann"]),
        ("{ clvPercentile: { min: 50, maxAge: 2d } }", ["ann"]),
        ("{ all: [ { channel: [app, web] }, { not: { consent: email } } ] }", ["bob"]),
        ("{ any: [ { level: VIP }, { returnRate: { min: 0.5 } } ] }", ["bob", "cat"]),
    ]

    @Test func everyConditionKindSelectsTheKnownMembers() async throws {
        let shop = try await Shop()
        for (yaml, expected) in Self.cases {
            let found = try await shop.members(yaml)
            #expect(found == expected, "\(yaml)")
        }
    }

    @Test func aSegmentReferenceSelectsThatSegmentsMembersAndAChangeMakesANewVersion() async throws {
        let shop = try await Shop()
        let buyers = SegmentDefinition(name: "buyers", kind: .dynamic, condition: try await shop.condition("{ orders: { min: 1 } }"))
        let saved = try await shop.f.store.saveSegments([buyers], actor: "ops", at: shop.now)
        #expect(saved.map(\.change) == ["created"])
        #expect(try await shop.members("{ all: [ { segment: buyers }, { consent: email } ] }") == ["ann"])
        #expect(try await shop.f.store.saveSegments([buyers], actor: "ops", at: shop.now).map(\.change) == ["unchanged"])
        var changed = buyers
        changed.condition = try await shop.condition("{ orders: { min: 2 } }")
        let second = try await shop.f.store.saveSegments([changed], actor: "ops", at: shop.now)
        #expect(second.map(\.change) == ["changed"])
        #expect(try await shop.f.store.segment(named: "buyers")?.version == 2)
        #expect(try await shop.members("{ segment: buyers }") == ["ann"])
        await #expect(throws: PatronError.self) {
            _ = try await shop.f.store.saveSegments([SegmentDefinition(name: "buyers", kind: .static, condition: nil)], actor: "ops", at: shop.now)
        }
    }

    @Test func refreshingADynamicSegmentWritesEntriesAndExitsToTheOutbox() async throws {
        let shop = try await Shop()
        let store = shop.f.store
        _ = try await store.createWebhookSubscription(
            NewWebhookSubscription(url: "https://shop.example/hooks", events: [.segmentEntered, .segmentLeft], at: shop.now))
        let recent = SegmentDefinition(name: "recent", kind: .dynamic, condition: try await shop.condition("{ orders: { days: 30, min: 1 } }"))
        _ = try await store.saveSegments([recent], actor: "ops", at: shop.now)
        let first = try await store.refreshSegment(named: "recent", at: shop.now)
        #expect(first == SegmentRefresh(segment: "recent", entered: 2, left: 0, members: 2))
        let segment = try #require(try await store.segment(named: "recent"))
        #expect(try await store.segmentMembers(segment: segment.id, limit: 10, after: 0).map(\.memberId) == [shop.ann, shop.bob])
        #expect(try await store.isSegmentMember(segment: segment.id, member: shop.bob))
        #expect(try await store.memberSegments(member: shop.ann) == ["recent"])
        // A month later bob's only order is 31 days old; ann's second order (day 15) is 16 days old.
        let later = shop.f.day(33)
        let second = try await store.refreshSegment(named: "recent", at: later)
        #expect(second == SegmentRefresh(segment: "recent", entered: 0, left: 1, members: 1))
        #expect(try await !store.isSegmentMember(segment: segment.id, member: shop.bob))
        let events = try await store.outbox(after: 0, limit: 100).filter { $0.kind.hasPrefix("segment.") }
        #expect(events.map(\.kind) == ["segment.entered", "segment.entered", "segment.left"])
        #expect(events.map(\.memberId) == [shop.ann, shop.bob, shop.bob])
        let payload = try JSONSerialization.jsonObject(with: Data(events[2].payload.utf8)) as! [String: Any]
        #expect(payload["segment"] as? String == "recent")
        #expect(payload["member_id"] as? Int == Int(shop.bob))
        #expect(payload["segment_version"] as? Int == 1)
    }

    @Test func followingChangesMovesAMemberWhoseLedgerChangedWithoutAFullRefresh() async throws {
        let shop = try await Shop()
        let store = shop.f.store
        _ = try await store.createWebhookSubscription(
            NewWebhookSubscription(url: "https://shop.example/hooks", events: [.segmentEntered, .segmentLeft], at: shop.now))
        let rich = SegmentDefinition(name: "rich", kind: .dynamic, condition: try await shop.condition("{ activePoints: { min: 50 } }"))
        _ = try await store.saveSegments([rich], actor: "ops", at: shop.now)
        _ = try await store.refreshSegment(named: "rich", at: shop.now)
        let segment = try #require(try await store.segment(named: "rich"))
        #expect(try await store.segmentMembers(segment: segment.id, limit: 10, after: 0).map(\.memberId) == [shop.ann])
        _ = try await store.followSegmentChanges(at: shop.now, limit: 1_000)  // the first pass starts at the present
        // cat earns 40 more points (60 in all): she enters; ann spends 100 and keeps 0 active: she leaves.
        _ = try await store.recordActivity(ActivityRequest(memberId: shop.cat, kind: "review", key: "rev2", at: shop.now))
        _ = try await store.recordActivity(ActivityRequest(memberId: shop.cat, kind: "review", key: "rev3", at: shop.now))
        _ = try await store.redeem(RedeemRequest(memberId: shop.ann, rewardId: "teapot", key: "t2", at: shop.now))
        let pass = try await store.followSegmentChanges(at: shop.now, limit: 1_000)
        #expect(pass.entered == 1 && pass.left == 1)
        #expect(try await store.segmentMembers(segment: segment.id, limit: 10, after: 0).map(\.memberId) == [shop.cat])
        #expect(try await store.segment(named: "rich")?.memberCount == 1)
        let kinds = try await store.outbox(after: 0, limit: 100).filter { $0.kind.hasPrefix("segment.") }.map { "\($0.kind) \($0.memberId)" }
        #expect(kinds == ["segment.entered \(shop.ann)", "segment.entered \(shop.cat)", "segment.left \(shop.ann)"])
        // Nothing changed since: the next pass moves nobody.
        let idle = try await store.followSegmentChanges(at: shop.now, limit: 1_000)
        #expect(idle.entered == 0 && idle.left == 0)
    }

    @Test func aFollowerPassEvaluatesEachSegmentOnlyForTheKindsOfChangeItsConditionReads() async throws {
        let shop = try await Shop()
        let store = shop.f.store
        let definitions = [
            ("emailable", "{ consent: email }"), ("two-orders", "{ orders: { min: 2 } }"), ("rich", "{ activePoints: { min: 50 } }"),
            ("emailable-buyers", "{ all: [{ consent: email }, { segment: two-orders }] }"),
        ]
        for (name, yaml) in definitions {
            _ = try await store.saveSegments(
                [SegmentDefinition(name: name, kind: .dynamic, condition: try await shop.condition(yaml))], actor: "ops", at: shop.now)
            _ = try await store.refreshSegment(named: name, at: shop.now)
        }
        _ = try await store.followSegmentChanges(at: shop.now, limit: 1_000)  // the first pass starts at the present
        // bob consents to e-mail (a profile edit: no mark the follower reads) and then places his second order (an order
        // change); cat's two reviews give her 60 active points (a points change).
        _ = try await store.updateMember(shop.bob, profile: ProfileUpdate(consents: ["email": true]), addIdentities: [], key: nil)
        try await shop.f.apply(.placed(shop.f.order("O4", "bob", [5_000]), at: shop.now))
        _ = try await store.recordActivity(ActivityRequest(memberId: shop.cat, kind: "review", key: "rev2", at: shop.now))
        _ = try await store.recordActivity(ActivityRequest(memberId: shop.cat, kind: "review", key: "rev3", at: shop.now))
        let pass = try await store.followSegmentChanges(at: shop.now, limit: 1_000)
        // bob and cat (on PostgreSQL also ann: the follower re-reads a trailing window of ledger ids there).
        #expect(pass.members >= 2)
        #expect(pass.entered == 3 && pass.left == 0)
        func members(_ name: String) async throws -> [Int64] {
            let segment = try #require(try await store.segment(named: name))
            let members = try await store.segmentMembers(segment: segment.id, limit: 10, after: 0).map(\.memberId)
            #expect(segment.memberCount == members.count, "\(name)'s member count")
            return members
        }
        #expect(try await members("two-orders") == [shop.ann, shop.bob])
        #expect(try await members("rich") == [shop.ann, shop.cat])
        // The order makes the follower evaluate bob for a segment with an order condition, consent included.
        #expect(try await members("emailable-buyers") == [shop.ann, shop.bob])
        // A consent-only segment reads nothing an order or points change moves: bob waits for the daily refresh.
        #expect(try await members("emailable") == [shop.ann])
        #expect(try await store.refreshSegment(named: "emailable", at: shop.now).entered == 1)
    }

    @Test func aStaticSegmentsImportReplacesItsMembersAndAnnouncesTheDifference() async throws {
        let shop = try await Shop()
        let store = shop.f.store
        _ = try await store.createWebhookSubscription(
            NewWebhookSubscription(url: "https://shop.example/hooks", events: [.segmentEntered, .segmentLeft], at: shop.now))
        _ = try await store.saveSegments([SegmentDefinition(name: "fair-2026", kind: .static, condition: nil)], actor: "ops", at: shop.now)
        #expect(try await store.replaceStaticSegmentMembers(segment: "fair-2026", members: [shop.ann, shop.bob], at: shop.now).entered == 2)
        let second = try await store.replaceStaticSegmentMembers(segment: "fair-2026", members: [shop.bob, shop.cat], at: shop.now)
        #expect(second == SegmentRefresh(segment: "fair-2026", entered: 1, left: 1, members: 2))
        #expect(try await shop.members("{ segment: fair-2026 }") == ["bob", "cat"])
        await #expect(throws: PatronError.self) { _ = try await store.refreshSegment(named: "fair-2026", at: shop.now) }
        let events = try await store.outbox(after: 0, limit: 100).filter { $0.kind.hasPrefix("segment.") }.map(\.kind)
        #expect(events == ["segment.entered", "segment.entered", "segment.entered", "segment.left"])
    }

    @Test func aPreviewCountsMembersAndTheirShareOfTheLastYearsRevenue() async throws {
        let shop = try await Shop()
        let preview = try await shop.f.store.previewSegment(try await shop.condition("{ consent: email }"), at: shop.now, sample: 5)
        #expect(preview.count == 1)
        #expect(preview.members == 3)
        #expect(preview.revenue12Months == 50_000)
        #expect(preview.totalRevenue12Months == 50_000)
        #expect(preview.sample == [shop.ann])
    }
}
