import Foundation
import Testing

@testable import PatronServer

/// `Content-Type` and `Accept` are checked before a handler runs: a request the server would answer in a type the
/// caller refuses is refused whole, not done and then refused (as the generated code did, checking `Accept` only when
/// writing the answer).
@Suite struct MediaTypeTests {
    static let event = #"{"id": "e1", "kind": "placed", "orderId": "O1", "order": {"id": "O1", "member": {"kind": "customer", "value": "C1"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1000}]}}"#

    @Test func anAcceptThatRefusesJSONRefusesTheEventBeforeItIsApplied() async throws {
        try await TestAPI.run { api in
            let refused = try await api.call(.post, "/v1/orders/events", as: "storefront", json: Self.event, headers: ["Accept": "text/html"])
            #expect(refused.status == 400 && refused.errorCode == "invalid_input", "\(refused.text)")
            #expect(refused.errorDetails.first?["path"] as? String == "Accept" && refused.errorDetails.first?["location"] as? String == "header")
            let sent = try await api.call(.post, "/v1/orders/events", as: "storefront", json: Self.event)
            #expect(sent.status == 200 && sent.object["replayed"] as? Bool == false, "the refused event was applied: \(sent.text)")
            let member = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "C9"}]}"#, headers: ["Accept": "text/plain"])
            #expect(member.status == 400)
            #expect(try await api.call(.get, "/v1/members/customer:C9").status == 404, "the refused enrolment was done")
        }
    }

    @Test(arguments: ["application/json", "application/*", "*/*", "text/html, application/json;q=0.9", "APPLICATION/JSON; charset=utf-8"])
    func anAcceptAllowingJSONIsAnswered(accept: String) async throws {
        try await TestAPI.run { api in
            let answer = try await api.call(.post, "/v1/orders/events", as: "storefront", json: Self.event, headers: ["Accept": accept])
            #expect(answer.status == 200, "\(accept): \(answer.text)")
        }
    }

    @Test func aMalformedAcceptIsNamed() async throws {
        try await TestAPI.run { api in
            let answer = try await api.call(.get, "/v1/rewards", as: "storefront", headers: ["Accept": "json"])
            #expect(answer.status == 400 && answer.errorDetails.first?["path"] as? String == "Accept", "\(answer.text)")
            #expect(answer.text.contains("is not a media range"), "\(answer.text)")
        }
    }

    @Test func theAnswersTypesComeFromTheDocument() throws {
        let rules = APIServer.requestRules
        #expect(rules.match(method: .get, path: "/v1/members/customer:C1").operation?.answerTypes == ["application/json"])
        #expect(rules.match(method: .get, path: "/track/open/abc.def").operation?.answerTypes == ["image/gif"])
        #expect(MediaTypes.acceptProblem("image/*", answers: ["image/gif"]) == nil)
        #expect(MediaTypes.acceptProblem("image/*", answers: ["application/json"]) != nil)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", "garbage"])
    func aBodyThatIsNotJSONIsRefusedNamingItsType(type: String) async throws {
        try await TestAPI.run { api in
            let answer = try await api.call(.post, "/v1/orders/events", as: "storefront", json: Self.event, headers: ["Content-Type": type])
            #expect(answer.status == 400 && answer.errorDetails.first?["path"] as? String == "Content-Type", "\(type): \(answer.text)")
            #expect(try await api.call(.post, "/v1/orders/events", as: "storefront", json: Self.event).object["replayed"] as? Bool == false)
        }
    }
}
