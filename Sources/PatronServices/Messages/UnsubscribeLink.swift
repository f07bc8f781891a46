import Crypto
import Foundation
import PatronCore
import PatronStore

/// The signed one-click unsubscribe link: `BASE?token=MEMBER.CHANNEL.SIGNATURE`, where the signature is the
/// HMAC-SHA256 (base64url) of `MEMBER.CHANNEL` with the shop's link secret. It needs no sign-in and stays valid: the
/// law wants unsubscribing to work from any message ever sent.
public struct UnsubscribeLink: Sendable {
    /// The secret's bytes (`SymmetricKey` is not `Sendable`; a key is made from them for each use).
    let secretBytes: Data
    var secret: SymmetricKey { SymmetricKey(data: secretBytes) }
    /// The page or endpoint the token is appended to (`https://shop.example/unsubscribe`).
    public let base: String
    /// Where the signed links of `confirmConsent` messages (double opt-in) point: by default `/consent/confirm` beside
    /// `base` (`PATRON_CONFIRM_URL` overrides it); `nil` sends none.
    public var confirmationBase: String?
    /// The shop's page where members change their preferences (`links.preferences`; `PATRON_PREFERENCES_URL`), or `nil`.
    public var preferences: String?

    /// The path Patron's server answers unsubscribe links on.
    public static let path = "/unsubscribe"

    /// Links signed with `secret` (at least 32 bytes) under `base`; confirmation links go beside it.
    public init(secret: Data, base: String) throws {
        guard secret.count >= 32 else { throw PatronError(.invalidInput, "the unsubscribe link secret must have at least 32 bytes") }
        self.secretBytes = secret
        self.base = base
        confirmationBase = ConsentConfirmationLink.base(beside: base)
    }

    /// The confirmation links of double opt-in, signed with the same secret (their tokens differ in form and in what is
    /// signed, so neither passes for the other).
    public var confirmation: ConsentConfirmationLink? {
        confirmationBase.flatMap { try? ConsentConfirmationLink(secret: secretBytes, base: $0) }
    }

    /// The token for `member` on `channel`.
    public func token(member: Int64, channel: MessageChannel) -> String {
        let payload = "\(member).\(channel.rawValue)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: secret)
        return payload + "." + Self.base64URL(Data(mac))
    }

    /// The link for `member` on `channel`.
    public func url(member: Int64, channel: MessageChannel) -> String {
        base + (base.contains("?") ? "&" : "?") + "token=" + token(member: member, channel: channel)
    }

    /// The member and channel a token names, or `invalidInput` when it is malformed or its signature is wrong.
    public func verify(_ token: String) throws -> (member: Int64, channel: MessageChannel) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let member = Int64(parts[0]), let channel = MessageChannel(rawValue: String(parts[1])),
            let signature = Self.data(base64URL: String(parts[2]))
        else { throw PatronError(.invalidInput, "token: not an unsubscribe token") }
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data("\(member).\(channel.rawValue)".utf8), using: secret) else {
            throw PatronError(.invalidInput, "token: the signature does not match")
        }
        return (member, channel)
    }

    /// Applies a token: the member's consent for the channel becomes `false` (once; again changes nothing), recorded in
    /// the consent history with source `unsubscribe-link` (a pending double opt-in is withdrawn too) and audited as
    /// `member.unsubscribe` by `member:ID` with the channel. Returns the member and channel.
    public func unsubscribe(token: String, context: ServiceContext) async throws -> (member: Member, channel: MessageChannel) {
        let (id, channel) = try verify(token)
        // A signed token names a member Patron made it for; should they be gone, the answer still does not say who.
        guard let member = try await context.store.member(id: id) else { throw PatronError(.invalidInput, "token: the link is no longer valid") }
        if member.isErased { return (member, channel) }
        let history = ConsentHistory(consents: member.profile.consents, records: try await context.store.consentRecords(member: id))
        let pending = history.latest(channel: channel.consentKey)?.state == .pending
        if member.profile.consents[channel.consentKey] == false && !pending { return (member, channel) }
        let after = try await context.store.updateMember(
            id, profile: ProfileUpdate(consents: [channel.consentKey: false]), addIdentities: [], key: nil,
            origin: ConsentOrigin(source: .unsubscribeLink, actor: "member:\(id)"))
        try await AuditTrail(store: context.store).record(
            "member.unsubscribe", subject: "member:\(id)", actor: "member:\(id)", before: member.profile.consents, after: after.profile.consents,
            reason: "one-click unsubscribe from \(channel.rawValue)", at: context.clock.now())
        return (after, channel)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base)
    }
}
