import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// `patron analyze …`: who comes back, who is slipping away, what customers are worth.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Customer-base analytics on the store's orders or on any orders file.",
        discussion: """
            Every analysis reads the orders in the database (--database), or an orders file with the same column
            mapping as `patron import orders` (--orders FILE …), so a shop can analyse its export before adopting Patron.
            """,
        subcommands: [CLV.self, RFM.self, Retention.self])
}

/// Where the purchases come from.
struct PurchaseInput: ParsableArguments {
    @Option(help: "Analyse this orders file (CSV) instead of the database.") var orders: String?
    @OptionGroup var columns: OrderFileOptions
    @Option(help: "The currency of the file's amounts (ISO 4217).") var currency = "USD"
    @OptionGroup var store: StoreOptions

    /// The purchases, with the currency they are in.
    func load() async throws -> (purchases: [Purchase], currency: Currency) {
        guard let orders else { return try await fromStore() }
        guard let currency = Currency(code: currency) else { throw PatronError(.invalidInput, "--currency '\(self.currency)' is not ISO 4217") }
        guard let data = FileManager.default.contents(atPath: orders), let text = String(data: data, encoding: .utf8) else {
            throw PatronError(.invalidInput, "cannot read \(orders) as UTF-8 text")
        }
        var reader = try OrderFileReader(format: try columns.format(), currency: currency)
        var purchases: [Purchase] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            switch reader.read(line, line: lineNumber) {
            case nil: continue
            case .success(let row)?: purchases.append(Purchase(customer: row.customer, day: row.date.dayNumber, amount: row.amount))
            case .failure(let problem)?: throw PatronError(.invalidInput, "\(orders): \(problem)")
            }
        }
        return (purchases, currency)
    }

    private func fromStore() async throws -> (purchases: [Purchase], currency: Currency) {
        let opened = try await store.open()
        guard let program = try await opened.currentProgram()?.program else {
            throw PatronError(.noProgram, "no program is loaded in \(store.database); pass --orders FILE to analyse a file")
        }
        let purchases = try await opened.purchases().map {
            Purchase(customer: String($0.memberId), day: program.calendar.localDate(of: $0.placedAt).dayNumber, amount: $0.amount)
        }
        return (purchases, program.currency)
    }
}

/// Reads a `yyyy-MM-dd` option as a day number.
func dayNumber(_ text: String?, option: String) throws -> Int? {
    guard let text else { return nil }
    guard let date = LocalDate(iso: text) else { throw PatronError(.invalidInput, "\(option) '\(text)' is not a yyyy-MM-dd date") }
    return date.dayNumber
}

/// Formats a share as a percentage.
func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }

/// Runs an analysis, turning the library's errors into plain messages.
func analysing(_ body: () async throws -> Void) async throws {
    try await reportingErrors {
        do {
            try await body()
        } catch let error as AnalyticsError {
            throw PatronError(.invalidInput, error.message)
        }
    }
}
