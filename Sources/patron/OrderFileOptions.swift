import ArgumentParser
import PatronCore

/// How a delimited orders file is laid out: shared by `patron import orders` and `patron analyze`.
struct OrderFileOptions: ParsableArguments {
    @Option(help: "comma, semicolon, tab or whitespace (fields may be quoted as RFC 4180 says).") var delimiter: String = "comma"
    @Flag(help: "The file has no header line (name columns by position).") var noHeader = false
    @Option(help: "The customer column: a header name or 1-based position.") var customer: String = "customer"
    @Option(help: "The order id column (optional; derived from customer, date and line when absent).") var orderId: String?
    @Option(help: "The date column.") var date: String = "date"
    @Option(help: "The date pattern, e.g. yyyyMMdd, yyyy-MM-dd, dd/MM/yyyy.") var dateFormat: String = "yyyy-MM-dd"
    @Option(help: "The amount column.") var amount: String = "amount"
    @Option(help: "major (29.33) or minor (2933) units.") var amountUnit: String = "major"

    /// The format, or an error naming the bad option.
    func format() throws -> OrderFileFormat {
        guard let delimiter = OrderFileFormat.Delimiter(rawValue: delimiter) else {
            throw PatronError(.invalidInput, "--delimiter must be comma, semicolon, tab or whitespace, not '\(delimiter)'")
        }
        guard let unit = OrderFileFormat.AmountUnit(rawValue: amountUnit) else {
            throw PatronError(.invalidInput, "--amount-unit must be major or minor, not '\(amountUnit)'")
        }
        return OrderFileFormat(
            delimiter: delimiter, hasHeader: !noHeader, customer: .init(customer), orderId: orderId.map { .init($0) },
            date: .init(date), dateFormat: dateFormat, amount: .init(amount), amountUnit: unit)
    }
}
