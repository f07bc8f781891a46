import Foundation
import HTTPTypes
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronServer

/// The consent routes: a member's consent history with its sources, the locale on the profile, and the public pages of
/// message links — RFC 8058 one-click unsubscribe and the double opt-in confirmation — which need no key, speak the
/// reader's language, and refuse a bad token with 400 without saying whose it was.
@Suite struct ConsentRouteTests {
    static let links = try! UnsubscribeLink(secret: Data(repeating: 9, count: 32), base: "https://loyalty.shop.example/unsubscribe")
    static let program = try! String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + TestAPI.rewards + "\nconsent:\n  doubleOptIn: true\n"
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    func enroll(_ api: TestAPI, _ customer: String, consents: String) async throws -> Int64 {
        let answer = try await api.call(
            .post, "/v1/members",
            json: #"{"identities": [{"kind": "customer", "value": "\#(customer)"}, {"kind": "email", "value": "\#(customer)@example.com"}], "profile": {"consents": \#(consents), "locale": "zh-hans"}}"#)
        #expect(answer.status == 201, "\(answer.text)")
        return Int64(try #require(answer.object["id"] as? Int))
    }

    @Test func theHistoryListsEveryChangeWithItsSourceAndActorAndThePendingChannels() async throws {
        try await TestAPI.run(program: Self.program, configure: { $0.unsubscribe = Self.links }) { api in
            let ann = try await enroll(api, "ann", consents: #"{"email": true, "sms": true}"#)
            let patched = try await api.call(.patch, "/v1/members/\(ann)", as: "storefront", json: #"{"consents": {"sms": false}, "locale": "EN-gb"}"#)
            #expect(patched.status == 200, "\(patched.text)")
            #expect((patched.object["profile"] as? [String: Any])?["locale"] as? String == "en-GB")

            let history = try await api.call(.get, "/v1/members/customer:ann/consents", as: "storefront")
            #expect(history.status == 200, "\(history.text)")
            #expect(history.object["pending"] as? [String] == ["email"])
            #expect(history.object["consents"] as? [String: Bool] == ["sms": false])
            let records = history.object["records"] as? [[String: Any]] ?? []
            #expect(records.compactMap { $0["state"] as? String } == ["pending", "granted", "withdrawn"])
            #expect(records.compactMap { $0["source"] as? String } == ["api", "api", "api"])
            #expect(records.compactMap { $0["actor"] as? String } == ["key:test-admin", "key:test-admin", "key:test-storefront"])
            #expect(try await api.call(.get, "/v1/members/\(ann)/consents", as: "analytics").status == 403)
            #expect(try await api.call(.get, "/v1/members/999/consents").status == 404)

            let bad = try await api.call(.patch, "/v1/members/\(ann)", json: #"{"locale": "zh_CN"}"#)
            #expect(bad.status == 400 && bad.text.contains("locale"), "\(bad.text)")
            #expect(try await api.store.member(id: ann)?.profile.locale == "en-GB")
        }
    }

    @Test func theUnsubscribePageAsksInTheReadersLanguageAndTheOneClickPostUnsubscribes() async throws {
        try await TestAPI.run(configure: { $0.unsubscribe = Self.links }) { api in
            let bo = try await api.enroll("bo")
            _ = try await api.store.updateMember(bo, profile: ProfileUpdate(consents: ["email": true]), addIdentities: [], key: nil)
            let token = Self.links.token(member: bo, channel: .email)

            let english = try await api.call(.get, "/unsubscribe?token=\(token)", as: nil, headers: ["Accept-Language": "fr;q=1, en-GB;q=0.8"])
            #expect(english.status == 200, "\(english.text)")
            #expect(english.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(english.headers[.contentSecurityPolicy]?.contains("style-src 'sha256-") == true, "\(english.headers)")
            #expect(english.text.contains("<html lang=\"en\">") && english.text.contains("<button type=\"submit\">Unsubscribe</button>"))
            #expect(english.text.contains("action=\"?token=\(token)\""))
            #expect(try await api.store.member(id: bo)?.profile.consents["email"] == true)  // a GET changes nothing

            let chinese = try await api.call(.get, "/unsubscribe?token=\(token)", as: nil, headers: ["Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"])
            #expect(chinese.status == 200 && chinese.text.contains("<html lang=\"zh-Hans\">") && chinese.text.contains("退订"))

            let done = try await api.call(.post, "/unsubscribe?token=\(token)", as: nil, json: "List-Unsubscribe=One-Click", headers: Self.form)
            #expect(done.status == 200, "\(done.text)")
            #expect(done.text.contains("You are unsubscribed"))
            #expect(try await api.store.member(id: bo)?.profile.consents["email"] == false)
            let record = try #require(try await api.store.consentRecords(member: bo).last)
            #expect(record.state == .withdrawn && record.source == .unsubscribeLink && record.actor == "member:\(bo)")
            #expect(try await api.store.auditLog(after: 0, limit: 10, subject: "member:\(bo)").map(\.action) == ["member.unsubscribe"])
            // Again: still 200, nothing new.
            #expect(try await api.call(.post, "/unsubscribe?token=\(token)", as: nil).status == 200)
            #expect(try await api.store.consentRecords(member: bo).count == 2)
            let after = try await api.call(.get, "/unsubscribe?token=\(token)", as: nil)
            #expect(after.status == 200 && !after.text.contains("<button"))
        }
    }

    @Test func aBadTokenIs400NamingTheTokenButNotTheMember() async throws {
        try await TestAPI.run(configure: { $0.unsubscribe = Self.links }) { api in
            let bo = try await api.enroll("bo-secret-customer")
            _ = try await api.store.updateMember(bo, profile: ProfileUpdate(name: "Bo Secret", consents: ["email": true]), addIdentities: [], key: nil)
            let token = Self.links.token(member: bo, channel: .email)
            let forged = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
            let other = try await api.enroll("cy")
            let stolen = "\(other).email." + token.split(separator: ".")[2]
            for (path, bad) in [("/unsubscribe", forged), ("/unsubscribe", stolen), ("/unsubscribe", "nonsense"), ("/consent/confirm", token)] {
                for method in [HTTPRequest.Method.get, .post] {
                    let answer = try await api.call(method, "\(path)?token=\(bad)", as: nil)
                    #expect(answer.status == 400, "\(method) \(path) \(bad): \(answer.status) \(answer.text)")
                    #expect(answer.text.contains("token"))
                    #expect(!answer.text.contains("Bo Secret") && !answer.text.contains("bo-secret") && !answer.text.contains("member \(bo)"))
                }
            }
            #expect(try await api.store.member(id: bo)?.profile.consents["email"] == true)
            #expect(try await api.store.member(id: other)?.profile.consents["email"] == nil)
            let missing = try await api.call(.get, "/unsubscribe", as: nil)
            #expect(missing.status == 400 && missing.errorDetails.first?["path"] as? String == "token")
        }
    }

    @Test func theConfirmationLinkOfDoubleOptInGrantsTheConsentOnce() async throws {
        try await TestAPI.run(program: Self.program, configure: { $0.unsubscribe = Self.links }) { api in
            let ann = try await enroll(api, "ann", consents: #"{"email": true}"#)
            let request = try #require(try await api.store.consentRecords(member: ann).first)
            let token = try #require(Self.links.confirmation).token(member: ann, channel: "email", request: request.id)

            let page = try await api.call(.get, "/consent/confirm?token=\(token)", as: nil)
            #expect(page.status == 200 && page.text.contains("<html lang=\"zh-Hans\">") && page.text.contains("确认订阅"), "\(page.text)")
            #expect(try await api.store.member(id: ann)?.profile.consents["email"] != true)

            let confirmed = try await api.call(.post, "/consent/confirm?token=\(token)", as: nil, headers: ["Accept-Language": "en"])
            #expect(confirmed.status == 200 && confirmed.text.contains("Subscription confirmed"), "\(confirmed.text)")
            #expect(try await api.store.member(id: ann)?.profile.consents["email"] == true)
            let records = try await api.store.consentRecords(member: ann)
            #expect(records.map(\.source) == [.api, .doubleOptIn] && records.last?.actor == "member:\(ann)")
            #expect(try await api.call(.post, "/consent/confirm?token=\(token)", as: nil).status == 200)
            #expect(try await api.store.consentRecords(member: ann).count == 2)

            // Withdrawn afterwards: the old link no longer grants anything.
            _ = try await api.call(.patch, "/v1/members/\(ann)", json: #"{"consents": {"email": false}}"#)
            let stale = try await api.call(.post, "/consent/confirm?token=\(token)", as: nil)
            #expect(stale.status == 400 && stale.text.contains("token: this confirmation link is no longer valid"), "\(stale.text)")
            #expect(try await api.store.member(id: ann)?.profile.consents["email"] == false)
        }
    }

    @Test func withoutConfiguredLinksThePagesAreNotFound() async throws {
        try await TestAPI.run { api in
            let token = Self.links.token(member: 1, channel: .email)
            let page = try await api.call(.get, "/unsubscribe?token=\(token)", as: nil)
            let confirmation = try await api.call(.post, "/consent/confirm?token=\(token)", as: nil)
            #expect(page.status == 404 && confirmation.status == 404, "\(page.text) \(confirmation.text)")
        }
    }
}
