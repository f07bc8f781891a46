import Foundation
import PatronCore
import PatronStore
import Testing

/// `/v1/segments`: load from JSON (bad input named by path, nothing written), list, show, preview, members, static
/// import, refresh; the marketing scope, and storefront keys refused.
@Suite struct SegmentRouteTests {
    static let file = #"""
        {"segments": [
          {"name": "tagged", "description": "Members tagged fair", "where": {"tag": "fair"}},
          {"name": "not-tagged", "where": {"not": {"segment": "tagged"}}},
          {"name": "list", "type": "static"}
        ]}
        """#

    @Test("load, list, show, preview, page members, import and refresh over the API with a marketing key")
    func segmentsOverTheAPI() async throws {
        try await TestAPI.run { api in
            let ann = try await api.enroll("ann")
            let bob = try await api.enroll("bob")
            let tagged = try await api.call(.patch, "/v1/members/\(ann)", json: #"{"addTags": ["fair"], "city": "Hangzhou"}"#)
            #expect(tagged.status == 200, "\(tagged.text)")
            #expect((tagged.object["profile"] as? [String: Any])?["city"] as? String == "Hangzhou")

            let loaded = try await api.call(.post, "/v1/segments", as: "marketing", json: Self.file)
            #expect(loaded.status == 200, "\(loaded.text)")
            #expect((loaded.object["saved"] as? [[String: Any]])?.map { $0["change"] as? String } == ["created", "created", "created"])
            #expect((loaded.object["refreshed"] as? [[String: Any]])?.map { $0["members"] as? Int } == [1, 1])

            let list = try await api.call(.get, "/v1/segments", as: "marketing")
            #expect(list.array.map { $0["name"] as? String } == ["list", "not-tagged", "tagged"])
            let shown = try await api.call(.get, "/v1/segments/tagged", as: "marketing")
            #expect(shown.object["where"] as? String == "{ tag: fair }")
            #expect(shown.object["version"] as? Int == 1)

            let preview = try await api.call(.get, "/v1/segments/not-tagged/preview?sample=5", as: "analytics")
            #expect(preview.status == 200, "\(preview.text)")
            #expect(preview.object["count"] as? Int == 1)
            #expect((preview.object["sample"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(bob)])

            let page = try await api.call(.get, "/v1/segments/tagged/members?limit=10", as: "marketing")
            #expect(page.array.map { $0["memberId"] as? Int } == [Int(ann)])

            let imported = try await api.call(.put, "/v1/segments/list/members", as: "marketing", json: #"{"identities": ["customer:ann", "customer:bob"]}"#)
            #expect(imported.status == 200, "\(imported.text)")
            #expect(imported.object["members"] as? Int == 2)

            _ = try await api.call(.patch, "/v1/members/\(bob)", json: #"{"addTags": ["fair"]}"#)
            let refreshed = try await api.call(.post, "/v1/segments/tagged/refresh", as: "marketing")
            #expect(refreshed.object["entered"] as? Int == 1)

            let audit = try await api.store.auditLog(after: 0, limit: 20, subject: "segment:list")
            #expect(audit.map(\.action) == ["segment.save", "segment.import"])
            #expect(audit.allSatisfy { $0.actor.contains("test-marketing") })
        }
    }

    @Test("a bad file is 400 naming each path and nothing is written; unknown identities refuse an import; storefront keys are refused")
    func badInput() async throws {
        try await TestAPI.run { api in
            let bad = #"{"segments": [{"name": "a", "where": {"ordrs": {"min": 1}}}, {"name": "b", "where": {"segment": "b"}}]}"#
            let answer = try await api.call(.post, "/v1/segments", json: bad)
            #expect(answer.status == 400)
            #expect(answer.text.contains("segments[0].where.ordrs"))
            #expect(answer.text.contains("segments[1].where.segment"))
            #expect(try await api.store.segments().isEmpty)

            _ = try await api.call(.post, "/v1/segments", json: #"{"segments": [{"name": "list", "type": "static"}]}"#)
            _ = try await api.enroll("ann")
            let refused = try await api.call(.put, "/v1/segments/list/members", json: #"{"identities": ["customer:ann", "customer:nobody"]}"#)
            #expect(refused.status == 404 || refused.status == 400, "\(refused.text)")
            #expect(refused.text.contains("identities[1]"))
            #expect(try await api.store.segment(named: "list")?.memberCount == 0)

            #expect(try await api.call(.get, "/v1/segments", as: "storefront").status == 403)
            #expect(try await api.call(.get, "/v1/segments/nothing").status == 404)
        }
    }
}
