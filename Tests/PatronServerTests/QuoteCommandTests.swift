import Foundation
import Testing

/// `patron quote` as a person reads it: the printed lines add up to what is to pay.
@Suite struct QuoteCommandTests {
    /// The signed amount at the end of a printed line (`−20.00 CNY`, `1,234.50 CNY`), in minor units.
    func amount(_ line: String) -> Int64? {
        guard let match = line.firstMatch(of: /([−-]?)([0-9][0-9,]*)\.([0-9]{2})\s*[A-Z]{3}\s*$/) else { return nil }
        let minor = Int64(String(match.2).replacingOccurrences(of: ",", with: ""))! * 100 + Int64(match.3)!
        return match.1.isEmpty ? minor : -minor
    }

    @Test(arguments: [
        ["--line", "TEA-1:2:200.00", "--line", "TEA-RESERVE-2026:1:150.00", "--shipping", "12.00", "--level", "VIP会员", "--points", "5000", "--use-points", "100000"],
        ["--line", "TEA-1:2:200.00", "--shipping", "12.00", "--level", "VIP会员", "--points", "5000", "--use-points", "2000"],
        ["--line", "TEA-1:1:50.00", "--shipping", "8.00", "--level", "高级会员"],
        ["--amount", "1234.56", "--shipping", "15.00", "--level", "至尊VIP会员", "--points", "100000", "--use-points", "100000"],
    ])
    func thePrintedLinesSumToWhatIsToPay(cart: [String]) throws {
        let (status, data) = try runPatron(["quote", "--program", "examples/programs/textbook.yaml", "--at", "2026-03-01T12:00:00+08:00"] + cart)
        let text = String(decoding: data, as: UTF8.self)
        #expect(status == 0, "\(text)")
        let lines = text.split(separator: "\n").map(String.init)
        let toPay = try #require(lines.first { $0.hasPrefix("to pay") }.flatMap(amount), "\(text)")
        let start = try #require(lines.firstIndex { $0.hasPrefix("goods") }, "\(text)")
        let end = try #require(lines.firstIndex { $0.hasPrefix("to pay") })
        let printed = lines[start..<end].map { amount($0) }
        #expect(!printed.contains(nil), "\(text)")
        #expect(printed.compactMap { $0 }.reduce(0, +) == toPay, "\(text)")
        if cart.contains("12.00") { #expect(lines.contains { $0.hasPrefix("shipping") && amount($0) == 1_200 }, "\(text)") }
    }

    @Test func couponNamesTheHolderFlagThatExists() throws {
        let help = String(decoding: try runPatron(["quote", "--help"]).output, as: UTF8.self)
        #expect(help.contains("--holder") && !help.contains("--member"))
        let (status, _) = try runPatron(["quote", "--program", "examples/programs/textbook.yaml", "--amount", "10.00", "--coupon", "ABC"])
        #expect(status != 0)
    }
}
