import Foundation
import PatronCore
import PatronStore
import Testing

/// `/v1/campaigns`: create from JSON (bad input named by path, nothing written), lifecycle steps (422 when refused),
/// the report, and the audit trail with the key's name as actor.
@Suite struct CampaignRouteTests {
    static let campaign = #"""
        {"name": "spring", "segment": "everyone", "window": {"starts": "2026-03-01", "ends": "2026-03-31"}, "holdout": 20,
         "budget": {"points": 1000}, "actions": [{"grantPoints": 10}, {"orderBonus": {"points": 5}}]}
        """#

    @Test("create, start, report and refuse a wrong step over the API")
    func lifecycleOverTheAPI() async throws {
        try await TestAPI.run { api in
            var members: [Int64] = []
            for index in 0..<10 { members.append(try await api.enroll("c\(index)")) }
            _ = try await api.store.saveSegments([SegmentDefinition(name: "everyone", kind: .static, condition: nil)], actor: "test", at: api.clock.now())
            _ = try await api.store.replaceStaticSegmentMembers(segment: "everyone", members: members, at: api.clock.now())

            let created = try await api.call(.post, "/v1/campaigns", json: Self.campaign)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["status"] as? String == "draft")

            let started = try await api.call(.post, "/v1/campaigns/spring/transitions", json: #"{"transition": "start"}"#)
            #expect(started.status == 200, "\(started.text)")
            let assignment = started.object["assignment"] as? [String: Any]
            #expect((assignment?["treated"] as? Int ?? 0) + (assignment?["control"] as? Int ?? 0) == 10)

            let refused = try await api.call(.post, "/v1/campaigns/spring/transitions", json: #"{"transition": "resume"}"#)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "invalid_transition")
            #expect(refused.text.contains("cannot resume: it is running"))

            let shown = try await api.call(.get, "/v1/campaigns/spring")
            #expect(shown.status == 200)
            #expect(shown.object["status"] as? String == "running")
            #expect(try await api.call(.get, "/v1/campaigns").array.count == 1)

            let report = try await api.call(.get, "/v1/campaigns/spring/report", as: "analytics")
            #expect(report.status == 200, "\(report.text)")
            let uplift = report.object["uplift"] as? [String: Any]
            #expect((uplift?["treated"] as? [String: Any])?["members"] as? Int == assignment?["treated"] as? Int)
            #expect((report.object["method"] as? String)?.contains("Newcombe") == true)

            let audit = try await api.store.auditLog(after: 0, limit: 10, subject: "campaign:spring")
            #expect(audit.map(\.action) == ["campaign.create", "campaign.start", "campaign.assign"])
            #expect(audit.allSatisfy { $0.actor.contains("test-admin") })
        }
    }

    @Test("a bad definition is 400 naming each path, and nothing is written; storefront keys are refused")
    func badDefinition() async throws {
        try await TestAPI.run { api in
            let bad = #"{"name": "spring", "segment": "nobody", "window": {"starts": "2026-03-31", "ends": "2026-03-01"}, "budget": {"points": -5}, "actions": [{"grantPoints": 10}]}"#
            let answer = try await api.call(.post, "/v1/campaigns", json: bad)
            #expect(answer.status == 400)
            #expect(answer.text.contains("segment"))
            #expect(answer.text.contains("window.ends"))
            #expect(answer.text.contains("budget.points"))
            #expect(try await api.store.campaigns().isEmpty)
            #expect(try await api.call(.get, "/v1/campaigns", as: "storefront").status == 403)
            #expect(try await api.call(.get, "/v1/campaigns", as: "marketing").status == 200)
            #expect(try await api.call(.get, "/v1/campaigns", as: "analytics").status == 403)
            #expect(try await api.call(.get, "/v1/campaigns/nothing").status == 404)
        }
    }
}
