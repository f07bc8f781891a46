import Foundation

/// The one way analyses write CSV (`patron analyze clv --customers`, `patron analyze rfm --customers`): RFC 4180
/// fields, safe to open in a spreadsheet.
///
/// - A field containing a comma, a double quote, CR or LF is enclosed in double quotes, its quotes doubled.
/// - A text field starting with `=`, `+`, `-`, `@`, a tab or CR would be run as a formula by a spreadsheet (CSV
///   injection): it is prefixed with `'`, which spreadsheets show as text. Numbers are written by the caller with
///   ``number(_:)`` and are never prefixed, so `-1.5` stays a number.
/// - Lines end with CRLF, as RFC 4180 says.
public struct CSVWriter: Sendable {
    /// One cell: text from data (neutralised and quoted as needed) or a number (quoted only if needed).
    public enum Field: Sendable, Hashable, ExpressibleByStringLiteral {
        /// Text from data: a customer id, a segment name.
        case text(String)
        /// A number already formatted (finite; "" for a missing one).
        case number(String)

        /// A literal is text.
        public init(stringLiteral value: String) { self = .text(value) }
    }

    private var lines: [String]

    /// Starts a file with its header row.
    public init(header: [String]) {
        lines = [header.map { Self.escape(.text($0)) }.joined(separator: ",")]
    }

    /// Adds a row.
    public mutating func add(_ row: [Field]) {
        lines.append(row.map(Self.escape).joined(separator: ","))
    }

    /// The whole file.
    public var text: String { lines.map { $0 + "\r\n" }.joined() }

    /// A number with up to `significant` significant digits; "" when missing or not finite.
    public static func number(_ value: Double?, significant: Int = 6) -> Field {
        guard let value, value.isFinite else { return .number("") }
        return .number(String(format: "%.\(significant)g", value))
    }

    /// An integer.
    public static func number<I: BinaryInteger>(_ value: I) -> Field { .number(String(value)) }

    /// The characters a spreadsheet reads as the start of a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field as it is written.
    public static func escape(_ field: Field) -> String {
        var text: String
        switch field {
        case .text(let value):
            text = value
            if let first = value.first, formulaStarts.contains(first) { text = "'" + value }
        case .number(let value):
            text = value
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            text = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
