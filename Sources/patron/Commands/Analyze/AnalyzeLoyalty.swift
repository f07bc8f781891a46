import ArgumentParser
import PatronAnalytics
import PatronCore
import PatronServer

extension AnalyzeCommand {
    /// `patron analyze loyalty`: loyalty stages and the causes of repeat buying the data can show.
    struct Loyalty: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loyalty", abstract: "Loyalty stages (suspect … advocate) and causes of repeat buying (price, incentive, habitual, super-value).")

        @OptionGroup var input: PurchaseInput
        @Flag(help: "Print JSON (with every customer).") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let data = try await input.dataset()
                let report = try StandardAnalyses.loyalty(data)
                try output.write(AnalyticsReport(title: .loyalty, loyalty: report), input: input, currency: data.currency)
                if json { return try printAnalysisJSON(report) }
                var stages = Table(["stage", "customers", "share"], rightAligned: [1, 2])
                for stage in report.stages { stages.add([stage.key.rawValue, grouped(stage.customers), percent(stage.share)]) }
                print("Loyalty stages\n" + stages.text)
                if let quadrants = report.quadrants {
                    // Attitude from the members' latest NPS answers (promoter = high), behaviour from their purchases.
                    var table = Table(["attitude × behaviour", "members", "share"], rightAligned: [1, 2])
                    for quadrant in quadrants { table.add([quadrant.key.rawValue, grouped(quadrant.customers), percent(quadrant.share)]) }
                    print("\nLoyalty types of the \(grouped(report.surveyed)) members who answered an NPS survey\n" + table.text)
                }
                var causes = Table(["cause of repeat buying", "repeat buyers", "share"], rightAligned: [1, 2])
                for cause in report.causes { causes.add([cause.key.rawValue, grouped(cause.customers), percent(cause.share)]) }
                print("\nWhy \(grouped(report.repeatBuyers)) repeat buyers come back (one buyer may show several)\n" + causes.text)
            }
        }
    }
}
