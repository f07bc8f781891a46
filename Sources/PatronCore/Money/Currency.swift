import Foundation

/// An ISO 4217 currency with the number of digits of its minor unit.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The three-letter code, such as `CNY`.
    public let code: String
    /// Digits after the decimal point: 2 for CNY and USD, 0 for JPY, 3 for KWD.
    public let minorDigits: Int

    /// Looks a code up; `nil` when it is not an ISO 4217 currency.
    public init?(code: String) {
        let upper = code.uppercased()
        guard upper.count == 3, Self.knownCodes.contains(upper) else { return nil }
        self.code = upper
        minorDigits = Self.zeroDigit.contains(upper) ? 0 : Self.threeDigit.contains(upper) ? 3 : 2
    }

    /// Minor units in one major unit: 100 for CNY.
    public var minorPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<minorDigits { value *= 10 }
        return value
    }

    public var description: String { code }

    private static let knownCodes = Set(Locale.commonISOCurrencyCodes).union(zeroDigit).union(threeDigit)
    private static let zeroDigit: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    private static let threeDigit: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
}
