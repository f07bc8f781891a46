import Crypto
import Foundation
import PatronCore
import PatronStore

/// The signed link of a `confirmConsent` message (double opt-in): `BASE?token=MEMBER.CHANNEL.REQUEST.SIGNATURE`, where
/// `REQUEST` is the pending consent record and the signature is the HMAC-SHA256 (base64url) of
/// `confirm.MEMBER.CHANNEL.REQUEST` with the shop's link secret (the unsubscribe links' secret: the `confirm.` prefix
/// keeps one kind of token from passing for the other). Following it needs no sign-in.
public struct ConsentConfirmationLink: Sendable {
    /// The secret's bytes (`SymmetricKey` is not `Sendable`; a key is made from them for each use).
    let secretBytes: Data
    var secret: SymmetricKey { SymmetricKey(data: secretBytes) }
    /// The page the token is appended to (`https://loyalty.shop.example/consent/confirm`).
    public let base: String

    /// The path Patron's server answers confirmation links on.
    public static let path = "/consent/confirm"

    /// Links signed with `secret` (at least 32 bytes) under `base`.
    public init(secret: Data, base: String) throws {
        guard secret.count >= 32 else { throw PatronError(.invalidInput, "the consent link secret must have at least 32 bytes") }
        self.secretBytes = secret
        self.base = base
    }

    /// The confirmation base beside an unsubscribe base: the same scheme, host and port, path `/consent/confirm`.
    public static func base(beside unsubscribe: String) -> String? {
        guard var components = URLComponents(string: unsubscribe), components.scheme != nil, components.host != nil else { return nil }
        components.path = path
        components.query = nil
        components.fragment = nil
        return components.string
    }

    /// The token for the pending consent `request` of `member` on `channel`.
    public func token(member: Int64, channel: String, request: Int64) -> String {
        let payload = "\(member).\(channel).\(request)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data("confirm.\(payload)".utf8), using: secret)
        return payload + "." + UnsubscribeLink.base64URL(Data(mac))
    }

    /// The link for the pending consent `request` of `member` on `channel`.
    public func url(member: Int64, channel: String, request: Int64) -> String {
        base + (base.contains("?") ? "&" : "?") + "token=" + token(member: member, channel: channel, request: request)
    }

    /// The member, channel and request a token names, or `invalidInput` naming the token (never the member) when it is
    /// malformed or its signature is wrong.
    public func verify(_ token: String) throws -> (member: Int64, channel: String, request: Int64) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let member = Int64(parts[0]), let request = Int64(parts[2]), !parts[1].isEmpty, parts[1].count <= 64,
            parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
            let signature = UnsubscribeLink.data(base64URL: parts[3])
        else { throw PatronError(.invalidInput, "token: not a consent confirmation token") }
        let payload = "confirm.\(member).\(parts[1]).\(request)"
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(payload.utf8), using: secret) else {
            throw PatronError(.invalidInput, "token: the signature does not match")
        }
        return (member, parts[1], request)
    }

    /// Follows a token: the pending consent becomes effective with source `double-opt-in` (once; again changes
    /// nothing), audited as `member.consentConfirmed` by `member:ID`. Returns the member and whether it changed now.
    public func confirm(token: String, context: ServiceContext) async throws -> (member: Member, channel: String, changed: Bool) {
        let (id, channel, request) = try verify(token)
        guard let member = try await context.store.member(id: id), !member.isErased else {
            throw PatronError(.invalidInput, "token: the link is no longer valid")
        }
        switch try await context.store.confirmConsent(member: id, channel: channel, request: request) {
        case .alreadyConfirmed(let after):
            return (after, channel, false)
        case .confirmed(let after):
            try await AuditTrail(store: context.store).record(
                "member.consentConfirmed", subject: "member:\(id)", actor: "member:\(id)", before: member.profile.consents, after: after.profile.consents,
                reason: "confirmed \(channel) consent by the link of message request \(request) (double opt-in)", at: context.clock.now())
            return (after, channel, true)
        }
    }
}
