import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronStore

extension BenchCommand {
    /// `patron bench rules`: earning evaluation and checkout quotes in process, on one core.
    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Earning evaluations and checkout quotes per second in process, one core, a 5-line cart under a 10-rule program.")

        @Option(help: "Evaluations per measurement.") var iterations = 1_000_000
        @Option(help: "Measurements; the median is reported.") var rounds = 5

        func run() async throws {
            try await reportingErrors {
                let program = try ProgramFile.parse(Self.program)
                let lines = (0..<5).map { OrderLine(id: "\($0)", sku: "SKU-\($0)", category: $0 % 2 == 0 ? "tea" : "teaware", quantity: 1 + $0 % 3, unitPrice: 4_900 + Int64($0) * 2_300) }
                let order = Order(id: "bench", member: try .customer("bench"), lines: lines, shipping: 1_000, channel: "web")
                let context = EarningContext(
                    at: ISO8601DateFormatter().date(from: "2026-05-02T04:00:00Z")!, level: "Gold", tags: ["vip"],
                    birthday: LocalDate(year: 1990, month: 5, day: 2), isFirstOrder: false, usage: ["weekend": RuleUsage(day: 0)])
                let cart = Cart(lines: lines, shipping: 1_000, channel: "web", usePoints: 2_000)
                let expected = try EarningCalculator.earning(of: order, under: program, context: context)
                print("patron bench rules: \(program.earning.rules.count) rules, a \(lines.count)-line cart, \(iterations) evaluations × \(rounds) rounds, one thread")
                print("an order earns \(expected.points) points from \(expected.breakdown.count) rules")
                let earning = try measure {
                    guard try EarningCalculator.earning(of: order, under: program, context: context).points == expected.points else {
                        throw PatronError(.storage, "the earning changed between runs")
                    }
                }
                let quote = try measure { _ = try CheckoutQuoter.quote(cart, context: context, activePoints: 50_000, program: program) }
                var table = Table(["benchmark", "per second", "ns each", "target"], rightAligned: [1, 2, 3])
                table.add(["earning evaluation", grouped(Int64(earning)), String(format: "%.0f", 1e9 / earning), "500,000"])
                table.add(["checkout quote", grouped(Int64(quote)), String(format: "%.0f", 1e9 / quote), "200,000"])
                print(table.text)
            }
        }

        /// Runs `body` `iterations` times per round and returns the median rate per second.
        private func measure(_ body: () throws -> Void) throws -> Double {
            let clock = ContinuousClock()
            var rates: [Double] = []
            for _ in 0..<rounds {
                let start = clock.now
                for _ in 0..<iterations { try body() }
                let elapsed = clock.now - start
                rates.append(Double(iterations) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            }
            return rates.sorted()[rates.count / 2]
        }

        static let program = """
            name: Bench shop
            currency: CNY
            timeZone: Asia/Shanghai
            levels:
              tiers:
                - { name: Base, threshold: "0" }
                - { name: Silver, threshold: "500.00", benefits: { discountPercent: 3 } }
                - name: Gold
                  threshold: "2000.00"
                  benefits:
                    discountPercent: 5
                    spendAndSave: [{ spend: "300.00", save: "20.00" }, { spend: "500.00", save: "40.00" }]
                    freeShippingFrom: "99.00"
                    perks: [priority]
            earning:
              base: { excludeCategories: [gift-cards] }
              rules:
                - name: brackets
                  brackets: { steps: [{ points: 1 }, { from: "200.00", points: 1.5 }, { from: "800.00", points: 2 }] }
                - { name: levels, levelMultiplier: { Silver: 1.2, Gold: 1.5 } }
                - { name: tea, multiplier: 2, when: { categories: [tea] } }
                - { name: sku boost, multiplier: 1.5, when: { skus: [SKU-3] } }
                - { name: first order, firstOrderBonus: 100 }
                - { name: birthday, birthday: { bonus: 50, multiplier: 2, scope: day } }
                - { name: weekend, multiplier: 2, when: { from: 2026-05-01, to: 2026-05-03, channels: [web] }, limit: { perDay: 3 } }
                - { name: vip bonus, bonus: 20, when: { tags: [vip] } }
                - { name: big basket, bonus: 50, when: { minimumAmount: "300.00" }, limit: { perMonth: 2 } }
                - { name: app only, bonus: 10, when: { channels: [app] } }
            pointsAsPayment: { points: 100, per: "1.00", maxPercent: 30 }
            """
    }
}
