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
            guard mismatches.isEmpty else {
                for mismatch in mismatches.prefix(100) { print(mismatch) }
                print("check failed: \(mismatches.count) mismatches")
                throw ExitCode.failure
            }
            print("check passed: \(grouped(totals.members)) members, \(grouped(totals.entries)) entries, balances and lots equal the ledger")
        }
    }
}
