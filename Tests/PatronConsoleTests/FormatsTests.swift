import Foundation
import PatronCore
import Testing

@testable import PatronConsole

@Suite struct FormatsTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test func moneyUsesTheCurrencysDigitsAndTheLanguagesSymbol() {
        let cny = Formats(language: .english, currency: Currency(code: "CNY"), timeZone: Self.shanghai)
        #expect(cny.money(123_456_789) == "¥1,234,567.89")
        #expect(cny.money(-5) == "-¥0.05")
        let usdChinese = Formats(language: .simplifiedChinese, currency: Currency(code: "USD"), timeZone: Self.shanghai)
        #expect(usdChinese.money(1200) == "US$12.00")
        let jpy = Formats(language: .english, currency: Currency(code: "JPY"), timeZone: Self.shanghai)
        #expect(jpy.money(1500) == "¥1,500")
        let kwd = Formats(language: .english, currency: Currency(code: "KWD"), timeZone: Self.shanghai)
        #expect(kwd.money(1234) == "KWD 1.234")
    }

    @Test func numbersPointsAndPercentages() {
        let english = Formats(language: .english, currency: nil, timeZone: Self.shanghai)
        let chinese = Formats(language: .simplifiedChinese, currency: nil, timeZone: Self.shanghai)
        #expect(english.number(Int64(1_000_000)) == "1,000,000")
        #expect(english.number(Int64(-999)) == "-999")
        #expect(english.points(1234) == "1,234 pts")
        #expect(chinese.points(1234) == "1,234 积分")
        #expect(english.percent(0.1234) == "12.3%")
        #expect(english.decimal(-0.004, digits: 2) == "0.00")
        #expect(english.percent(.nan) == "–")
    }

    @Test func datesAreTheShopsDays() {
        // 2026-03-01 17:30 UTC is already 2 March in Shanghai.
        let instant = ISO8601DateFormatter().date(from: "2026-03-01T17:30:00Z")!
        #expect(Formats(language: .english, currency: nil, timeZone: Self.shanghai).date(instant) == "2 Mar 2026")
        #expect(Formats(language: .simplifiedChinese, currency: nil, timeZone: Self.shanghai).date(instant) == "2026年3月2日")
        #expect(Formats(language: .english, currency: nil, timeZone: Self.shanghai).instant(instant) == "2 Mar 2026, 01:30")
        #expect(Formats(language: .simplifiedChinese, currency: nil, timeZone: Self.shanghai).instant(instant) == "2026年3月2日 01:30")
        #expect(Formats(language: .english, currency: nil, timeZone: TimeZone(identifier: "UTC")!).date(instant) == "1 Mar 2026")
    }

    @Test func formsDecodeAndRefuseBadEscapes() throws {
        let form = try Form(urlEncoded: "a=1&b=x+y%26z&c=&a=2&name=%E4%B8%AD")
        #expect(form["a"] == "1")
        #expect(form.values("a") == ["1", "2"])
        #expect(form["b"] == "x y&z")
        #expect(form["c"] == "")
        #expect(form["name"] == "中")
        #expect(form["missing"] == nil)
        #expect(throws: FormError.self) { try Form(urlEncoded: "a=%ZZ") }
        #expect(throws: FormError.self) { try Form(urlEncoded: "a=%00") }
    }
}
