import Foundation

/// An exact non-negative decimal ratio from the program file, such as 1.5 points per yuan, kept as a fraction.
public struct Rate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The numerator.
    public let numerator: Int64
    /// The denominator, always positive.
    public let denominator: Int64

    /// Makes a rate from a fraction.
    public init(_ numerator: Int64, per denominator: Int64) {
        precondition(denominator > 0, "a rate needs a positive denominator")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Parses decimal text such as `"1.5"` (at most 6 fraction digits).
    public init?(decimal text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
        guard digits <= 6, let value = DecimalText.scaled(trimmed, digits: digits), value >= 0 else { return nil }
        var denominator: Int64 = 1
        for _ in 0..<digits { denominator *= 10 }
        self.init(value, per: denominator)
    }

    /// `amount × rate`, rounded once as asked. Exact for any 64-bit amount and rate; `nil` when the result overflows.
    public func apply(to amount: Int64, rounding: Rounding) -> Int64? {
        Rate.divide(amount, times: numerator, by: denominator, rounding: rounding)
    }

    /// `value × multiplier / divisor` with one rounding and a 128-bit intermediate; `nil` on overflow.
    public static func divide(_ value: Int64, times multiplier: Int64, by divisor: Int64, rounding: Rounding) -> Int64? {
        precondition(divisor > 0)
        let negative = (value < 0) != (multiplier < 0)
        let product = value.magnitude.multipliedFullWidth(by: multiplier.magnitude)
        guard product.high < divisor.magnitude else { return nil }
        let (quotient, remainder) = divisor.magnitude.dividingFullWidth(product)
        guard quotient <= UInt64(Int64.max) else { return nil }
        let signedQuotient = negative ? -Int64(quotient) : Int64(quotient)
        let signedRemainder = negative ? -Int64(remainder) : Int64(remainder)
        return rounding.adjust(quotient: signedQuotient, remainder: signedRemainder, divisor: divisor)
    }

    public var description: String {
        var digits = 0
        var denominator = self.denominator
        while denominator > 1, denominator % 10 == 0 {
            denominator /= 10
            digits += 1
        }
        return denominator == 1 ? DecimalText.format(numerator, digits: digits) : "\(numerator)/\(self.denominator)"
    }
}

/// How a fractional number of points becomes whole: once per order, never per line.
public enum Rounding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Toward negative infinity (the default: a member never gets a point the rule did not give).
    case floor
    /// To the nearest whole point, halves away from zero.
    case nearest
    /// Toward positive infinity.
    case ceiling

    func adjust(quotient: Int64, remainder: Int64, divisor: Int64) -> Int64 {
        guard remainder != 0 else { return quotient }
        // Swift's division truncates toward zero; remainder carries the sign of the dividend.
        switch self {
        case .floor: return remainder < 0 ? quotient - 1 : quotient
        case .ceiling: return remainder > 0 ? quotient + 1 : quotient
        case .nearest:
            let twice = remainder.magnitude * 2
            guard twice >= divisor.magnitude else { return quotient }
            return remainder > 0 ? quotient + 1 : quotient - 1
        }
    }
}
