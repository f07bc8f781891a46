import Foundation

/// The format of coupon codes: the ones Patron makes, and the ones a partner uploads to a pool.
public enum CouponCode {
    /// The letters and digits of generated codes: no 0/O, 1/I/L, so a code read aloud or typed is not mistaken.
    public static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    /// The length of generated codes: 16 characters of a 31-letter alphabet, about 79 random bits.
    public static let generatedLength = 16
    /// The longest code a pool accepts.
    public static let maximumLength = 64

    /// A code nobody can guess, drawn from `generator` (the system's random generator in production).
    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<generatedLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A code from the system's random generator.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Checks an uploaded code, the `line`-th of its file: 1 to 64 letters, digits and dashes; throws `invalidInput`.
    public static func validate(_ code: String, line: Int) throws {
        guard !code.isEmpty, code.count <= maximumLength, code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw PatronError(.invalidInput, "code \(line) '\(code)': use 1 to \(maximumLength) letters, digits and dashes")
        }
    }
}
