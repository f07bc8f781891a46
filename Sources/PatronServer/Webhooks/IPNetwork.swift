#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, held as 16 bytes: an IPv4 address as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so
/// that one check covers both ways of writing it.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes, network order.
    public let bytes: [UInt8]

    /// Parses `10.0.0.1`, `::1`, `[::1]` or `fe80::1%eth0`; `nil` for anything else (a host name).
    public init?(_ text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(ipv4: withUnsafeBytes(of: v4.s_addr) { Array($0) })
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self.init(bytes: withUnsafeBytes(of: v6) { Array($0) })
    }

    /// The address of 16 bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        self.bytes = bytes
    }

    /// The IPv4 address of 4 bytes, as IPv4-mapped IPv6.
    public init(ipv4: [UInt8]) {
        precondition(ipv4.count == 4)
        bytes = Array(repeating: 0, count: 10) + [0xff, 0xff] + ipv4
    }

    /// Whether it is an IPv4 address (IPv4-mapped).
    public var isIPv4: Bool { bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff }

    public var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A range of addresses in CIDR notation: `10.0.0.0/8`, `fc00::/7`; a bare address is a range of one.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address.
    public let address: IPAddress
    /// The prefix length in bits of the 128-bit form (an IPv4 /8 is 96 + 8).
    public let prefixLength: Int

    /// Parses CIDR notation; `nil` when it is not an address with an optional prefix length in range.
    public init?(_ text: String) {
        let parts = text.trimmingCharactersInSpaces().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        let length: Int
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...maximum).contains(given) else { return nil }
            length = given
        } else {
            length = maximum
        }
        self.address = address
        prefixLength = address.isIPv4 ? 96 + length : length
    }

    /// Whether `candidate` is in the range.
    public func contains(_ candidate: IPAddress) -> Bool {
        var bits = prefixLength
        for index in 0..<16 where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
            guard address.bytes[index] & mask == candidate.bytes[index] & mask else { return false }
            bits -= 8
        }
        return true
    }

    public var description: String { "\(address)/\(address.isIPv4 ? prefixLength - 96 : prefixLength)" }
}

extension String {
    fileprivate func trimmingCharactersInSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
