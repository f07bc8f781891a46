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
        @Option(help: "Write every customer's scores to this CSV file (money in minor units, as in --json).") var customers: String?
        @Flag(help: "Print JSON (with every customer's scores; money in minor units: monetaryMinor, revenueMinor, currency).") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let (purchases, currency) = try await input.load()
                let report = try RFMAnalysis.run(purchases: purchases, asOfDay: try dayNumber(asOf, option: "--as-of"))
                    .labelled(currency: currency.code, minorUnitsPerMajor: currency.minorPerMajor)
                try output.write(AnalyticsReport(title: .rfm, rfm: report), input: input, currency: currency)
                if let customers {
                    try writeCSV(Self.csv(report), rows: report.customers.count, of: "customers' RFM scores", to: customers)
                }
                if json { return try printAnalysisJSON(report) }
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

        /// Every customer's scores; money in minor units, as in `--json`, with the unit and currency named.
        static func csv(_ report: RFMReport) -> CSVWriter {
            var csv = CSVWriter(header: ["customer", "recency_days", "purchase_days", "monetary_minor", "currency", "r", "f", "m", "segment"])
            for c in report.customers {
                csv.add([
                    .text(c.customer), CSVWriter.number(c.recencyDays), CSVWriter.number(c.frequency), CSVWriter.number(c.monetary),
                    .text(report.currency ?? ""), CSVWriter.number(c.r), CSVWriter.number(c.f), CSVWriter.number(c.m), .text(c.segment.rawValue),
                ])
            }
            return csv
        }
    }
}
