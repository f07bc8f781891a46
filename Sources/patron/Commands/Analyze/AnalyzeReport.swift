import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronServer
import PatronServices

extension AnalyzeCommand {
    /// `patron analyze report --html FILE`: every analysis in one page.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Every analysis the data allows, as one self-contained HTML page with SVG charts.")

        @OptionGroup var input: PurchaseInput
        @OptionGroup var output: HTMLOptions
        @Option(help: "What one point is worth in major units, for the economics section; default: the program's points-as-payment rate, else 0.01.") var pointValue: String?

        func run() async throws {
            try await analysing {
                guard output.html != nil else { throw PatronError(.invalidInput, "give --html FILE") }
                let data = try await input.dataset()
                var report = AnalyticsReport(title: .all)
                do {
                    report.clv = try CLVAnalysis.run(purchases: data.purchases, options: CLVAnalysisOptions(minorUnitsPerMajor: data.currency.minorPerMajor))
                } catch let error as AnalyticsError {
                    report.clvRefused = error  // the page says why there is no CLV
                }
                report.rfm = try RFMAnalysis.run(purchases: data.purchases).labelled(currency: data.currency.code, minorUnitsPerMajor: data.currency.minorPerMajor)
                if let retention = try? StandardAnalyses.retention(data.purchases, winBack: 20) {
                    (report.repeatPurchases, report.monthlyRetention, report.cohorts) = (retention.repeatPurchases, retention.monthly, retention.cohorts)
                    (report.concentration, report.winBack) = (retention.concentration, retention.winBack)
                }
                let referrals = data.members.map { Dictionary(uniqueKeysWithValues: $0.map { (String($0.memberId), $0.referrals) }) }
                report.loyalty = try LoyaltyAnalysis.run(
                    orders: data.facts, members: data.members?.map { String($0.memberId) } ?? [], referrals: referrals, nps: data.nps)
                if data.ledgerMonths != nil {
                    report.economics = try StandardAnalyses.economics(data, pointValue: pointValue, operations: 0.2, redemptionRate: nil)
                }
                if input.orders == nil {
                    // The care section: the last 90 days of tickets, surveys and win-back offers in the database.
                    let context = ServiceContext(store: try await input.store.open(), clock: try input.store.clock())
                    let care = try await CareReportService(context: context, tickets: CareServices.ticketReader(context)).report()
                    report.care = care.summary(calendar: try await context.currentProgram().program.calendar)
                    // The messages section: messages queued in the last 30 days and the orders attributed to them.
                    let messages = try await MessageStatsService(context: context).stats()
                    if messages.total.messages > 0 {
                        report.messages = messages
                        report.timeZone = try await context.currentProgram().program.timeZone
                    }
                }
                try output.write(report, input: input, currency: data.currency)
            }
        }
    }
}
