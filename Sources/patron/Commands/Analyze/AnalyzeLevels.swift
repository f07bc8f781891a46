import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronServer

extension AnalyzeCommand {
    /// `patron analyze levels`: the textbook's two views of level calibration, from live data.
    struct Levels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "levels",
            abstract: "Level calibration: shares at today's thresholds, spend at today's share boundaries, thresholds for target shares.",
            discussion: """
                On the database, members qualify as the program's level review sees them: its metric (spend net of
                returns, orders or points) over its window (e.g. the last 12 months) as of the day after the last
                order, and the table also shows how many members hold each level now. On an orders file, by
                cumulative spend. Thresholds default to the program's levels; shares default to the shares those
                thresholds give today.
                  patron analyze levels --thresholds 0,399,688,888 --targets 80,15,4,1
                """)

        @OptionGroup var input: PurchaseInput
        @Option(help: "Level thresholds in major units, lowest first (default: the program's levels).") var thresholds: String?
        @Option(help: "Target shares in percent per level, lowest first (default: today's shares).") var targets: String?
        @Option(help: "Round suggested thresholds to this many major units.") var roundTo = "1"
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let data = try await input.dataset()
                let currency = data.currency
                let fromProgram = thresholds == nil && data.levels != nil
                let values: [Int64] =
                    (fromProgram ? data.levelValues : nil)
                    ?? data.members.map { $0.map(\.spend) }
                    ?? Dictionary(data.purchases.map { ($0.customer, $0.amount) }, uniquingKeysWith: +).values.sorted()
                let limits = try await levelThresholds(currency)
                guard let unit = DecimalText.scaled(roundTo, digits: currency.minorDigits), unit > 0 else {
                    throw PatronError(.invalidInput, "--round-to must be a positive amount, not '\(roundTo)'")
                }
                var shares: [Double]
                if let targets {
                    shares = try targets.split(separator: ",").map {
                        guard let value = Double($0.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                            throw PatronError(.invalidInput, "--targets: '\($0)' is not a percentage")
                        }
                        return value / 100
                    }
                } else {
                    let today = try LevelCalibration.shares(values: values, thresholds: limits)
                    let counted = max(1, today.members.reduce(0, +))
                    shares = today.members.map { Double($0) / Double(counted) }
                }
                var report = try LevelCalibration.calibrate(values: values, thresholds: limits, targetShares: shares, roundingUnit: unit)
                if fromProgram, let policy = data.levels {
                    let now = try await AnalyticsDataset.membersByLevel(store: input.store.open(), at: Date())
                    for i in report.levels.indices where i < policy.levels.count {
                        report.levels[i].name = policy.levels[i].name
                        report.levels[i].membersNow = now[policy.levels[i].name] ?? 0
                    }
                }
                try output.write(AnalyticsReport(title: .levels, calibration: report), input: input, currency: currency)
                if json { return try printAnalysisJSON(report) }
                let basis = fromProgram ? Self.basis(data.levels!) : "cumulative spend"
                print("\(grouped(report.members)) members qualify by \(basis) (\(grouped(report.belowEntry)) below the first level)")
                let now = report.levels.contains { $0.membersNow != nil }
                var table = Table(
                    ["level"] + (now ? ["members now"] : [])
                        + ["threshold", "qualify", "share", "target", "value at target boundary", "suggested threshold", "would give"],
                    rightAligned: Set(1...(now ? 8 : 7)))
                let money = { (minor: Int64) in Money(minor: minor, currency).majorText }
                let value: (Int64) -> String = fromProgram && data.levels?.metric != .spend ? { grouped($0) } : money
                for level in report.levels {
                    table.add(
                        [level.name ?? String(level.level)] + (now ? [grouped(level.membersNow ?? 0)] : [])
                            + [value(level.threshold), grouped(level.members), percent(level.share), percent(level.targetShare),
                               level.boundaryValue.map(value) ?? "", value(level.suggestedThreshold), percent(level.suggestedShare)])
                }
                print(table.text)
                if now {
                    print("\n\"members now\" is each member's level in the store (as `patron demo` and `member show` print it); \"qualify\" counts members by\n"
                        + "today's \(basis): they differ while levels are held for their validity or overridden.")
                }
            }
        }

        /// "spend over the last 12 months" and the like.
        static func basis(_ policy: LevelPolicy) -> String {
            let metric = switch policy.metric {
            case .spend: "spend"
            case .orders: "orders"
            case .points: "lifetime points"
            }
            if policy.metric == .points { return metric }
            return switch policy.window {
            case .lifetime: "lifetime \(metric)"
            case .rollingMonths(let months): "\(metric) over the last \(months) months"
            case .calendarYear: "\(metric) this calendar year"
            }
        }

        private func levelThresholds(_ currency: Currency) async throws -> [Int64] {
            if let thresholds {
                return try thresholds.split(separator: ",").map {
                    guard let minor = DecimalText.scaled(String($0).trimmingCharacters(in: .whitespaces), digits: currency.minorDigits) else {
                        throw PatronError(.invalidInput, "--thresholds: '\($0)' is not an amount")
                    }
                    return minor
                }
            }
            guard input.orders == nil, let levels = try await input.store.open().currentProgram()?.program.levels else {
                throw PatronError(.invalidInput, "give --thresholds (the program has no levels)")
            }
            return levels.levels.map(\.threshold)
        }
    }
}
