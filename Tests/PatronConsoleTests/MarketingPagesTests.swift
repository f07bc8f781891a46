import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The marketing pages: the lists, a segment's preview, a campaign's report and its lifecycle steps (confirmed,
/// audited with the account, refused steps shown with their reason).
@Suite struct MarketingPagesTests {
    static let campaign = """
        name: spring
        description: Spring <b>bonus</b>
        segment: regulars
        window: { starts: 2026-03-01, ends: 2026-03-31 }
        attributionDays: 7
        holdout: 50
        budget: { points: 5000 }
        actions:
          - grantPoints: 100
        """

    /// Six members: four in the dynamic segment `regulars` (at least one order), two who never ordered; four
    /// orders of 50.00 USD over the last year from the regulars.
    static func shop(_ console: ConsoleHarness) async throws {
        let store = console.store
        for index in 0..<6 {
            _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("c\(index)")]), key: nil)
        }
        for index in 0..<4 {
            let order = Order(id: "o\(index)", member: try .customer("c\(index)"), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 5_000)])
            _ = try await store.apply([.placed(order, at: console.clock.now().addingTimeInterval(-86_400 * Double(index + 1)))], options: ApplyOptions())[0].get()
        }
        _ = try await SegmentService(context: console.context).load(
            text: "segments:\n  - name: regulars\n    description: Anyone who ordered\n    where:\n      orders: { min: 1 }\n", actor: "test")
        _ = try await CampaignService(context: console.context).create(text: campaign, actor: "test")
    }

    @Test func theMarketingPageListsSegmentsAndCampaignsInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let marketer = try await console.browser(.marketer)
            let english = try await console.get("/console/marketing?lang=en", as: marketer)
            #expect(english.status == 200)
            for expected in ["regulars", "dynamic", "Anyone who ordered", "spring", "draft", "0 pts / 5,000 pts", "href=\"/console/marketing\" aria-current=\"page\""] {
                #expect(english.text.contains(expected), "missing \(expected)")
            }
            let chinese = try await console.get("/console/marketing?lang=zh-Hans", as: marketer)
            for expected in ["分群", "动态", "草稿", "营销活动"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }
            let support = try await console.get("/console/marketing", as: try await console.browser(.readOnly))
            #expect(support.status == 403, "read-only accounts may not use marketing")
            let overview = try await console.get("/console/", as: try await console.browser(.readOnly))
            #expect(!overview.text.contains("href=\"/console/marketing\""), "the navigation hides marketing from roles without it")
        }
    }

    @Test func aSegmentPreviewShowsCountSharesAndASample() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let marketer = try await console.browser(.marketer)
            let page = try await console.get("/console/marketing/segments/regulars?lang=en", as: marketer)
            #expect(page.status == 200)
            // 4 of 6 members (66.7 %), all of the 200.00 USD revenue (100.0 %).
            for expected in [">4<", "of 6", "66.7%", "100.0%", "customer:c0", "customer:c3", "/console/members/"] {
                #expect(page.text.contains(expected), "missing \(expected)")
            }
            #expect(!page.text.contains("customer:c4"), "a member without orders is not in the sample")
            let missing = try await console.get("/console/marketing/segments/nobody", as: marketer)
            #expect(missing.status == 404)
        }
    }

    @Test func campaignStepsNeedConfirmationAreAuditedAndRefusedStepsSayWhy() async throws {
        try await ConsoleHarness.run { console in
            try await Self.shop(console)
            let marketer = try await console.browser(.marketer)
            let draft = try await console.get("/console/marketing/campaigns/spring?lang=en", as: marketer)
            #expect(draft.status == 200)
            #expect(draft.text.contains("Spring &lt;b&gt;bonus&lt;/b&gt;"), "the description is escaped")
            #expect(draft.text.contains("/console/marketing/campaigns/spring/start") && draft.text.contains("/console/marketing/campaigns/spring/cancel"))
            #expect(!draft.text.contains("/console/marketing/campaigns/spring/pause"), "a draft is not offered pause")

            let unconfirmed = try await console.post("/console/marketing/campaigns/spring/start", [], as: marketer)
            #expect(unconfirmed.status == 400)
            #expect(unconfirmed.text.contains("Tick the confirmation box"))
            #expect(try await console.store.campaign(named: "spring")?.status == .draft, "nothing changes without confirmation")

            let start = try await console.post("/console/marketing/campaigns/spring/start", [("confirm", "yes")], as: marketer)
            #expect(start.status == 303)
            #expect(start.location == "/console/marketing/campaigns/spring")
            let record = try #require(try await console.store.campaign(named: "spring"))
            #expect(record.status == .running)
            #expect(record.treated + record.control == 4, "starting assigns the segment's four members")
            let audit = try await console.store.auditLog(after: 0, limit: 100, subject: "campaign:spring")
            #expect(audit.map(\.action).contains("campaign.start"))
            #expect(audit.first { $0.action == "campaign.start" }?.actor == "staff:marketer")

            let refused = try await console.post("/console/marketing/campaigns/spring/resume", [("confirm", "yes")], as: marketer)
            #expect(refused.status == 409)
            #expect(refused.text.contains("cannot resume"), "the refusal says why")
            #expect(try await console.store.campaign(named: "spring")?.status == .running)

            let report = try await console.get("/console/marketing/campaigns/spring?lang=en", as: marketer)
            for expected in ["Treated", "Control", "95 % interval", "Cost per incremental order", "running"] {
                #expect(report.text.contains(expected), "missing \(expected)")
            }
            let chinese = try await console.get("/console/marketing/campaigns/spring?lang=zh-Hans", as: marketer)
            for expected in ["受惠组", "对照组", "95% 区间", "运行中", "暂停"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }
            let bogus = try await console.post("/console/marketing/campaigns/spring/schedule", [("confirm", "yes")], as: marketer)
            #expect(bogus.status == 404, "steps the page does not offer are not accepted")
        }
    }
}
