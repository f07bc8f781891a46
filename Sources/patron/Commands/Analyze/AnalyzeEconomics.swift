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
        @Option(help: "What one point is worth in major units (100 points = 1.00 → 0.01).") var pointValue = "0.01"
        @Option(help: "Operations cost on top of rewards, as a share (about 0.2, see docs/loyalty.md).") var operations = 0.2
        @Option(help: "Use this expected redemption rate (0–1) instead of estimating it.") var redemptionRate: Double?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let data = try await PurchaseInput.parse(["--database", store.database]).dataset()
                let currency = data.currency
                if !json, redemptionRate == nil, (data.ledgerMonths ?? []).allSatisfy({ $0.redeemed == 0 }) {
                    print("No points have been redeemed yet: the expected redemption rate is the default of docs/loyalty.md for the programme's age.\n")
                }
                let report = try StandardAnalyses.economics(data, pointValue: pointValue, operations: operations, redemptionRate: redemptionRate)
                try output.write(AnalyticsReport(title: "Programme economics", economics: report, minorUnitsPerMajor: Double(currency.minorPerMajor)))
                if json { return try printJSON(report) }
                var months = Table(["month", "sales", "issued", "redeemed", "expired", "outstanding"], rightAligned: [1, 2, 3, 4, 5])
                for p in report.periods {
                    months.add([p.period, Money(minor: p.sales, currency).majorText, grouped(p.issued), grouped(p.redeemed), grouped(p.expired), grouped(p.closingOutstanding)])
                }
                print(months.text)
                let money = { (minor: Double) in Money(minor: Int64(minor.rounded()), currency).description }
                print("""

                    Outstanding points: \(grouped(report.outstandingPoints)); expected redemption \(percent(report.redemption.expectedRate)) (\(report.redemption.source.rawValue)); breakage \(percent(report.breakage))
                    Liability: \(money(report.liability))
                    Cost: \(money(report.cost.total)) = \(report.cost.shareOfSales.map(percent) ?? "n/a") of sales (\(report.cost.verdict?.rawValue ?? "n/a") the \(percent(report.cost.benchmarkLow))–\(percent(report.cost.benchmarkHigh)) benchmark); accrued on points issued: \(report.cost.accruedShareOfSales.map(percent) ?? "n/a")
                    """)
            }
        }
    }
}
