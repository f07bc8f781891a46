/// An amount of money as an integer count of minor units (fen, cents). Never a floating-point number.
public struct Money: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Minor units; negative for refunds.
    public var minor: Int64
    /// The currency.
    public var currency: Currency

    /// Makes an amount from minor units.
    public init(minor: Int64, _ currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    /// Parses a decimal amount in major units (`"29.33"`, `"-5"`, `"1,234.50"` is refused) exactly, without floating point.
    /// Returns `nil` for text that is not a plain decimal or has more digits than the currency's minor unit.
    public init?(major text: String, _ currency: Currency) {
        guard let minor = DecimalText.scaled(text, digits: currency.minorDigits) else { return nil }
        self.init(minor: minor, currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minor < rhs.minor }

    /// The amount in major units with the currency's digits, such as `29.33 USD`.
    public var description: String { "\(DecimalText.format(minor, digits: currency.minorDigits)) \(currency.code)" }

    /// The amount in major units without the code, such as `29.33`.
    public var majorText: String { DecimalText.format(minor, digits: currency.minorDigits) }
}

/// Exact conversion between decimal text and scaled integers.
public enum DecimalText {
    /// `"29.33"` with 2 digits → 2933. `nil` when the text is not `[-+]digits[.digits]`, has too many fraction digits,
    /// or does not fit in 64 bits.
    public static func scaled(_ text: String, digits: Int) -> Int64? {
        var scalars = Substring(text)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
        }
        let parts = scalars.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= digits, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            !(whole.isEmpty && fraction.isEmpty)
        else { return nil }
        var value: Int64 = 0
        for character in whole + fraction + String(repeating: "0", count: digits - fraction.count) {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(character.asciiValue! - 48))
            guard !o1, !o2 else { return nil }
            value = plus
        }
        return negative ? -value : value
    }

    /// 2933 with 2 digits → `"29.33"`.
    public static func format(_ value: Int64, digits: Int) -> String {
        guard digits > 0 else { return String(value) }
        let sign = value < 0 ? "-" : ""
        let magnitude = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
        return sign + padded.dropLast(digits) + "." + padded.suffix(digits)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
