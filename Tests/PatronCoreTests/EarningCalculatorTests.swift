import Foundation
import Testing

@testable import PatronCore

@Suite struct EarningCalculatorTests {
    /// A member without level, tags or birthday, on an ordinary day.
    let anyone = EarningContext(at: Date(timeIntervalSince1970: 1_767_225_600))

    func program(points: String = "1", per: Int64 = 100, base: EarningBase = EarningBase(), rounding: Rounding = .floor) -> Program {
        Program(
            name: "Test", currency: Currency(code: "CNY")!, timeZone: TimeZone(identifier: "Asia/Shanghai")!,
            earning: EarningPolicy(points: Rate(decimal: points)!, perMinor: per, base: base, rounding: rounding))
    }

    func order(_ lines: [OrderLine], shipping: Int64 = 0, tax: Int64 = 0, discount: Int64 = 0, currency: String? = nil) -> Order {
        Order(id: "O1", member: try! .customer("C1"), currency: currency, lines: lines, shipping: shipping, tax: tax, discount: discount)
    }

    @Test func roundsOncePerOrderNotPerLine() throws {
        // Three lines of 0.99 at 1 point per yuan: per line each would floor to 0; once per order 2.97 → 2.
        let lines = (1...3).map { OrderLine(id: "\($0)", sku: "S\($0)", quantity: 1, unitPrice: 99) }
        #expect(try EarningCalculator.earning(of: order(lines), under: program(), context: anyone).points == 2)
        #expect(try EarningCalculator.earning(of: order(lines), under: program(rounding: .nearest), context: anyone).points == 3)
    }

    @Test func baseIsAfterDiscountsWithoutShippingTaxOrExclusions() throws {
        let base = EarningBase(excludedSKUs: ["GIFTCARD"], excludedCategories: ["deposit"])
        let lines = [
            OrderLine(id: "a", sku: "TEA", quantity: 2, unitPrice: 10_000, discount: 2_000),  // 180.00
            OrderLine(id: "b", sku: "GIFTCARD", quantity: 1, unitPrice: 50_000),
            OrderLine(id: "c", sku: "JAR", category: "deposit", quantity: 1, unitPrice: 1_000),
        ]
        let earning = try EarningCalculator.earning(of: order(lines, shipping: 1_200, tax: 900), under: program(base: base), context: anyone)
        #expect(earning.base == 18_000)
        #expect(earning.lineBases == [18_000, 0, 0])
        #expect(earning.points == 180)

        let withShipping = EarningBase(includeShipping: true, includeTax: true)
        #expect(try EarningCalculator.earning(of: order([lines[0]], shipping: 1_200, tax: 900), under: program(base: withShipping), context: anyone).base == 20_100)
    }

    @Test func orderDiscountLowersEligibleLinesInProportionAndSumsExactly() throws {
        let lines = [
            OrderLine(id: "a", sku: "A", quantity: 1, unitPrice: 10_000),
            OrderLine(id: "b", sku: "B", quantity: 1, unitPrice: 20_000),
            OrderLine(id: "c", sku: "C", quantity: 1, unitPrice: 30_001),
        ]
        let earning = try EarningCalculator.earning(of: order(lines, discount: 6_001), under: program(), context: anyone)
        #expect(earning.base == 60_001 - 6_001)
        #expect(earning.lineBases.reduce(0, +) == earning.base)
    }

    @Test func fractionalRatesAreExact() throws {
        // 1.5 points per yuan on 200.01 yuan = 300.015 → 300.
        let earning = try EarningCalculator.earning(of: order([OrderLine(sku: "A", quantity: 1, unitPrice: 20_001)]), under: program(points: "1.5"), context: anyone)
        #expect(earning.points == 300)
    }

    @Test func refusesAnotherCurrency() {
        #expect {
            try EarningCalculator.earning(of: order([OrderLine(sku: "A", quantity: 1, unitPrice: 100)], currency: "USD"), under: program(), context: anyone)
        } throws: { ($0 as? PatronError)?.code == .currencyMismatch }
    }
}
