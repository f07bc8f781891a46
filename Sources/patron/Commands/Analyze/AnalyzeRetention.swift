import ArgumentParser
import PatronAnalytics
import PatronCore
import PatronServer

extension AnalyzeCommand {
    /// `patron analyze retention`: repurchase, intervals, retention and churn, cohorts, 80/20, win-back.
    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retention",
            abstract: "Repurchase rate, days between purchases, monthly retention and churn, cohorts, 80/20 concentration, win-back candidates.")

        @OptionGroup var input: PurchaseInput
        @Option(help: "How many win-back candidates to list.") var winBack = 10
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                let (purchases, currency) = try await input.load()
                let report = try StandardAnalyses.retention(purchases, winBack: winBack)
                try output.write(report.analytics(), input: input, currency: currency)
                if json { return try printAnalysisJSON(report) }
                print(text(report, currency))
            }
        }

        private func text(_ r: StandardAnalyses.Retention, _ currency: Currency) -> String {
            let s = r.repeatPurchases
            var out = "Repurchase: \(grouped(s.repeatCustomers)) of \(grouped(s.customers)) customers bought again (\(percent(s.repurchaseRate)))\n"
            out += String(format: "Days between purchases: mean %.0f, quartiles %d / %d / %d, 90th percentile %d\n\n", s.meanDays, s.p25Days, s.medianDays, s.p75Days, s.p90Days)
            var gaps = Table(["days between purchases", "gaps"], rightAligned: [1])
            for (label, count) in zip(RepeatPurchaseStats.bucketLabels, s.histogram) { gaps.add([label, grouped(count)]) }
            out += gaps.text + "\n\nMonthly retention (customers who bought in the month before and again in this one)\n"
            var monthly = Table(["month", "active", "new", "retained", "retention", "churn"], rightAligned: [1, 2, 3, 4, 5])
            for m in r.monthly {
                monthly.add([m.month, grouped(m.active), grouped(m.new), grouped(m.retained), m.retentionRate.map(percent) ?? "", m.churnRate.map(percent) ?? ""])
            }
            out += monthly.text + "\n\nCohorts by first-order month: share buying again N months later\n"
            let width = min(12, r.cohorts.cohorts.map(\.retention.count).max() ?? 0)
            var cohorts = Table(["cohort", "size"] + (0..<width).map { "+\($0)" }, rightAligned: Set(1...(width + 1)))
            for c in r.cohorts.cohorts {
                cohorts.add([c.month, grouped(c.size)] + (0..<width).map { $0 < c.retention.count ? String(format: "%.0f%%", c.retention[$0] * 100) : "" })
            }
            out += cohorts.text + "\n\n"
            out += "80/20: the top 20 % of customers bring \(percent(r.concentration.top20RevenueShare)) of revenue (Gini \(String(format: "%.2f", r.concentration.gini)))\n\n"
            out += "Win-back candidates (top 20 % by past value, P(alive) below 0.3)\n"
            var winBack = Table(["customer", "past value", "P(alive)", "days since last", "purchase days"], rightAligned: [1, 2, 3, 4])
            for c in r.winBack {
                winBack.add([c.customer, Money(minor: c.pastValue, currency).description, String(format: "%.2f", c.probabilityAlive), grouped(c.daysSinceLastPurchase), String(c.purchaseDays)])
            }
            return out + (r.winBack.isEmpty ? "(none)" : winBack.text)
        }
    }
}
