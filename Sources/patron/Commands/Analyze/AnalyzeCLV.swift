import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore

extension AnalyzeCommand {
    /// `patron analyze clv`: BG/NBD, Pareto/NBD and Gamma-Gamma, holdout check and lifetime value.
    struct CLV: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clv", abstract: "Fit BG/NBD, Pareto/NBD and Gamma-Gamma; predict purchases, P(alive) and lifetime value.")

        @OptionGroup var input: PurchaseInput
        @Option(help: "day or week.") var period = "week"
        @Option(help: "The last day of the calibration period (yyyy-MM-dd); default: the last purchase day.") var calibrationEnd: String?
        @Option(help: "The last day of the holdout period (yyyy-MM-dd); default: the last purchase day.") var observationEnd: String?
        @Option(help: "Lifetime value horizon in months.") var horizonMonths = 12
        @Option(help: "Monthly discount rate, e.g. 0.01.") var discountRate = 0.01
        @Option(help: "Write per-customer predictions to this CSV file.") var customers: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var output: HTMLOptions

        func run() async throws {
            try await analysing {
                guard let unit = PeriodUnit(rawValue: period) else { throw PatronError(.invalidInput, "--period must be day or week, not '\(period)'") }
                let (purchases, currency) = try await input.load()
                let options = CLVAnalysisOptions(
                    period: unit, calibrationEnd: try dayNumber(calibrationEnd, option: "--calibration-end"),
                    observationEnd: try dayNumber(observationEnd, option: "--observation-end"), minorUnitsPerMajor: currency.minorPerMajor,
                    clv: CLVOptions(horizonMonths: horizonMonths, monthlyDiscountRate: discountRate), includeCustomers: customers != nil)
                var report = try CLVAnalysis.run(purchases: purchases, options: options)
                try output.write(AnalyticsReport(title: "Customer lifetime value", clv: report, minorUnitsPerMajor: Double(currency.minorPerMajor)))
                if let customers, let predictions = report.customerPredictions {
                    try Self.csv(predictions).write(toFile: customers, atomically: true, encoding: .utf8)
                    report.customerPredictions = nil
                    FileHandle.standardError.write(Data("wrote \(predictions.count) customer predictions to \(customers)\n".utf8))
                }
                if json { try printJSON(report) } else { print(report.text) }
            }
        }

        static func csv(_ predictions: [CLVReport.CustomerPrediction]) -> String {
            var lines = ["customer,frequency,recency,T,monetary_value,p_alive_bgnbd,p_alive_pareto_nbd,expected_purchases_bgnbd,expected_purchases_pareto_nbd,expected_spend,clv,holdout_purchases"]
            for p in predictions {
                let values = [p.recency, p.T, p.monetaryValue, p.probabilityAlive.bgnbd, p.probabilityAlive.paretoNbd,
                              p.expectedPurchases.bgnbd, p.expectedPurchases.paretoNbd, p.expectedSpend, p.clv].map { String(format: "%.6g", $0) }
                lines.append(([p.customer, String(p.frequency)] + values + [String(p.holdoutPurchases)]).joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
