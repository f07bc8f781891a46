import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronServer

extension AnalyzeCommand {
    /// `patron analyze report --html FILE`: every analysis in one page.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Every analysis the data allows, as one self-contained HTML page with SVG charts.")

        @OptionGroup var input: PurchaseInput
        @OptionGroup var output: HTMLOptions
        @Option(help: "What one point is worth in major units, for the economics section.") var pointValue = "0.01"

        func run() async throws {
            try await analysing {
                guard output.html != nil else { throw PatronError(.invalidInput, "give --html FILE") }
                let data = try await input.dataset()
                let minor = Double(data.currency.minorPerMajor)
                var report = AnalyticsReport(title: "Patron analytics", minorUnitsPerMajor: minor)
                report.clv = try? CLVAnalysis.run(purchases: data.purchases, options: CLVAnalysisOptions(minorUnitsPerMajor: data.currency.minorPerMajor))
                report.rfm = try RFMAnalysis.run(purchases: data.purchases)
                if let retention = try? StandardAnalyses.retention(data.purchases, winBack: 20) {
                    (report.repeatPurchases, report.monthlyRetention, report.cohorts) = (retention.repeatPurchases, retention.monthly, retention.cohorts)
                    (report.concentration, report.winBack) = (retention.concentration, retention.winBack)
                }
                let referrals = data.members.map { Dictionary(uniqueKeysWithValues: $0.map { (String($0.memberId), $0.referrals) }) }
                report.loyalty = try LoyaltyAnalysis.run(orders: data.facts, members: data.members?.map { String($0.memberId) } ?? [], referrals: referrals)
                if data.ledgerMonths != nil {
                    report.economics = try StandardAnalyses.economics(data, pointValue: pointValue, operations: 0.2, redemptionRate: nil)
                }
                try output.write(report)
            }
        }
    }
}
