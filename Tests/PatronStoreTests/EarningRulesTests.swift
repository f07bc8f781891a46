import Foundation
@testable import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The earning rules and the checkout quote, driven by the example programs.
@Suite struct EarningRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let textbook = try! ProgramFile.load(path: root.appendingPathComponent("examples/programs/textbook.yaml").path).program
    let gold = try! ProgramFile.load(path: root.appendingPathComponent("examples/programs/gold-club.yaml").path).program

    func order(_ amounts: [Int64], categories: [String?]? = nil, channel: String? = nil) -> Order {
        Order(
            id: "O", member: try! .customer("c"),
            lines: amounts.enumerated().map { index, amount in
                OrderLine(id: "\(index)", sku: "S\(index)", category: categories?[index], quantity: 1, unitPrice: amount)
            }, channel: channel)
    }

    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test(arguments: [
        (19_999, 199),  // 199.99 → 1 point per yuan
        (20_000, 300),  // exactly 200.00 → the 1.5 bracket
        (79_999, 1_199),  // 799.99 × 1.5 = 1199.985 → floor once
        (80_000, 1_200),  // exactly 800.00 → still 1.5
        (80_001, 1_600),  // 800.01 → 2
        (100_000, 2_000),
    ] as [(Int64, Int64)])
    func bracketsOnTheirBoundaries(amount: Int64, points: Int64) throws {
        let earning = try EarningCalculator.earning(of: order([amount]), under: textbook, context: EarningContext(at: at("2026-03-01T04:00:00Z")))
        #expect(earning.points == points)
    }

    @Test func perSliceBracketsPriceEachSliceAtItsRate() {
        let steps = [Bracket(from: 0, points: Rate(1, per: 1)), Bracket(from: 20_000, points: Rate(15, per: 10)), Bracket(from: 80_000, points: Rate(2, per: 1))]
        // 1000.00: 200 × 1 + 600 × 1.5 + 200 × 2 = 1500 points.
        #expect(EarningCalculator.bracketMicro(100_000, steps, .perSlice, 100) == 1_500_000_000)
        #expect(EarningCalculator.bracketMicro(100_000, steps, .wholeOrder, 100) == 2_000_000_000)
    }

    @Test func rulesCombineAndTheOrderRoundsOnce() throws {
        // A VIP's first order of 300.00 in her birthday month: 450 base, +20 % level = 90, first order 100,
        // birthday double = 450 → 1090.
        let context = EarningContext(
            at: at("2026-05-10T04:00:00Z"), level: "VIP会员", birthday: LocalDate(year: 1990, month: 5, day: 31), isFirstOrder: true)
        let earning = try EarningCalculator.earning(of: order([30_000]), under: textbook, context: context)
        #expect(earning.breakdown.map(\.rule) == ["按金额阶梯", "等级加成", "首单奖励", "生日月双倍"])
        #expect(earning.breakdown.map(\.points) == ["450", "90", "100", "450"])
        #expect(earning.points == 1_090)
    }

    @Test func conditionsRestrictLinesDatesChannelsAndAmounts() throws {
        let coffee = order([10_000, 5_000], categories: ["coffee", "tea"], channel: "web")
        // Silver: 150 base + 25 % = 37.5, coffee line doubled: +100; not Black Friday; below 300.00.
        let march = try EarningCalculator.earning(of: coffee, under: gold, context: EarningContext(at: at("2026-03-02T15:00:00Z"), level: "Silver"))
        #expect(march.breakdown.map(\.points) == ["150", "37.5", "100"])
        #expect(march.points == 287)
        // On Black Friday via the web, triple on everything: +300.
        let friday = try EarningCalculator.earning(of: coffee, under: gold, context: EarningContext(at: at("2026-11-27T15:00:00Z"), level: "Silver"))
        #expect(friday.breakdown.first { $0.rule == "black friday" }?.points == "300")
        // In a shop, Black Friday does not count; a 300.00 basket gets the big-basket bonus.
        var store = order([30_000], channel: "store")
        store.lines[0].category = "tea"
        let inStore = try EarningCalculator.earning(of: store, under: gold, context: EarningContext(at: at("2026-11-27T15:00:00Z")))
        #expect(inStore.breakdown.map(\.rule) == ["base", "big basket"])
        #expect(inStore.points == 400)
    }

    @Test func limitsStopARuleAcrossItsWindow() throws {
        let context = EarningContext(at: at("2026-11-27T15:00:00Z"), usage: ["black friday": RuleUsage(day: 2, week: 2, month: 2, lifetime: 2)])
        let earning = try EarningCalculator.earning(of: order([10_000], channel: "web"), under: gold, context: context)
        #expect(earning.breakdown.first { $0.rule == "black friday" }?.note == "limit reached")
        #expect(earning.points == 100)
    }

    @Test func birthdaysCountInTheProgramsTimeZoneAndLeapDaysFallOnTheTwentyEighth() {
        #expect(EarningCalculator.isBirthday(LocalDate(year: 2000, month: 2, day: 29)!, LocalDate(year: 2026, month: 2, day: 28)!, .day))
        #expect(!EarningCalculator.isBirthday(LocalDate(year: 2000, month: 3, day: 1)!, LocalDate(year: 2026, month: 2, day: 28)!, .day))
        #expect(EarningCalculator.isBirthday(LocalDate(year: 2000, month: 2, day: 3)!, LocalDate(year: 2026, month: 2, day: 28)!, .month))
    }

    @Test func aQuoteAppliesSeveralBenefitsAtOnce() throws {
        let cart = Cart(
            lines: [OrderLine(sku: "TEA-1", quantity: 2, unitPrice: 27_500), OrderLine(sku: "TEA-RESERVE-2026", quantity: 1, unitPrice: 15_000)],
            shipping: 1_200, usePoints: 100_000)
        let quote = try CheckoutQuoter.quote(cart, context: EarningContext(at: at("2026-03-01T04:00:00Z"), level: "VIP会员"), activePoints: 5_000, program: textbook)
        // The reserve tea is for 至尊VIP会员 only: left out. 550.00 goods; 5 % off = 27.50 → 522.50; spend 500 save 40 → 482.50; free shipping from 99; points pay at most
        // 20 % (96.50 → 9,650 points) but the member holds 5,000 → 50.00 paid with points → 432.50 to pay.
        #expect(quote.goods == 55_000)
        #expect(quote.adjustments.map(\.amount) == [2_750, 4_000, 1_200, 5_000])
        #expect(quote.shipping == 1_200)  // before benefits; free shipping is the third adjustment
        #expect(quote.maxPayablePoints == 5_000 && quote.pointsUsed == 5_000)
        #expect(quote.total == 43_250)
        // Earns on 432.50 (1.5 bracket → 648.75) plus 20 % (129.75) = 778.5 → 778.
        #expect(quote.pointsEarned == 778)
        #expect(quote.refusedSKUs == ["TEA-RESERVE-2026"])
        #expect(quote.perks == ["专属客服"])
    }

    @Test func badProgramsAreRejectedWithTheirPaths() {
        let base = "name: X\ncurrency: CNY\ntimeZone: Asia/Shanghai\n"
        let cases: [(String, String)] = [
            (base + "earning:\n  rules:\n    - brackets: { steps: [{ points: 1 }, { from: \"800.00\", points: 2 }, { from: \"200.00\", points: 1.5 }] }",
             "earning.rules[0].brackets.steps[2].from"),
            (base + "levels:\n  tiers:\n    - { name: A, threshold: \"100.00\" }\n    - { name: B, threshold: \"50.00\" }\nearning: { points: 1, per: \"1.00\" }",
             "levels.tiers[1].threshold"),
            (base + "levels:\n  tiers: [{ name: A, threshold: \"0\" }]\nearning:\n  points: 1\n  per: \"1.00\"\n  rules:\n    - levelMultiplier: { Gold: 2 }",
             "earning.rules[0].levelMultiplier.Gold"),
            (base + "earning:\n  points: 1\n  per: \"1.00\"\n  rules:\n    - { bonus: 5, when: { levels: [Gold] } }", "earning.rules[0].when.levels[0]"),
            (base + "earning:\n  points: 1\n  per: \"1.00\"\n  rules:\n    - multiplier: -2", "earning.rules[0].multiplier"),
            (base + "earning:\n  rules:\n    - multiplier: 2", "earning (line 5): needs a base rule"),
            (base + "earning:\n  points: 1\n  per: \"1.00\"\n  rules:\n    - { name: base, bonus: 5 }", "earning.rules[0].name"),
        ]
        for (text, path) in cases {
            do {
                _ = try ProgramFile.parse(text)
                Issue.record("expected a problem at \(path)")
            } catch let error as PatronError {
                #expect(error.details.contains { $0.hasPrefix(path) }, "\(path) not in \(error.details)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}

/// Rule limits count in the program's calendar: a day or a month ends at local midnight, not UTC's.
@Suite struct RuleLimitEdgeTests {
    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func limitsResetAtTheShopsMidnightAndMonthEnd() async throws {
        let gold = try String(contentsOf: EarningRulesTests.root.appendingPathComponent("examples/programs/gold-club.yaml"), encoding: .utf8)
        let f = try await Fixture(program: gold)
        _ = try await f.member("ann")
        func place(_ id: String, _ amount: Int64, _ iso: String) async throws -> OrderOutcome {
            var order = f.order(id, "ann", [amount])
            order.channel = "web"
            return try await f.apply(.placed(order, at: at(iso)))
        }
        // "big basket": +100 for 300.00 or more, once a month (America/New_York).
        let november = try await place("A", 30_000, "2026-12-01T04:59:00Z")  // 23:59 on 30 November in New York
        let stillNovember = try await place("B", 30_000, "2026-12-01T04:59:30Z")
        let december = try await place("C", 30_000, "2026-12-01T05:00:00Z")  // 00:00 on 1 December in New York
        #expect(november.pendingDelta == 300 + 50 + 100 + 600)  // base, first order, big basket, black friday ×3 on the 30th
        #expect(stillNovember.pendingDelta == 300 + 600)  // big basket used up for November; black friday's 2nd of the day
        #expect(december.pendingDelta == 300 + 100)  // a new month: big basket again; black friday is over
        // "black friday": at most twice a day: a third order on the 30th gets no triple.
        let third = try await place("D", 30_000, "2026-12-01T04:59:45Z")
        #expect(third.pendingDelta == 300)
    }
}
