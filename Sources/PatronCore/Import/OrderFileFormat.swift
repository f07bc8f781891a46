/// How an orders file is laid out, so that a shop's own export imports (and analyses) as it is.
public struct OrderFileFormat: Sendable, Hashable {
    /// How fields are separated; every delimiter honours RFC 4180 quoting (`"Smith, J"`).
    public enum Delimiter: String, Sendable, Hashable, CaseIterable {
        /// `,`
        case comma
        /// `;` (spreadsheets in locales whose decimal separator is a comma).
        case semicolon
        /// A tab.
        case tab
        /// Runs of spaces or tabs (fixed-width exports such as CDNOW's).
        case whitespace
    }

    /// A column named by header or by 1-based position.
    public enum Column: Sendable, Hashable, CustomStringConvertible {
        /// The column whose header is this name.
        case named(String)
        /// The Nth column, counting from 1.
        case position(Int)

        /// `"3"` is a position, anything else a header name.
        public init(_ text: String) {
            if let number = Int(text), number >= 1 { self = .position(number) } else { self = .named(text) }
        }

        public var description: String {
            switch self {
            case .named(let name): "column '\(name)'"
            case .position(let index): "column \(index)"
            }
        }
    }

    /// Whether amounts are written in major units (`29.33`) or minor units (`2933`).
    public enum AmountUnit: String, Sendable, Hashable, CaseIterable {
        /// Major units with decimals.
        case major
        /// Integer minor units.
        case minor
    }

    /// The separator.
    public var delimiter: Delimiter
    /// Whether the first line names the columns.
    public var hasHeader: Bool
    /// The customer id column.
    public var customer: Column
    /// The order id column; absent ids are derived from customer, date and line number.
    public var orderId: Column?
    /// The date column.
    public var date: Column
    /// The date's pattern: `yyyyMMdd`, `yyyy-MM-dd`, `dd/MM/yyyy`, `MM/dd/yyyy` and so on (y, M, d letters only).
    public var dateFormat: String
    /// The amount column.
    public var amount: Column
    /// How amounts are written.
    public var amountUnit: AmountUnit

    /// Makes a format.
    public init(
        delimiter: Delimiter = .comma, hasHeader: Bool = true, customer: Column, orderId: Column? = nil, date: Column,
        dateFormat: String = "yyyy-MM-dd", amount: Column, amountUnit: AmountUnit = .major
    ) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.customer = customer
        self.orderId = orderId
        self.date = date
        self.dateFormat = dateFormat
        self.amount = amount
        self.amountUnit = amountUnit
    }
}
