import Foundation

/// A message's idempotent key: the same cause for the same member on the same channel always makes the same key, so
/// a change announced twice queues one message, and the key goes out as the e-mail's `Message-ID` (receivers drop
/// duplicates of an at-least-once delivery by it).
public struct MessageKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The key's text: `kind.member.cause.channel`, letters, digits, `.`, `-` and `_` only.
    public let value: String

    /// The key of `kind` for `member` on `channel`, caused by `cause` (an event's identity: a redemption id, a
    /// level change's time and levels, a campaign's name …; any text, hashed into the key when it has other characters).
    public init(kind: MessageKind, member: Int64, cause: String, channel: MessageChannel) {
        let clean = cause.unicodeScalars.allSatisfy { Self.allowed($0) } && !cause.isEmpty && cause.count <= 64
        let part = clean ? cause : Self.hex(cause)
        value = "\(kind.rawValue).\(member).\(part).\(channel.rawValue)"
    }

    /// A key read back from storage.
    public init(stored: String) { value = stored }

    public var description: String { value }

    /// The RFC 5322 `Message-ID` for this key at `domain`: `<key@domain>`.
    public func messageID(domain: String) -> String { "<\(value)@\(domain)>" }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
        default: false
        }
    }

    /// A stable 64-bit FNV-1a hash of `text` in hex (not for security: keys only need to be stable and distinct).
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
