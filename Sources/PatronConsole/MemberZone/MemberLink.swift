import Crypto
import Foundation
import PatronCore

/// A short-lived signed sign-in link for the member zone.
///
/// The shop's backend (or `patron member link`) signs the member's identity, an expiry and a nonce with the shop's
/// secret; `/member/sign-in` checks the signature in constant time, the expiry, and that the nonce was not used
/// before. The signed message is the three fields joined by line feeds:
///
/// ```
/// KIND:VALUE \n EXPIRES \n NONCE
/// ```
///
/// where `EXPIRES` is Unix seconds (decimal) and `NONCE` is 16 to 64 characters of `[A-Za-z0-9_-]`. The signature is
/// HMAC-SHA256 over those bytes, written as lowercase hex; the link carries `identity`, `expires`, `nonce` and
/// `signature` as query parameters. Because the last two fields have fixed alphabets, any identity value reads back
/// unambiguously.
public struct MemberLink: Sendable, Hashable {
    /// The member's identity (`customer:C1`, `email:ann@example.com`).
    public var identity: Identity
    /// When the link stops working.
    public var expires: Date
    /// A random value that makes the link usable once.
    public var nonce: String
    /// HMAC-SHA256 of `message`, lowercase hex.
    public var signature: String

    /// The longest a link may live: a link whose expiry lies further ahead is refused even when its signature holds.
    public static let maximumLifetime: Duration = .seconds(15 * 60)
    /// The path that verifies a link and starts a member session.
    public static let signInPath = "/member/sign-in"

    /// The environment variable that holds the shop's secret.
    public static let secretVariable = "PATRON_MEMBER_LINK_SECRET"
    /// The fewest bytes a secret may have.
    public static let minimumSecretBytes = 32

    /// The secret from the environment's `PATRON_MEMBER_LINK_SECRET`: its UTF-8 bytes as written (so
    /// `openssl dgst -hmac "$PATRON_MEMBER_LINK_SECRET"` signs with the same key). Throws naming the variable when it
    /// is missing or shorter than 32 bytes.
    public static func secret(environment: [String: String]) throws -> [UInt8] {
        guard let text = environment[secretVariable], !text.isEmpty else {
            throw PatronError(.invalidInput, "\(secretVariable) is not set; give it a random value of at least \(minimumSecretBytes) characters (openssl rand -hex 32)")
        }
        let bytes = Array(text.utf8)
        guard bytes.count >= minimumSecretBytes else {
            throw PatronError(.invalidInput, "\(secretVariable) has \(bytes.count) bytes; it needs at least \(minimumSecretBytes) (openssl rand -hex 32)")
        }
        return bytes
    }

    /// The bytes that are signed.
    public static func message(identity: Identity, expires: Int64, nonce: String) -> [UInt8] {
        Array("\(identity.kind):\(identity.value)\n\(expires)\n\(nonce)".utf8)
    }

    /// HMAC-SHA256 of `message` under `secret`, as lowercase hex.
    public static func sign(_ message: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return Hex.encode(code)
    }

    /// Mints a link for `identity` valid for `lifetime` from `now` (at most `maximumLifetime`), with a random nonce.
    public static func mint(identity: Identity, lifetime: Duration, now: Date, secret: [UInt8]) throws -> MemberLink {
        var generator = SystemRandomNumberGenerator()
        let nonce = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return try mint(identity: identity, lifetime: lifetime, now: now, nonce: nonce, secret: secret)
    }

    /// Mints a link with a given nonce (tests and replays of a recipe).
    public static func mint(identity: Identity, lifetime: Duration, now: Date, nonce: String, secret: [UInt8]) throws -> MemberLink {
        guard lifetime > .zero, lifetime <= maximumLifetime else {
            throw PatronError(.invalidInput, "minutes: a sign-in link lives 1 to \(maximumLifetime.components.seconds / 60) minutes")
        }
        guard !secret.isEmpty else { throw PatronError(.invalidInput, "the member link secret is empty; set PATRON_MEMBER_LINK_SECRET") }
        try checkNonce(nonce)
        let expires = Int64(now.timeIntervalSince1970.rounded(.down)) + lifetime.components.seconds
        return MemberLink(
            identity: identity, expires: Date(timeIntervalSince1970: TimeInterval(expires)), nonce: nonce,
            signature: sign(message(identity: identity, expires: expires, nonce: nonce), secret: secret))
    }

    /// The query string of the link: `identity=…&expires=…&nonce=…&signature=…`, percent-encoded.
    public var query: String {
        let fields = [
            ("identity", identity.description), ("expires", String(Int64(expires.timeIntervalSince1970))), ("nonce", nonce),
            ("signature", signature),
        ]
        return fields.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// The full link under `baseURL` (`https://shop.example`), or the path alone when `baseURL` is empty.
    public func url(baseURL: String) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return "\(base)\(Self.signInPath)?\(query)"
    }

    /// Why a link was refused.
    public enum Refusal: String, Sendable, Hashable, Error {
        /// A field is missing or malformed.
        case malformed
        /// The signature does not match: altered, or signed with another secret.
        case badSignature
        /// The expiry has passed.
        case expired
        /// The expiry lies further ahead than `maximumLifetime`.
        case tooLong
        /// The nonce was used before.
        case used
        /// No member has the identity (or the member was erased).
        case unknownMember
    }

    /// Reads and verifies a link's query fields at `now`: the signature (compared in constant time) and the expiry.
    /// Whether the nonce is fresh is the store's to say (`Store.consumeMemberLink`).
    public static func verify(query: [String: String], now: Date, secret: [UInt8]) -> Result<MemberLink, Refusal> {
        guard !secret.isEmpty,
            let identityText = query["identity"], let identity = try? Identity(reference: identityText),
            let expiresText = query["expires"], expiresText.count <= 12, expiresText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let expires = Int64(expiresText),
            let nonce = query["nonce"], (try? checkNonce(nonce)) != nil,
            let signature = query["signature"], let given = hexBytes(signature), given.count == 32
        else { return .failure(.malformed) }
        // The identity as written in the link is what was signed (not its normalised form). swift-crypto compares
        // the codes in constant time.
        let message = Array("\(identityText)\n\(expiresText)\n\(nonce)".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message, using: SymmetricKey(data: secret)) else {
            return .failure(.badSignature)
        }
        let seconds = now.timeIntervalSince1970
        guard TimeInterval(expires) > seconds else { return .failure(.expired) }
        guard TimeInterval(expires) - seconds <= TimeInterval(maximumLifetime.components.seconds) + 60 else { return .failure(.tooLong) }
        return .success(MemberLink(identity: identity, expires: Date(timeIntervalSince1970: TimeInterval(expires)), nonce: nonce, signature: signature))
    }

    /// The bytes of lowercase or uppercase hex text, or `nil` if it is not hex.
    static func hexBytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// Throws `invalidInput` unless `nonce` is 16 to 64 characters of `[A-Za-z0-9_-]`.
    static func checkNonce(_ nonce: String) throws {
        guard (16...64).contains(nonce.utf8.count),
            nonce.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 })
        else { throw PatronError(.invalidInput, "nonce: 16 to 64 characters of A-Z, a-z, 0-9, '-' or '_'") }
    }

    private static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
