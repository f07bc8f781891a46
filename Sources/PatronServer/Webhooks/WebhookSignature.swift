import Crypto
import Foundation
import PatronCore

/// Signs and verifies webhook requests: `Patron-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
/// The timestamp is inside the signed text, so a captured request cannot be replayed later than the tolerance.
public enum WebhookSignature {
    /// The `Patron-Signature` header for `body` sent at `timestamp` (unix seconds).
    public static func sign(body: Data, secret: String, timestamp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signedText(body: body, timestamp: timestamp), using: key(secret))
        return "t=\(timestamp),v1=\(Hex.encode(mac))"
    }

    /// Whether `header` is a valid signature of `body` with `secret`, made within `tolerance` of `now` (either side).
    /// Any of several `v1=` values may match (a sender may sign with an old and a new secret while rotating).
    /// The comparison takes constant time.
    public static func verify(header: String, body: Data, secret: String, now: Date, tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int64?
        var candidates: [Data] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": if let bytes = hexBytes(pair[1]) { candidates.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { return false }
        let text = signedText(body: body, timestamp: timestamp)
        return candidates.contains { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: text, using: key(secret)) }
    }

    private static func signedText(body: Data, timestamp: Int64) -> Data {
        Data("\(timestamp).".utf8) + body
    }

    private static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    private static func hexBytes(_ text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = Data(capacity: 32)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
