import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

/// `patron program compare DRAFT`: the shop's orders of a period replayed through the current program and a draft.
struct ProgramCompare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Replay the last months of orders through the current program and a draft, side by side; writes nothing.")
    @Argument(help: "The draft program file (YAML or JSON); leave out with --levels to try thresholds on the current program.")
    var file: String?
    @Option(help: "Months of orders to replay, up to the last order.") var months = 12
    @Option(help: "Level thresholds to try, comma-separated (399,688,888): one per level, or one per level above the first.")
    var levels: String?
    @Option(help: "The value of a point in the currency's major unit (0.01); default: the program's points-as-payment rate.")
    var pointValue: String?
    @Option(help: "The expected redemption rate, 0 to 1; default: observed in the ledger, or the typical rate for the program's age.")
    var redemptionRate: Double?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Also write a self-contained HTML report to this file.") var html: String?
    @Option(help: "The HTML report's language: en or zh-Hans.") var language = "en"
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard file != nil || levels != nil else { throw ValidationError("give a draft program file, --levels, or both") }
    }

    func run() async throws {
        try await reportingErrors {
            guard let reportLanguage = ReportLanguage(rawValue: language) else {
                throw PatronError(.invalidInput, "--language must be en or zh-Hans, not '\(language)'")
            }
            // The draft is validated before the database is opened: a bad draft is refused exactly as `program validate`.
            let loaded = try file.map { try ProgramFile.load(path: $0).program }
            let opened = try await store.open()
            let context = ServiceContext(store: opened, clock: try store.clock())
            var draft: Program
            if let loaded { draft = loaded } else { draft = try await context.currentProgram().program }
            if let levels { draft = try ProgramComparisonService.withThresholds(draft, levels) }
            let comparison = try await ProgramComparisonService(context: context).compare(
                draft: draft, options: .init(months: months, pointValue: pointValue, redemptionRate: redemptionRate))
            if json { try printJSON(comparison) } else { print(ProgramComparisonText(comparison: comparison).text) }
            if let html {
                do {
                    try comparison.html(language: reportLanguage).write(toFile: html, atomically: true, encoding: .utf8)
                } catch {
                    throw PatronError(.invalidInput, "cannot write --html \(html): \(error.localizedDescription)")
                }
                FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
            }
        }
    }
}
