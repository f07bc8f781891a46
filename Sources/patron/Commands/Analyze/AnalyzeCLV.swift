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
                try output.write(AnalyticsReport(title: .clv, clv: report), input: input, currency: currency)
                if let customers, let predictions = report.customerPredictions {
                    try writeCSV(Self.csv(predictions, currency: currency.code), rows: predictions.count,
                                 of: "customer predictions", to: customers)
                    report.customerPredictions = nil
                }
                if json { try printAnalysisJSON(report) } else { print(report.text) }
            }
        }

        /// Per-customer predictions; money (monetary value, expected spend, CLV) in major units of `currency`, as
        /// in the JSON report, with the unit in the column names and a currency column.
        static func csv(_ predictions: [CLVReport.CustomerPrediction], currency: String) -> CSVWriter {
            var csv = CSVWriter(header: [
                "customer", "frequency", "recency", "T", "monetary_value_major", "currency", "p_alive_bgnbd", "p_alive_pareto_nbd",
                "expected_purchases_bgnbd", "expected_purchases_pareto_nbd", "expected_spend_major", "clv_major", "holdout_purchases",
            ])
            for p in predictions {
                csv.add([
                    .text(p.customer), CSVWriter.number(p.frequency), CSVWriter.number(p.recency), CSVWriter.number(p.T),
                    CSVWriter.number(p.monetaryValue), .text(currency), CSVWriter.number(p.probabilityAlive.bgnbd),
                    CSVWriter.number(p.probabilityAlive.paretoNbd), CSVWriter.number(p.expectedPurchases.bgnbd),
                    CSVWriter.number(p.expectedPurchases.paretoNbd), CSVWriter.number(p.expectedSpend), CSVWriter.number(p.clv),
                    CSVWriter.number(p.holdoutPurchases),
                ])
            }
            return csv
        }
    }
}
