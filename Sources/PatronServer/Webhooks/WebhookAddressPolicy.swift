import Foundation
import PatronCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which addresses webhooks may be sent to. A webhook URL is chosen by whoever holds an admin key, and Patron's
/// server makes the request: without this check a subscription could reach the cloud's metadata service
/// (169.254.169.254), the database next door or the host's own services (server-side request forgery).
///
/// The host is resolved and every address it resolves to must be public: loopback, private (RFC 1918), carrier-grade
/// NAT, link-local, unique-local, multicast, unspecified and reserved ranges are refused, written as IPv4 or as
/// IPv6 (IPv4-mapped, IPv4-compatible and NAT64 forms included), unless the operator allows a network explicitly with
/// `PATRON_WEBHOOK_ALLOW_NETWORKS` (comma-separated CIDR ranges, such as `127.0.0.0/8,10.1.0.0/16`).
///
/// The check runs when a subscription is created (CLI and API) and again before every delivery, since DNS answers
/// may change after the subscription was made.
public struct WebhookAddressPolicy: Sendable, Hashable {
    /// The environment variable naming the allowed networks.
    public static let environmentVariable = "PATRON_WEBHOOK_ALLOW_NETWORKS"

    /// The ranges refused unless allowed, with what they are.
    public static let refusedRanges: [(network: IPNetwork, name: String)] = [
        ("0.0.0.0/8", "an unspecified (\"this network\") address"), ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT address"), ("127.0.0.0/8", "a loopback address"), ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"), ("192.0.0.0/24", "an IETF protocol address"), ("192.0.2.0/24", "a documentation address"),
        ("192.168.0.0/16", "a private address"), ("198.18.0.0/15", "a benchmarking address"), ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"), ("224.0.0.0/4", "a multicast address"), ("240.0.0.0/4", "a reserved address"),
        ("::/128", "the unspecified address"), ("::1/128", "a loopback address"), ("::/96", "an IPv4-compatible address"),
        ("64:ff9b:1::/48", "a NAT64 address"), ("100::/64", "a discard address"), ("2001:db8::/32", "a documentation address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("fc00::/7", "a unique-local (private) address"), ("fe80::/10", "a link-local address"), ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    ].map { (IPNetwork($0.0)!, $0.1) }

    /// Networks the operator allows although they are refused by default.
    public var allowed: [IPNetwork]

    /// A policy allowing these networks (CIDR) besides public addresses; throws `invalidInput` naming a bad one.
    public init(allowing networks: [String] = []) throws {
        allowed = try networks.map { text in
            guard let network = IPNetwork(text) else {
                throw PatronError(
                    .invalidInput, "\(Self.environmentVariable): '\(text)' is not a network in CIDR notation such as 127.0.0.0/8 or fd00::/8")
            }
            return network
        }
    }

    /// Public addresses only.
    public static let publicOnly = try! WebhookAddressPolicy()

    /// The policy `PATRON_WEBHOOK_ALLOW_NETWORKS` sets (public addresses only when it is unset or empty).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WebhookAddressPolicy {
        let text = environment[environmentVariable] ?? ""
        return try WebhookAddressPolicy(allowing: text.split(separator: ",").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) })
    }

    /// Why `address` is refused, or `nil` when webhooks may go to it.
    public func refusal(_ address: IPAddress) -> String? {
        if allowed.contains(where: { $0.contains(address) }) { return nil }
        if let range = Self.refusedRanges.first(where: { $0.network.contains(address) }) { return range.name }
        // NAT64 (64:ff9b::/96) carries an IPv4 address in its last four bytes: judge that one.
        if IPNetwork("64:ff9b::/96")!.contains(address) { return refusal(IPAddress(ipv4: Array(address.bytes[12...]))) }
        // 6to4 (2002::/16) carries one in bytes 2–5.
        if IPNetwork("2002::/16")!.contains(address) { return refusal(IPAddress(ipv4: Array(address.bytes[2..<6]))) }
        return nil
    }

    /// Checks a webhook URL's host: an address literal directly, a name by resolving it. A name that does not
    /// resolve passes only when `unresolvable` is true (a subscription may be made before its DNS exists; a delivery
    /// to it would fail anyway). Throws `invalidInput` naming the address and the range it is in.
    public func check(_ url: String, unresolvable allowUnresolved: Bool) async throws {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else {
            throw PatronError(.invalidInput, "url: '\(url)' has no host")
        }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = await Self.resolve(host)
            if addresses.isEmpty {
                if allowUnresolved { return }
                throw PatronError(.invalidInput, "url: the host '\(host)' does not resolve to any address")
            }
        }
        for address in addresses {
            if let why = refusal(address) {
                throw PatronError(
                    .invalidInput,
                    "url: \(literal(host) ? "\(address)" : "'\(host)' resolves to \(address), which") is \(why); webhooks go to public addresses only unless \(Self.environmentVariable) allows the network (for example \(address.isIPv4 ? "127.0.0.0/8" : "::1/128"))"
                )
            }
        }
    }

    private func literal(_ host: String) -> Bool { IPAddress(host) != nil }

    /// Every address `host` resolves to (IPv4 and IPv6), or none.
    static func resolve(_ host: String) async -> [IPAddress] {
        // getaddrinfo blocks for as long as DNS takes: run it on a thread of its own, not on one of the few threads
        // of Swift's cooperative pool that every request shares.
        await Task.detached {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #else
            hints.ai_socktype = SOCK_STREAM
            #endif
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
            defer { freeaddrinfo(first) }
            var addresses: [IPAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let info = cursor {
                if let socket = info.pointee.ai_addr {
                    switch Int32(info.pointee.ai_family) {
                    case AF_INET:
                        socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                            addresses.append(IPAddress(ipv4: withUnsafeBytes(of: v4.pointee.sin_addr.s_addr) { Array($0) }))
                        }
                    case AF_INET6:
                        socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                            addresses.append(IPAddress(bytes: withUnsafeBytes(of: v6.pointee.sin6_addr) { Array($0) }))
                        }
                    default: break
                    }
                }
                cursor = info.pointee.ai_next
            }
            return addresses
        }.value
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.allowed == rhs.allowed }
    public func hash(into hasher: inout Hasher) { hasher.combine(allowed) }
}
