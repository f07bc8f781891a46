import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore

extension AnalyzeCommand {
    /// `patron analyze levels`: the textbook's two views of level calibration, from live data.
    struct Levels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "levels",
            abstract: "Level calibration: shares at today's thresholds, spend at today's share boundaries, thresholds for target shares.",
            discussion: """
                Members qualify by cumulative spend (net of returns). Thresholds default to the program's levels;
                shares default to the shares those thresholds give today.
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
                let values: [Int64] =
                    data.members.map { $0.map(\.spend) }
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
                let report = try LevelCalibration.calibrate(values: values, thresholds: limits, targetShares: shares, roundingUnit: unit)
                try output.write(AnalyticsReport(title: "Level calibration", calibration: report, minorUnitsPerMajor: Double(currency.minorPerMajor)))
                if json { return try printJSON(report) }
                print("\(grouped(report.members)) members by cumulative spend (\(grouped(report.belowEntry)) below the first level)")
                var table = Table(
                    ["level", "threshold", "members", "share", "target", "spend at target boundary", "suggested threshold", "would give"],
                    rightAligned: [1, 2, 3, 4, 5, 6, 7])
                let money = { (minor: Int64) in Money(minor: minor, currency).majorText }
                for level in report.levels {
                    table.add([
                        String(level.level), money(level.threshold), grouped(level.members), percent(level.share), percent(level.targetShare),
                        level.boundaryValue.map(money) ?? "", money(level.suggestedThreshold), percent(level.suggestedShare),
                    ])
                }
                print(table.text)
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
            guard input.orders == nil, let levels = try await input.store.open().currentProgram()?.program.levels, levels.metric == .spend else {
                throw PatronError(.invalidInput, "give --thresholds (the program has no spend-based levels)")
            }
            return levels.levels.map(\.threshold)
        }
    }
}
