import Crypto
import Foundation

/// Member-zone sessions: a signed cookie (HMAC-SHA256 with a key derived from the member link secret) naming the
/// member, an expiry and a random nonce; nothing is stored. The member's CSRF token is an HMAC of the nonce. A member
/// session cannot be ended early from the server; it lasts `ConsoleConfiguration.memberSessionLifetime` (2 hours).
struct MemberSessions: Sendable {
    static let cookieName = "patron_member"

    /// A live member session.
    struct Session: Sendable {
        let memberID: Int64
        let expires: Date
        let csrfToken: String
    }

    /// The derived key's bytes (`SymmetricKey` is not `Sendable`; one is made per use).
    let key: [UInt8]
    let lifetime: Duration

    init(secret: [UInt8], lifetime: Duration) {
        // Its own key, so a session cookie can never pass for a sign-in link or the reverse.
        key = Array(HMAC<SHA256>.authenticationCode(for: Array("patron.member-session.v1".utf8), using: SymmetricKey(data: secret)))
        self.lifetime = lifetime
    }

    /// The cookie value of a new session for `memberID` starting at `now`.
    func issue(memberID: Int64, now: Date) -> String {
        let expires = Int64(now.addingTimeInterval(lifetime.seconds).timeIntervalSince1970)
        let body = "\(memberID).\(expires).\(Tokens.random())"
        return body + "." + mac(body)
    }

    /// The session of a cookie value, if it is ours, intact and unexpired.
    func read(_ value: String?, now: Date) -> Session? {
        guard let value, value.utf8.count < 200 else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let member = Int64(parts[0]), member > 0, let expires = Int64(parts[1]), Tokens.isWellFormed(parts[2]) else {
            return nil
        }
        let body = parts[0...2].joined(separator: ".")
        guard Tokens.constantTimeEqual(mac(body), parts[3]), Double(expires) > now.timeIntervalSince1970 else { return nil }
        return Session(memberID: member, expires: Date(timeIntervalSince1970: Double(expires)), csrfToken: mac("csrf." + parts[2]))
    }

    private func mac(_ text: String) -> String {
        Tokens.base64url(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
    }
}
