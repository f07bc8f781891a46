import Foundation
import PatronCore
import PatronStore
import Testing

/// `/v1/care/surveys…`, `/v1/care/winback…` and `/v1/care/report` over HTTP: invitations, one answer each (bad scores
/// 400, nothing written), NPS, offers (audited with the key's name), recovery and the report; scopes enforced.
@Suite struct SurveyRouteTests {
    static let program = (try? String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) ?? "") ?? ""

    @Test("invite, answer once, read NPS, record an offer and read the report over the API")
    func surveysOverTheAPI() async throws {
        try await TestAPI.run(program: Self.program + TestAPI.rewards + "\ncare:\n  surveys: { samplePercent: 100 }\n") { api in
            let member = try await api.enroll("ann")
            let order = Order(id: "o-1", member: try .customer("ann"), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 5_000)])
            _ = try await api.store.apply([.placed(order, at: api.clock.now()), .completed("o-1", at: api.clock.now())], options: ApplyOptions())

            let run = try await api.call(.post, "/v1/care/surveys/invitations")
            #expect(run.status == 200, "\(run.text)")
            #expect(run.object["invited"] as? Int == 1)
            let list = try await api.call(.get, "/v1/care/surveys/invitations?member=\(member)&answered=false", as: "storefront")
            #expect(list.status == 200, "\(list.text)")
            let id = try #require(list.array.first?["id"] as? Int)

            let bad = try await api.call(.post, "/v1/care/surveys/invitations/\(id)/answer", as: "storefront", json: #"{"score": 11}"#)
            #expect(bad.status == 400)
            #expect(try await api.store.surveyInvitation(id: Int64(id))?.answeredAt == nil)
            let answered = try await api.call(.post, "/v1/care/surveys/invitations/\(id)/answer", as: "storefront", json: #"{"score": 9, "comment": "fast"}"#)
            #expect(answered.status == 200, "\(answered.text)")
            #expect(answered.object["score"] as? Int == 9)
            let again = try await api.call(.post, "/v1/care/surveys/invitations/\(id)/answer", as: "storefront", json: #"{"score": 2}"#)
            #expect(again.status == 422)
            #expect(again.errorCode == "invalid_transition")

            let nps = try await api.call(.get, "/v1/care/surveys/nps", as: "analytics")
            #expect(nps.status == 200, "\(nps.text)")
            #expect((nps.object["overall"] as? [String: Any])?["nps"] as? Double == 100)
            #expect(try await api.call(.get, "/v1/care/surveys/nps", as: "storefront").status == 403)

            let offer = try await api.call(.post, "/v1/care/winback/offers", json: #"{"member": \#(member), "offer": "coupon:coupon-5", "cause": "price"}"#)
            #expect(offer.status == 201, "\(offer.text)")
            #expect(try await api.call(.post, "/v1/care/winback/offers", as: "storefront", json: #"{"member": \#(member), "offer": "call"}"#).status == 403)
            let audit = try await api.store.auditLog(after: 0, limit: 10, subject: "member:\(member)")
            #expect(audit.contains { $0.action == "winback.offer" && $0.actor.contains("test-admin") })
            let recovery = try await api.call(.get, "/v1/care/winback/offers", as: "analytics")
            #expect(recovery.status == 200, "\(recovery.text)")
            #expect((recovery.object["overall"] as? [String: Any])?["offers"] as? Int == 1)

            let report = try await api.call(.get, "/v1/care/report?from=2026-03-01", as: "analytics")
            #expect(report.status == 200, "\(report.text)")
            #expect(report.object["orders"] as? Int == 1)
            #expect((report.object["nps"] as? [String: Any])?["nps"] as? Double == 100)
            #expect(try await api.call(.get, "/v1/care/report?from=March", as: "analytics").status == 400)
        }
    }
}
