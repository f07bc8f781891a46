import Foundation
import HTTPTypes
import PatronCore
import PatronServices
import Testing

@testable import PatronConsole
@testable import PatronStore

/// The reasons the system records (`review`, `campaign:win-back`, `qualified` …) reach pages in words, in English
/// and in 简体中文, and nothing the system wrote is left in English on a Chinese page.
@Suite struct ReasonTextTests {
    /// The Latin words (two letters or more) a reader sees in `html`: the text between tags, entities removed.
    static func latinWords(_ html: String) -> Set<String> {
        let text = html.replacing(#/<[^>]*>/#, with: " ").replacing(#/&#?[A-Za-z0-9]+;/#, with: " ")
        return Set(text.matches(of: #/[A-Za-z]{2,}/#).map { String($0.output) })
    }

    /// Ann of `MemberZoneTests.setUp` also wrote a review, had a campaign's points and a birthday gift; returns her id.
    static func shop(_ console: ConsoleHarness) async throws -> Int64 {
        let (ann, _) = try await MemberZoneTests.setUp(console)
        let now = console.clock.now()
        _ = try await console.store.recordActivity(ActivityRequest(memberId: ann, kind: "review", key: "review-1", at: now))
        // What a campaign's `grantPoints` and the birthday job record, through the store's own credit.
        let store = console.store
        for reason in ["campaign:win-back", "birthday gift 2026"] {
            _ = try await store.writer.submit { db in
                try store.creditActive(db, member: ann, points: 30, reason: reason, at: now, version: try store.requireProgram(db))
            }
        }
        return ann
    }

    @Test(arguments: ConsoleLanguage.allCases)
    func eachRecordedReasonIsInWords(language: ConsoleLanguage) async throws {
        try await ConsoleHarness.run { console in
            let base = try await TemplateLookupTests.base(console, "/member/history", language)
            let formats = try await base.kit.formats(language)
            let english = language == .english
            let member: [(String, String)] = [
                ("review", english ? "writing a review" : "发表评价"),
                ("checkIn, 7-day streak", english ? "daily check-in, 7-day streak" : "每日签到，连续 7 天"),
                ("campaign:win-back", english ? "a special offer" : "会员专享活动"),
                ("birthday gift 2026", english ? "birthday gift 2026" : "2026 年生日礼"),
                ("referred member 12", english ? "for referring a friend" : "推荐好友奖励"),
                ("ticket 4: sorry for the wait", english ? "service ticket 4: sorry for the wait" : "服务工单 4：sorry for the wait"),
                ("survey", "survey"),  // a shop's own activity keeps its name
                ("welcome gift", "welcome gift"),  // a reason a person wrote is shown as written
            ]
            for (reason, words) in member { #expect(ReasonText.entry(reason, for: .member, base) == words, "\(reason)") }
            let staff: [(String, String)] = [
                ("campaign:win-back", english ? "campaign win-back" : "营销活动 win-back"),
                ("redeemed coupon-5", english ? "redeemed coupon-5" : "兑换 coupon-5"),
                ("redemption 9 reversed: wrong item", english ? "redemption 9 reversed: wrong item" : "兑换 9 已撤销：wrong item"),
                ("points paid for order A-1 given back", english ? "points paid for order A-1 given back" : "订单 A-1 抵扣的积分已退回"),
                ("paid order A-1", english ? "paid towards order A-1" : "抵扣订单 A-1"),
                ("order cancelled", english ? "order cancelled" : "订单已取消"),
                ("to member 3", english ? "sent to member 3" : "转给会员 3"),
            ]
            for (reason, words) in staff { #expect(ReasonText.entry(reason, for: .staff, base) == words, "\(reason)") }
            #expect(ReasonText.levelChange("qualified", base, formats) == (english ? "reached the level's threshold" : "达到等级门槛"))
            #expect(ReasonText.levelChange("validity ended", base, formats) == (english ? "the level's validity ended" : "等级有效期届满"))
            // gold-club's zone is New York: the override's end is shown as the shop's wall time.
            #expect(
                ReasonText.levelChange("override until 2026-06-01T00:00:00-04:00: VIP guest", base, formats)
                    == (english ? "set by staff until 1 Jun 2026, 00:00: VIP guest" : "人工设定，至 2026年6月1日 00:00：VIP guest"))
        }
    }

    @Test func theMemberHistoryInChineseHasNoEnglishTheSystemWrote() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.shop(console)
            let chinese = try await console.get("/member/history?lang=zh-Hans", as: console.memberBrowser(ann))
            #expect(chinese.status == 200)
            // The layout's content-type line leaves nothing before the doctype.
            #expect(chinese.text.hasPrefix("<!doctype html>\n<html lang=\"zh-Hans\">"))
            for words in ["发表评价", "会员专享活动", "2026 年生日礼"] { #expect(chinese.text.contains(words), "\(words)") }
            // Left in Latin letters: the language switch's own name, and the reason the shop wrote for the welcome gift.
            #expect(Self.latinWords(chinese.text).subtracting(["English", "welcome", "gift"]).sorted() == [])
            let english = try await console.get("/member/history?lang=en", as: console.memberBrowser(ann))
            for words in ["(writing a review)", "(a special offer)", "(birthday gift 2026)"] { #expect(english.text.contains(words), "\(words)") }
            #expect(!english.text.contains("win-back"), "a campaign's name is the shop's, not the member's")
        }
    }

    @Test func theStaffMemberPageNamesConsentChannelsInWords() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await MemberZoneTests.setUp(console)  // Ann consents to e-mail
            let browser = try await console.browser(.owner)
            let chinese = try await console.get("/console/members/\(ann)?lang=zh-Hans", as: browser)
            #expect(chinese.text.contains("<p>电子邮件: <span class=\"badge on\">"))
            #expect(!chinese.text.contains("<p>email:"))
            let english = try await console.get("/console/members/\(ann)?lang=en", as: browser)
            #expect(english.text.contains("<p>E-mail: <span class=\"badge on\">"))
        }
    }

    @Test func theStaffMemberPageShowsLevelChangesAndLedgerReasonsInWords() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.shop(console)
            let browser = try await console.browser(.owner)
            let chinese = try await console.get("/console/members/\(ann)?lang=zh-Hans", as: browser)
            #expect(chinese.status == 200)
            for words in ["<td>达到等级门槛</td>", "<td>发表评价</td>", "<td>营销活动 win-back</td>", "<td>2026 年生日礼</td>"] {
                #expect(chinese.text.contains(words), "\(words)")
            }
            for code in ["<td>qualified</td>", "<td>review</td>", "<td>campaign:win-back</td>"] { #expect(!chinese.text.contains(code), "\(code)") }
            let english = try await console.get("/console/members/\(ann)?lang=en", as: browser)
            for words in ["<td>reached the level&#39;s threshold</td>", "<td>writing a review</td>", "<td>campaign win-back</td>"] {
                #expect(english.text.contains(words), "\(words)")
            }
        }
    }
}
