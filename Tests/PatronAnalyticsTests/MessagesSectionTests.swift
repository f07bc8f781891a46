import Foundation
import PatronCore
import Testing

@testable import PatronAnalytics

/// The HTML report's "Messages" section: kinds named in words, rates per message sent, attributed revenue in the
/// currency, and the Chinese page in Chinese.
@Suite struct MessagesSectionTests {
    static func report() -> AnalyticsReport {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let messages: [MessageStats.Sent] = [
            .init(id: 1, memberId: 1, kind: .welcome, channel: .email, status: .sent, sentAt: start, opened: true, clicked: true),
            .init(id: 2, memberId: 2, kind: .welcome, channel: .email, status: .sent, sentAt: start, opened: true),
            .init(id: 3, memberId: 3, kind: .inactive, channel: .email, journey: "winback", step: 2, status: .sent, sentAt: start),
            .init(id: 4, memberId: 4, kind: .inactive, channel: .email, journey: "winback", step: 2, status: .bounced, sentAt: nil),
        ]
        let orders = [MessageStats.Order(memberId: 3, placedAt: start.addingTimeInterval(3_600), amount: 123_456)]
        var report = AnalyticsReport(currency: "CNY")
        report.messages = MessageStats(since: start, until: start.addingTimeInterval(86_400 * 10), messages: messages, orders: orders, withdrawals: [])
        return report
    }

    @Test func theSectionNamesKindsAndShowsRatesAndAttributedRevenue() {
        let en = Self.report().html()
        #expect(en.contains("<h2>Messages</h2>") && en.contains("Welcome") && en.contains("Win-back") && en.contains("step 2"))
        #expect(en.contains("2 (100.0 %)"))  // both welcomes opened
        #expect(en.contains("CNY 1,234.56") && en.contains("within 7 days"))
        #expect(en.contains(">winback<"))
        #expect(AnalyticsReport(currency: "CNY").html().contains("<h2>Messages</h2>") == false)
    }

    @Test func theSectionsWindowIsWrittenInTheShopsTimeZone() {
        var report = Self.report()
        #expect(report.html().contains("2027-01-15 08:00 – 2027-01-25 08:00 UTC"), "without a time zone: UTC, said so")
        report.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let en = report.html()
        #expect(en.contains("Messages queued <span translate=\"no\">2027-01-15 16:00 – 2027-01-25 16:00 Asia/Shanghai</span> (shop&#39;s time)"))
        #expect(!en.contains("UTC"))
        #expect(report.html(language: .chinese).contains("2027-01-15 16:00 – 2027-01-25 16:00 Asia/Shanghai</span>（店铺时间）"))
    }

    @Test func theChineseSectionHasNoEnglishWordsOutsideData() {
        let zh = Self.report().html(language: .chinese)
        #expect(zh.contains("<h2>消息触达</h2>") && zh.contains("欢迎") && zh.contains("唤回") && zh.contains("第 2 步") && zh.contains("末次触达"))
        var text = zh.replacingOccurrences(of: #"<style>.*?</style>"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<([a-z]+)[^>]*translate="no"[^>]*>.*?</\1>"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
        let words = text.matches(of: /[A-Za-z]{2,}/).map { String($0.output) }.filter { !["Patron", "CNY"].contains($0) }
        #expect(words.isEmpty, "untranslated: \(Set(words).sorted())")
    }
}
