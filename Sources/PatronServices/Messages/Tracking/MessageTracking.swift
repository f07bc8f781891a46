import Crypto
import Foundation
import PatronCore
import PatronStore

/// Open and click tracking of messages: an open pixel and signed redirect links, both on Patron's public routes.
///
/// - The pixel is `BASE/track/open/ID.SIGNATURE`, a 1×1 GIF; fetching it counts an open of message `ID`.
/// - A tracked link is `BASE/track/click/ID.SIGNATURE?url=URL`; following it counts a click and redirects to `URL`.
///   The signature covers the message id *and* the URL, so the route redirects only to a URL Patron signed: an altered
///   or unsigned URL is refused (no open redirect).
///
/// Signatures are HMAC-SHA256 (base64url) with the shop's tracking secret, over `open.ID` and `click.ID.URL`: a pixel's
/// signature is not a link's.
public struct MessageTracking: Sendable {
    /// The secret's bytes (`SymmetricKey` is not `Sendable`; a key is made from them for each use).
    let secretBytes: Data
    var secret: SymmetricKey { SymmetricKey(data: secretBytes) }
    /// Patron's public address as members' mail clients reach it (`https://loyalty.shop.example`), without a final `/`.
    public let base: String

    /// Tracking signed with `secret` (at least 32 bytes) under `base`, an http or https URL.
    public init(secret: Data, base: String) throws {
        guard secret.count >= 32 else { throw PatronError(.invalidInput, "the tracking secret must have at least 32 bytes") }
        guard let url = URL(string: base), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw PatronError(.invalidInput, "the tracking base '\(base)' is not an http or https URL")
        }
        self.secretBytes = secret
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    func signature(_ payload: String) -> String {
        UnsubscribeLink.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: secret)))
    }

    /// The open pixel's token for message `id`.
    public func openToken(message id: Int64) -> String { "\(id)." + signature("open.\(id)") }

    /// The open pixel's URL for message `id`.
    public func openURL(message id: Int64) -> String { base + "/track/open/" + openToken(message: id) }

    /// The click token for `url` in message `id`.
    public func clickToken(message id: Int64, url: String) -> String { "\(id)." + signature("click.\(id).\(url)") }

    /// The tracked link to `url` in message `id`.
    public func clickURL(message id: Int64, url: String) -> String {
        base + "/track/click/" + clickToken(message: id, url: url) + "?url=" + Self.queryEncoded(url)
    }

    /// The message a pixel token names, or `invalidInput` when it is malformed or its signature is wrong.
    public func verifyOpen(_ token: String) throws -> Int64 {
        let (id, mac) = try Self.split(token)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("open.\(id)".utf8), using: secret) else {
            throw PatronError(.invalidInput, "token: the signature does not match")
        }
        return id
    }

    /// The message a click token names when it signs exactly `url` (an http or https URL); else `invalidInput`.
    public func verifyClick(_ token: String, url: String) throws -> Int64 {
        let (id, mac) = try Self.split(token)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("click.\(id).\(url)".utf8), using: secret) else {
            throw PatronError(.invalidInput, "url: this link was not signed for this URL; it is not followed")
        }
        guard Self.isWebURL(url) else { throw PatronError(.invalidInput, "url: only http and https links are followed") }
        return id
    }

    static func split(_ token: String) throws -> (Int64, Data) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int64(parts[0]), id > 0, let mac = UnsubscribeLink.data(base64URL: String(parts[1])), mac.count == 32 else {
            throw PatronError(.invalidInput, "token: not a tracking token (MESSAGE.SIGNATURE)")
        }
        return (id, mac)
    }

    /// Whether `url` is an absolute http or https URL with a host.
    static func isWebURL(_ url: String) -> Bool {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && parsed.host != nil
    }

    /// `text` percent-encoded for a query value (only unreserved characters stay).
    public static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The message's HTML with every http(s) link but those in `keep` (the unsubscribe link) replaced by its tracked
    /// link, and the open pixel before `</body>` (or at the end). Subject and text stay as they are: a plain-text part
    /// has no pixel, and its links are not rewritten (so clicks there are not counted).
    public func track(_ rendered: MessageOutcome.Rendered, message id: Int64, keep: Set<String> = []) -> MessageOutcome.Rendered {
        var html = TrackedLinks.rewrite(rendered.html) { url in
            guard Self.isWebURL(url), !keep.contains(url), !url.hasPrefix(base + "/track/") else { return nil }
            return clickURL(message: id, url: url)
        }
        let pixel = "<img src=\"\(HTMLText.escape(openURL(message: id)))\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">"
        if let end = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
            html.insert(contentsOf: pixel, at: end.lowerBound)
        } else {
            html += pixel
        }
        return MessageOutcome.Rendered(subject: rendered.subject, text: rendered.text, html: html)
    }

    /// Counts an open of the message the token names; a token that is not valid counts nothing. Returns the message id
    /// counted, if any. The pixel is served either way: a mail client shows no broken image.
    public func open(token: String, context: ServiceContext) async throws -> Int64? {
        guard let id = try? verifyOpen(token) else { return nil }
        return try await context.store.recordMessageOpen(id: id, at: context.clock.now()) ? id : nil
    }

    /// Counts a click and returns the URL to redirect to: only a URL this shop signed for this message; otherwise
    /// `invalidInput`, and nothing is counted.
    public func click(token: String, url: String, context: ServiceContext) async throws -> String {
        let id = try verifyClick(token, url: url)
        _ = try await context.store.recordMessageClick(id: id, at: context.clock.now())
        return url
    }

    /// The 1×1 transparent GIF the pixel answers with (43 bytes).
    public static let pixelGIF = Data([
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ])
}
