import Crypto
import Foundation
import Hummingbird
import PatronCore
import PatronStore

/// Signing in to the member zone with a one-time code by e-mail, for members who come to the zone directly rather than
/// through the shop's signed link. The member gives their e-mail address; if it is a member's, a six-digit code goes out
/// as a transactional `signInCode` message on the e-mail channel, and the browser keeps a signed challenge cookie (the
/// member, an expiry, a nonce). The code is an HMAC of the challenge, so nothing is stored but used nonces: a code
/// works once (its nonce is consumed), for ten minutes, and five wrong codes end the challenge. An address that is no
/// member's gets the same page and a challenge that no code opens, so the page never tells who is a member.
enum MemberCodeSignIn {
    static let requestPath = "/member/sign-in/code"
    static let enterPath = "/member/sign-in/code/enter"
    static let cookieName = "patron_member_code"
    /// How long a code works.
    static let minutes = 10
    /// Wrong codes a challenge takes before it ends.
    static let attempts = 5

    /// A challenge read back from its cookie.
    struct Challenge: Equatable {
        let memberID: Int64
        let expires: Int64
        let nonce: String
        var body: String { "\(memberID).\(expires).\(nonce)" }
    }

    /// The signing key and the code of a challenge. Its own key, derived from the member link secret, so a challenge
    /// can never pass for a sign-in link or a session.
    struct Codes {
        let key: [UInt8]

        init(secret: [UInt8]) {
            key = Array(HMAC<SHA256>.authenticationCode(for: Array("patron.member-code.v1".utf8), using: SymmetricKey(data: secret)))
        }

        func cookie(_ challenge: Challenge) -> String { challenge.body + "." + mac(challenge.body) }

        func read(_ value: String?, now: Date) -> Challenge? {
            guard let value, value.utf8.count < 200 else { return nil }
            let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let member = Int64(parts[0]), let expires = Int64(parts[1]), Tokens.isWellFormed(parts[2]) else { return nil }
            let challenge = Challenge(memberID: member, expires: expires, nonce: parts[2])
            guard Tokens.constantTimeEqual(mac(challenge.body), parts[3]), Double(expires) > now.timeIntervalSince1970 else { return nil }
            return challenge
        }

        /// Six decimal digits from the challenge's HMAC.
        func code(_ challenge: Challenge) -> String {
            let digest = Array(HMAC<SHA256>.authenticationCode(for: Array("code.\(challenge.body)".utf8), using: SymmetricKey(data: key)))
            let number = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } % 1_000_000
            let digits = String(number)
            return String(repeating: "0", count: 6 - digits.count) + digits
        }

        private func mac(_ text: String) -> String {
            Tokens.base64url(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
        }
    }

    struct RequestModel: Sendable {
        let email: String
        let error: String?
    }

    struct EnterModel: Sendable {
        let error: String?
    }

    static func register(on routes: ConsoleRoutes) {
        routes.open(.get, requestPath) { _, page in
            page.render("member/code-request", title: page.text("member.code.title"), RequestModel(email: "", error: nil))
        }
        routes.open(.post, requestPath) { request, page in
            let form = try await page.form(request)
            let email = String((form["email"] ?? "").trimmingCharacters(in: .whitespaces).prefix(254))
            guard let identity = try? Identity(kind: "email", value: email) else {
                return page.render(
                    "member/code-request", title: page.text("member.code.title"),
                    RequestModel(email: email, error: page.text("member.code.badEmail")), status: .badRequest)
            }
            let now = page.context.clock.now()
            let codes = Codes(secret: page.configuration.memberLinkSecret)
            let expires = Int64(now.timeIntervalSince1970) + Int64(minutes * 60)
            var challenge = Challenge(memberID: 0, expires: expires, nonce: Tokens.random())
            if let member = try await page.context.store.member(identity: identity), !member.isErased {
                // One code a minute per member, so the form cannot be used to flood a mailbox.
                let minute = Int64(now.timeIntervalSince1970) / 60
                guard try await page.context.store.consumeMemberLink(nonce: "code-request.\(member.id).\(minute)", expiresAt: now.addingTimeInterval(120), at: now)
                else {
                    return page.render(
                        "member/code-request", title: page.text("member.code.title"),
                        RequestModel(email: email, error: page.text("member.code.tooSoon")), status: .tooManyRequests)
                }
                challenge = Challenge(memberID: member.id, expires: expires, nonce: challenge.nonce)
                let facts = "{\"sign_in_code\":\"\(codes.code(challenge))\",\"minutes\":\(minutes)}"
                _ = try await page.context.store.queueMessage(
                    NewMessage(memberId: member.id, kind: .signInCode, channel: .email, cause: challenge.nonce, facts: facts, at: now))
            }
            var response = page.redirect(enterPath, notice: page.text("member.code.sent"))
            response.setCookie(page.base.kit.cookie(cookieName, codes.cookie(challenge), path: "/member/sign-in/code", maxAge: minutes * 60))
            return response
        }
        routes.open(.get, enterPath) { _, page in
            page.render("member/code-enter", title: page.text("member.code.title"), EnterModel(error: nil))
        }
        routes.open(.post, enterPath) { request, page in
            let form = try await page.form(request)
            let now = page.context.clock.now()
            let codes = Codes(secret: page.configuration.memberLinkSecret)
            func again(_ key: String, _ status: HTTPResponse.Status) -> Response {
                page.render("member/code-enter", title: page.text("member.code.title"), EnterModel(error: page.text(key)), status: status)
            }
            guard let challenge = codes.read(request.cookies[cookieName]?.value, now: now) else { return again("member.code.expired", .forbidden) }
            let expiresAt = Date(timeIntervalSince1970: Double(challenge.expires))
            // Each try uses up one of the challenge's attempts (recorded as used nonces, as sign-in links are).
            var allowed = false
            for attempt in 1...attempts {
                if try await page.context.store.consumeMemberLink(nonce: "\(challenge.nonce).\(attempt)", expiresAt: expiresAt, at: now) {
                    allowed = true
                    break
                }
            }
            guard allowed else { return again("member.code.tooMany", .tooManyRequests) }
            let entered = String((form["code"] ?? "").filter(\.isNumber).prefix(6))
            guard challenge.memberID > 0, Tokens.constantTimeEqual(entered, codes.code(challenge)) else { return again("member.code.wrong", .forbidden) }
            guard let member = try await page.context.store.member(id: challenge.memberID), !member.isErased,
                try await page.context.store.consumeMemberLink(nonce: challenge.nonce, expiresAt: expiresAt, at: now)
            else { return again("member.code.expired", .forbidden) }
            var response = page.startMemberSession(memberID: member.id, redirectTo: "/member/")
            response.setCookie(page.base.kit.cookie(cookieName, "", path: "/member/sign-in/code", maxAge: 0))
            return response
        }
    }
}
