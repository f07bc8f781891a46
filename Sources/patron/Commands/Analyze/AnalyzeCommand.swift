import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronServer
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
        subcommands: [CLV.self, RFM.self, Retention.self, Levels.self, Loyalty.self, Economics.self, Report.self])
}

/// Where the purchases come from.
struct PurchaseInput: ParsableArguments {
    @Option(help: "Analyse this orders file (CSV) instead of the database.") var orders: String?
    @OptionGroup var columns: OrderFileOptions
    @Option(help: "The currency of the file's amounts (ISO 4217).") var currency = "USD"
    @OptionGroup var store: StoreOptions

    /// Where the data comes from, as a report's header names it: the orders file, or the database (a PostgreSQL URL
    /// without its password).
    var source: String { orders ?? store.databaseName }

    /// The purchases, with the currency they are in.
    func load() async throws -> (purchases: [Purchase], currency: Currency) {
        let data = try await dataset()
        return (data.purchases, data.currency)
    }

    /// Everything there is to analyse.
    func dataset() async throws -> AnalyticsDataset {
        guard let orders else { return try await AnalyticsDataset(store: store.open()) }
        guard let currency = Currency(code: currency) else { throw PatronError(.invalidInput, "--currency '\(self.currency)' is not ISO 4217") }
        guard let data = FileManager.default.contents(atPath: orders), let text = String(data: data, encoding: .utf8) else {
            throw PatronError(.invalidInput, "cannot read \(orders) as UTF-8 text")
        }
        var reader = try OrderFileReader(format: try columns.format(), currency: currency)
        var purchases: [Purchase] = []
        for result in try reader.rows(in: text) {
            switch result {
            case .success(let row): purchases.append(Purchase(customer: row.customer, day: row.date.dayNumber, amount: row.amount))
            case .failure(let problem): throw PatronError(.invalidInput, "\(orders): \(problem)")
            }
        }
        return AnalyticsDataset(purchases: purchases, currency: currency)
    }
}

/// `--html FILE` and `--language`: write the analysis as a self-contained HTML page with SVG charts.
struct HTMLOptions: ParsableArguments {
    @Option(help: "Also write a self-contained HTML report with charts to this file.") var html: String?
    @Option(help: "The report's language: en or zh-Hans.") var language = "en"

    /// Writes `report` if asked to, with its data source, the time it was made and the currency of its amounts.
    func write(_ report: AnalyticsReport, input: PurchaseInput, currency: Currency) throws {
        guard let html else { return }
        guard let language = ReportLanguage(rawValue: language) else {
            throw PatronError(.invalidInput, "--language must be en or zh-Hans, not '\(self.language)'")
        }
        var report = report
        report.source = input.source
        report.currency = currency.code
        report.minorUnitsPerMajor = Double(currency.minorPerMajor)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        report.generatedAt = formatter.string(from: Date())
        do {
            try report.html(language: language).write(toFile: html, atomically: true, encoding: .utf8)
        } catch {
            throw PatronError(.invalidInput, "cannot write --html \(html): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
    }
}

/// Reads a `yyyy-MM-dd` option as a day number.
func dayNumber(_ text: String?, option: String) throws -> Int? {
    guard let text else { return nil }
    guard let date = LocalDate(iso: text) else { throw PatronError(.invalidInput, "\(option) '\(text)' is not a yyyy-MM-dd date") }
    return date.dayNumber
}

/// Prints an analysis as JSON through ``AnalyticsJSON`` (a non-finite number is written as null, never NaN).
func printAnalysisJSON<T: Encodable>(_ value: T) throws {
    print(try AnalyticsJSON.string(value))
}

/// Writes a CSV file for a person's spreadsheet and says so on standard error.
func writeCSV(_ csv: CSVWriter, rows: Int, of what: String, to path: String) throws {
    do {
        try csv.text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        throw PatronError(.invalidInput, "cannot write \(path): \(error.localizedDescription)")
    }
    FileHandle.standardError.write(Data("wrote \(rows) \(what) to \(path)\n".utf8))
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
