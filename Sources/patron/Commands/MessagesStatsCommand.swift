import ArgumentParser
import Foundation
import PatronCore
import PatronServices

extension MessagesCommand {
    /// `patron messages stats`: what became of the messages queued since a day, and the orders that followed them.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Messages queued since a day per kind and journey step: sent, bounced, opened, clicked, unsubscribed, attributed orders and revenue.",
            discussion: "Orders and unsubscribes count for the member's latest message accepted before them within --window-days (last touch).")
        @Option(help: "The first day counted, yyyy-MM-dd in the program's time zone (default: 30 days ago).") var since: String?
        @Option(help: "The last day counted, yyyy-MM-dd in the program's time zone (default: until now).") var until: String?
        @Option(help: "Days after a message within which an order or unsubscribe is attributed to it (1-90).") var windowDays = MessageStats.defaultWindowDays
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                var day: LocalDate?
                if let since {
                    guard let parsed = LocalDate(iso: since) else { throw PatronError(.invalidInput, "--since: '\(since)' is not a yyyy-MM-dd date") }
                    day = parsed
                }
                var last: LocalDate?
                if let until {
                    guard let parsed = LocalDate(iso: until) else { throw PatronError(.invalidInput, "--until: '\(until)' is not a yyyy-MM-dd date") }
                    last = parsed
                }
                let context = ServiceContext(store: try await store.open(), clock: try store.clock())
                let stats = try await MessageStatsService(context: context).stats(since: day, through: last, windowDays: windowDays)
                if json { return try printJSON(stats) }
                let currency = try await context.currentProgram().program.currency
                print(Self.text(stats, currency: currency, time: try await InstantFormat.of(context.store)))
            }
        }

        static func text(_ stats: MessageStats, currency: Currency, time: InstantFormat) -> String {
            func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "-" }
            var table = Table(
                ["kind", "journey", "step", "queued", "sent", "delivered", "bounced", "suppressed", "opened", "clicked", "unsubscribed", "orders", "revenue"],
                rightAligned: Set(2...12))
            for row in stats.rows + [stats.total] {
                table.add([
                    row.kind?.rawValue ?? "total", row.journey ?? "", row.step.map { String($0) } ?? "", String(row.messages), String(row.sent), String(row.delivered), String(row.bounced),
                    String(row.suppressed), "\(row.opened) (\(percent(row.openRate)))", "\(row.clicked) (\(percent(row.clickRate)))", String(row.unsubscribed),
                    String(row.orders), Money(minor: row.revenue, currency).description,
                ])
            }
            return "messages queued \(time.text(stats.since)) – \(time.text(stats.until)); orders and unsubscribes attributed "
                + "\(stats.attribution) within \(stats.windowDays) days of a message\n" + table.text
        }
    }
}
