import Testing

@testable import PatronCore

@Suite struct MoneyTests {
    @Test(arguments: [("29.33", 2933), ("0.5", 50), ("-5", -500), ("+7.00", 700), ("1000000", 100_000_000)] as [(String, Int64)])
    func decimalTextParsesExactly(text: String, minor: Int64) {
        #expect(DecimalText.scaled(text, digits: 2) == minor)
    }

    @Test(arguments: ["1,234.50", "12.345", "abc", "", ".", "1.2.3", "99999999999999999999", "--1"])
    func decimalTextRefusesWhatIsNotAPlainAmount(text: String) {
        #expect(DecimalText.scaled(text, digits: 2) == nil)
    }

    @Test func formattingRoundTrips() {
        #expect(DecimalText.format(2933, digits: 2) == "29.33")
        #expect(DecimalText.format(-5, digits: 2) == "-0.05")
        #expect(DecimalText.format(7, digits: 0) == "7")
        #expect(Money(minor: 123_450, Currency(code: "CNY")!).description == "1234.50 CNY")
    }

    @Test func currenciesKnowTheirMinorUnit() {
        #expect(Currency(code: "cny")?.minorDigits == 2)
        #expect(Currency(code: "JPY")?.minorDigits == 0)
        #expect(Currency(code: "KWD")?.minorDigits == 3)
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "US") == nil)
    }

    @Test func ratesRoundOnceAsAsked() {
        let rate = Rate(decimal: "1.5")!
        #expect(rate.numerator == 15 && rate.denominator == 10)
        #expect(rate.apply(to: 3, rounding: .floor) == 4)  // 4.5
        #expect(rate.apply(to: 3, rounding: .nearest) == 5)
        #expect(rate.apply(to: 3, rounding: .ceiling) == 5)
        #expect(rate.apply(to: -3, rounding: .floor) == -5)
        #expect(Rate(decimal: "-1") == nil)
        #expect(Rate.divide(Int64.max, times: 3, by: 2, rounding: .floor) == nil)
    }
}
