import ArgumentParser
import Foundation
import PatronServices

/// `patron overview`: the console overview's kept data: the model snapshot and the daily aggregates.
struct OverviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overview", abstract: "The console overview's snapshot and kept aggregates.", subcommands: [Snapshot.self, Rebuild.self])

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute the overview's RFM grid, CLV distribution, retention curve, active customers and repeat rate from every order now (the server does it daily).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = ServiceContext(store: try await store.open(), clock: try store.clock())
                let started = ContinuousClock.now
                let snapshot = try await OverviewSnapshots.take(context)
                let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
                print(
                    "overview snapshot: \(grouped(snapshot.customers)) customers, \(grouped(snapshot.activeIn90Days)) active in 90 days, repeat rate \(snapshot.repeatPurchaseRate.map { String(format: "%.1f %%", $0 * 100) } ?? "–")\(snapshot.clvWithheld.map { "; no CLV: \($0)" } ?? "") (\(String(format: "%.1f", seconds)) s)")
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recount the overview's kept daily aggregates from members, orders, the ledger and level changes (after a bulk load or a change of the programme's time zone).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let rows = try await store.open().rebuildDailyTotals()
                print("overview aggregates rebuilt: \(grouped(rows)) daily rows")
            }
        }
    }
}
