import Crypto
import Foundation

/// Random tokens (sessions, CSRF) and their hashes.
enum Tokens {
    /// 32 random bytes as base64url without padding (43 characters).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return base64url(bytes)
    }

    /// Whether `token` looks like one of ours: 43 base64url characters.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { isBase64url($0) }
    }

    static func isBase64url(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || byte == 95
    }

    /// SHA-256 of `token` as 64 lower-case hex digits (what the database keeps of a session token).
    static func sha256Hex(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Bytes as base64url without padding (every member page checks its session cookie's MAC with this: six bits at a
    /// time, not base64 and three string replacements).
    static func base64url<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 4 / 3 + 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(base64urlAlphabet[Int(buffer >> UInt32(bits) & 63)])
            }
        }
        if bits > 0 { out.append(base64urlAlphabet[Int(buffer << UInt32(6 - bits) & 63)]) }
        return String(decoding: out, as: UTF8.self)
    }

    private static let base64urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// base64url (with or without padding) to bytes; nil when malformed.
    static func fromBase64url(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }

    /// Whether two strings are equal, taking the same time wherever they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// A one-time message carried over a redirect in a short-lived cookie (`Saved.`), shown by the next page.
enum Notice {
    static let cookieName = "patron_notice"

    static func encode(_ text: String) -> String? {
        let bytes = Array(text.prefix(500).utf8)
        return bytes.isEmpty ? nil : Tokens.base64url(bytes)
    }

    static func decode(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 1000, let bytes = Tokens.fromBase64url(value) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
