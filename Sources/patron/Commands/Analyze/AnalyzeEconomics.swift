import ArgumentParser
import PatronAnalytics
import PatronCore
import PatronServer

extension AnalyzeCommand {
    /// `patron analyze economics`: what the program costs and owes.
    struct Economics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "economics",
            abstract: "Points issued, redeemed and expired per month, liability, breakage and cost as a share of sales (database only).")

        @OptionGroup var store: StoreOptions
        @Option(help: "What one point is worth in major units (100 points = 1.00 → 0.01); default: the program's points-as-payment rate, else 0.01.") var pointValue: String?
        @Option(help: "Operations cost on top of rewards, as a share (about 0.2, see docs/loyalty.md).") var operations = 0.2
        @Option(help: "Use this expected redemption rate (0–1) instead of estimating it.") var redemptionRate: Double?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let input = try PurchaseInput.parse(["--database", store.database])
                let data = try await input.dataset()
                let currency = data.currency
                let report = try StandardAnalyses.economics(data, pointValue: pointValue, operations: operations, redemptionRate: redemptionRate)
                try output.write(AnalyticsReport(title: .economics, economics: report), input: input, currency: currency)
                if json { return try printAnalysisJSON(report) }
                var months = Table(["month", "sales", "issued", "redeemed", "expired", "outstanding"], rightAligned: [1, 2, 3, 4, 5])
                for p in report.periods {
                    months.add([p.period, Money(minor: p.sales, currency).majorText, grouped(p.issued), grouped(p.redeemed), grouped(p.expired), grouped(p.closingOutstanding)])
                }
                print(months.text)
                let money = { (minor: Double) in Money(minor: Int64(minor.rounded()), currency).description }
                print("""

                    Outstanding points: \(grouped(report.outstandingPoints)); expected redemption \(percent(report.redemption.expectedRate)) (\(report.redemption.source.rawValue)): \(report.redemption.explanation); breakage \(percent(report.breakage))
                    Point value: \(String(format: "%.4f", report.pointValue / Double(currency.minorPerMajor))) \(currency.code) per point
                    Liability: \(money(report.liability))
                    Cost (expected redemption of the \(grouped(report.issued)) points issued, with \(percent(report.operationsShare)) operations): \(money(report.cost.total)) = \(report.cost.shareOfSales.map(percent) ?? "n/a") of sales (\(report.cost.verdict?.rawValue ?? "n/a") the \(percent(report.cost.benchmarkLow))–\(percent(report.cost.benchmarkHigh)) benchmark)
                    Redeemed so far: \(money(report.cost.redeemedSoFar)) = \(report.cost.redeemedShareOfSales.map(percent) ?? "n/a") of sales
                    """)
            }
        }
    }
}
