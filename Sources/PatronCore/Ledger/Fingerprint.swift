/// A deterministic 64-bit FNV-1a digest, for telling an idempotent replay from a different request reusing its key.
/// (`Hasher` is seeded per process, so it cannot be stored.)
public struct Fingerprint: Sendable {
    /// The digest so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// An empty digest.
    public init() {}

    /// The digest of one string.
    public static func of(_ text: String) -> UInt64 {
        var fingerprint = Fingerprint()
        fingerprint.mix(text)
        return fingerprint.value
    }

    /// Mixes in a string, with a terminator so `"ab","c"` differs from `"a","bc"`.
    public mutating func mix(_ text: String) {
        for byte in text.utf8 { mixByte(byte) }
        mixByte(0xff)
    }

    /// Mixes in an integer.
    public mutating func mix(_ number: Int64) {
        var n = UInt64(bitPattern: number)
        for _ in 0..<8 {
            mixByte(UInt8(truncatingIfNeeded: n))
            n >>= 8
        }
    }

    private mutating func mixByte(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
