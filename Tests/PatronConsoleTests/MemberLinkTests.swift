import Foundation
import PatronCore
import Testing

@testable import PatronConsole

/// The signed link on its own: what it signs, and each way a link is refused.
@Suite struct MemberLinkTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func query(_ link: MemberLink) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in link.query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding! }
            fields[parts[0]] = parts[1]
        }
        return fields
    }

    @Test func theSignatureIsHMACSHA256OverIdentityExpiryAndNonceJoinedByLineFeeds() throws {
        let link = try MemberLink.mint(
            identity: try Identity.customer("C1"), lifetime: .seconds(600), now: Self.now, nonce: "abcdefabcdefabcdef", secret: Self.secret)
        // Computed independently: printf 'customer:C1\n1790000600\nabcdefabcdefabcdef' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
        #expect(link.signature == MemberLink.sign(Array("customer:C1\n1790000600\nabcdefabcdefabcdef".utf8), secret: Self.secret))
        #expect(link.signature.count == 64)
        #expect(link.query == "identity=customer%3AC1&expires=1790000600&nonce=abcdefabcdefabcdef&signature=\(link.signature)")
        #expect(link.url(baseURL: "https://shop.example/") == "https://shop.example/member/sign-in?\(link.query)")
    }

    @Test func aMintedLinkVerifiesUntilItsExpiry() throws {
        let link = try MemberLink.mint(identity: try Identity(reference: "email:ann@example.com"), lifetime: .seconds(900), now: Self.now, secret: Self.secret)
        let verified = try MemberLink.verify(query: Self.query(link), now: Self.now.addingTimeInterval(899), secret: Self.secret).get()
        #expect(verified.identity.description == "email:ann@example.com")
        #expect(verified.nonce == link.nonce)
        #expect(MemberLink.verify(query: Self.query(link), now: Self.now.addingTimeInterval(900), secret: Self.secret) == .failure(.expired))
    }

    @Test func eachAlteredFieldBreaksTheSignature() throws {
        let link = try MemberLink.mint(identity: try Identity.customer("C1"), lifetime: .seconds(600), now: Self.now, secret: Self.secret)
        let fields = Self.query(link)
        let changes = [
            ("identity", "customer:C2"), ("expires", String(Int(fields["expires"]!)! - 1)), ("nonce", fields["nonce"]! + "0"),
            ("signature", String(fields["signature"]!.reversed())),
        ]
        for (name, value) in changes {
            var altered = fields
            altered[name] = value
            #expect(MemberLink.verify(query: altered, now: Self.now, secret: Self.secret) == .failure(.badSignature), "\(name)")
        }
        #expect(MemberLink.verify(query: fields, now: Self.now, secret: Array("another secret of thirty-two bytes".utf8)) == .failure(.badSignature))
    }

    @Test(arguments: [
        ["expires": "1790000600", "nonce": "abcdefabcdefabcdef", "signature": String(repeating: "0", count: 64)],
        ["identity": "customer:C1", "nonce": "abcdefabcdefabcdef", "signature": String(repeating: "0", count: 64)],
        ["identity": "customer:C1", "expires": "1790000600", "signature": String(repeating: "0", count: 64)],
        ["identity": "customer:C1", "expires": "1790000600", "nonce": "abcdefabcdefabcdef"],
        ["identity": "customer:C1", "expires": "soon", "nonce": "abcdefabcdefabcdef", "signature": String(repeating: "0", count: 64)],
        ["identity": "customer:C1", "expires": "1790000600", "nonce": "short", "signature": String(repeating: "0", count: 64)],
        ["identity": "customer:C1", "expires": "1790000600", "nonce": "abc def abc def abc", "signature": String(repeating: "0", count: 64)],
        ["identity": "customer:C1", "expires": "1790000600", "nonce": "abcdefabcdefabcdef", "signature": "zz"],
        ["identity": "nobody", "expires": "1790000600", "nonce": "abcdefabcdefabcdef", "signature": String(repeating: "0", count: 64)],
    ])
    func aMissingOrMalformedFieldIsMalformed(query: [String: String]) {
        #expect(MemberLink.verify(query: query, now: Self.now, secret: Self.secret) == .failure(.malformed))
    }

    @Test func aLinkValidForLongerThanFifteenMinutesIsRefusedEvenWhenSigned() throws {
        #expect(throws: PatronError.self) {
            try MemberLink.mint(identity: try Identity.customer("C1"), lifetime: .seconds(16 * 60), now: Self.now, secret: Self.secret)
        }
        let expires = Int64(Self.now.timeIntervalSince1970) + 3_600
        let signature = MemberLink.sign(MemberLink.message(identity: try Identity.customer("C1"), expires: expires, nonce: "abcdefabcdefabcdef"), secret: Self.secret)
        let query = ["identity": "customer:C1", "expires": String(expires), "nonce": "abcdefabcdefabcdef", "signature": signature]
        #expect(MemberLink.verify(query: query, now: Self.now, secret: Self.secret) == .failure(.tooLong))
    }

    @Test func theSecretComesFromTheEnvironmentAndMustHaveThirtyTwoBytes() throws {
        #expect(try MemberLink.secret(environment: ["PATRON_MEMBER_LINK_SECRET": String(repeating: "k", count: 32)]).count == 32)
        #expect(throws: PatronError.self) { try MemberLink.secret(environment: [:]) }
        do {
            _ = try MemberLink.secret(environment: ["PATRON_MEMBER_LINK_SECRET": "short"])
            Issue.record("a short secret was accepted")
        } catch let error as PatronError {
            #expect(error.message.contains("PATRON_MEMBER_LINK_SECRET has 5 bytes"))
        }
    }
}
