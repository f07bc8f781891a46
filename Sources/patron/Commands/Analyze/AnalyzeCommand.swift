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
        subcommands: [CLV.self, RFM.self, Retention.self, Levels.self, Loyalty.self, Economics.self, Report.self])
}

/// The data an analysis reads: from the database, or from an orders file.
struct Dataset {
    /// One entry per order.
    var purchases: [Purchase]
    /// The same orders with their discounts, for loyalty types.
    var facts: [OrderFact]
    /// Every member, buyers or not (database only).
    var members: [MemberFact]?
    /// The ledger per month of the program's time zone (database only).
    var ledgerMonths: [LedgerPeriod]?
    /// The currency of the amounts.
    var currency: Currency
}

/// Where the purchases come from.
struct PurchaseInput: ParsableArguments {
    @Option(help: "Analyse this orders file (CSV) instead of the database.") var orders: String?
    @OptionGroup var columns: OrderFileOptions
    @Option(help: "The currency of the file's amounts (ISO 4217).") var currency = "USD"
    @OptionGroup var store: StoreOptions

    /// The purchases, with the currency they are in.
    func load() async throws -> (purchases: [Purchase], currency: Currency) {
        let data = try await dataset()
        return (data.purchases, data.currency)
    }

    /// Everything there is to analyse.
    func dataset() async throws -> Dataset {
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
        let facts = purchases.map { OrderFact(customer: $0.customer, day: $0.day, amount: $0.amount, discount: 0, inCampaign: false) }
        return Dataset(purchases: purchases, facts: facts, members: nil, ledgerMonths: nil, currency: currency)
    }

    private func fromStore() async throws -> Dataset {
        let opened = try await store.open()
        guard let program = try await opened.currentProgram()?.program else {
            throw PatronError(.noProgram, "no program is loaded in \(store.database); pass --orders FILE to analyse a file")
        }
        let records = try await opened.purchases()
        let day = { (date: Date) in program.calendar.localDate(of: date).dayNumber }
        let purchases = records.map { Purchase(customer: String($0.memberId), day: day($0.placedAt), amount: $0.amount) }
        // A campaign order earned from a rule with a date window (a campaign), by the rules each order recorded.
        let campaigns = Set(program.earning.rules.filter { $0.conditions.from != nil || $0.conditions.to != nil }.map(\.name))
        let facts = records.map {
            OrderFact(
                customer: String($0.memberId), day: day($0.placedAt), amount: $0.amount, discount: $0.discount,
                inCampaign: !campaigns.isDisjoint(with: $0.rules))
        }
        var months: [String: LedgerPeriod] = [:]
        func month(_ date: Date) -> String {
            let local = program.calendar.localDate(of: date)
            return String(format: "%04d-%02d", local.year, local.month)
        }
        for hour in try await opened.ledgerQuarterHours() {
            let key = month(hour.start)
            var period = months[key] ?? LedgerPeriod(period: key, sales: 0, issued: 0, redeemed: 0, expired: 0)
            period.issued += hour.issued
            period.redeemed += hour.redeemed
            period.expired += hour.expired
            months[key] = period
        }
        for record in records {
            let key = month(record.placedAt)
            months[key, default: LedgerPeriod(period: key, sales: 0, issued: 0, redeemed: 0, expired: 0)].sales += record.amount
        }
        return Dataset(
            purchases: purchases, facts: facts, members: try await opened.memberFacts(),
            ledgerMonths: months.values.sorted { $0.period < $1.period }, currency: program.currency)
    }
}

/// `--html FILE` and `--language`: write the analysis as a self-contained HTML page with SVG charts.
struct HTMLOptions: ParsableArguments {
    @Option(help: "Also write a self-contained HTML report with charts to this file.") var html: String?
    @Option(help: "The report's language: en or zh-Hans.") var language = "en"

    /// Writes `report` if asked to.
    func write(_ report: AnalyticsReport) throws {
        guard let html else { return }
        guard let language = ReportLanguage(rawValue: language) else {
            throw PatronError(.invalidInput, "--language must be en or zh-Hans, not '\(self.language)'")
        }
        try report.html(language: language).write(toFile: html, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
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
