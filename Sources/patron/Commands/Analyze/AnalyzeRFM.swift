import ArgumentParser
import PatronAnalytics
import PatronCore

extension AnalyzeCommand {
    /// `patron analyze rfm`: quintile scores and named segments.
    struct RFM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rfm", abstract: "Recency, frequency and monetary quintiles, and segments with their revenue shares.")

        @OptionGroup var input: PurchaseInput
        @Option(help: "Score as of this day (yyyy-MM-dd); default: the last purchase day.") var asOf: String?
        @Flag(help: "Print JSON (with every customer's scores).") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let (purchases, currency) = try await input.load()
                let report = try RFMAnalysis.run(purchases: purchases, asOfDay: try dayNumber(asOf, option: "--as-of"))
                try output.write(AnalyticsReport(title: "RFM segments", rfm: report, minorUnitsPerMajor: Double(currency.minorPerMajor)))
                if json { return try printJSON(report) }
                print("RFM segments of \(grouped(report.customers.count)) customers as of \(LocalDate(dayNumber: report.asOfDay))")
                var table = Table(["segment", "customers", "share", "revenue", "revenue share"], rightAligned: [1, 2, 3, 4])
                for segment in report.segments {
                    table.add([
                        segment.segment.rawValue, grouped(segment.customers), percent(segment.customerShare),
                        Money(minor: segment.revenue, currency).description, percent(segment.revenueShare),
                    ])
                }
                print(table.text)
            }
        }
    }
}
