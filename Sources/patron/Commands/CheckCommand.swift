import ArgumentParser

/// `patron check`: proves the cached balances and lots equal the ledger.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Recompute every balance and lot from the ledger; exit 1 on any mismatch.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            let opened = try await store.open()
            let mismatches = try await opened.check()
            let totals = try await opened.totals()
            // The overview's kept aggregates against a recount of members, orders, the ledger and level changes.
            let kept = try await opened.checkDailyTotals()
            guard mismatches.isEmpty, kept.isEmpty else {
                for mismatch in mismatches.prefix(100) { print(mismatch) }
                for mismatch in kept.prefix(100) { print("kept aggregate: \(mismatch)") }
                if !kept.isEmpty { print("(patron overview rebuild recounts the kept aggregates)") }
                print("check failed: \(mismatches.count + kept.count) mismatches")
                throw ExitCode.failure
            }
            print("check passed: \(grouped(totals.members)) members, \(grouped(totals.entries)) entries, balances and lots equal the ledger, the overview's kept aggregates equal a recount")
        }
    }
}
