import Foundation
import PatronAnalytics
import PatronCore
@testable import PatronServer
import Testing

/// `GET /v1/analytics/{analysis}` on data no model fits well, and the level figures `patron analyze levels` reads.
@Suite struct AnalyticsRouteTests {
    /// `weeks` weekly orders of 20.00 by every one of `members` members: nobody lapses.
    func placeWeeklyOrders(_ api: TestAPI, members: Int, weeks: Int) async throws {
        let start = ISO8601DateFormatter().date(from: "2025-09-01T15:00:00Z")!
        let formatter = ISO8601DateFormatter()
        for m in 0..<members {
            _ = try await api.enroll("w\(m)")
            for w in 0..<weeks {
                let at = formatter.string(from: start.addingTimeInterval(Double(w * 7 + m % 7) * 86_400))
                let id = "w\(m)-\(w)"
                let answer = try await api.call(
                    .post, "/v1/orders/events",
                    json: #"{"id": "\#(id)", "kind": "placed", "orderId": "\#(id)", "occurredAt": "\#(at)", "order": {"id": "\#(id)", "member": {"kind": "customer", "value": "w\#(m)"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 2000}]}}"#)
                #expect(answer.status == 200, "\(answer.text)")
            }
        }
    }

    @Test func everyAnalysisAnswersWithFiniteJSONWhenNobodyLapses() async throws {
        try await TestAPI.run(program: try TestAPI.programKeepingKeysTenYears()) { api in
            try await placeWeeklyOrders(api, members: 8, weeks: 12)
            for analysis in ["clv", "rfm", "retention", "loyalty", "economics"] {
                let answer = try await api.call(.get, "/v1/analytics/\(analysis)", as: "analytics")
                #expect(answer.status == 200 || answer.status == 422, "\(analysis): \(answer.status) \(answer.text.prefix(300))")
                #expect(answer.json != nil, "\(analysis) is not JSON")
                #expect(answer.text.range(of: #"(?i)\b(nan|[+-]?inf(inity)?)\b"#, options: .regularExpression) == nil, "\(analysis)")
                if answer.status == 422 { #expect(answer.errorCode == AnalyticsError.insufficientData || answer.errorCode == AnalyticsError.fitFailed) }
            }
            let clv = try await api.call(.get, "/v1/analytics/clv", as: "analytics")
            if clv.status == 200 {
                #expect(clv.object["converged"] is Bool && clv.object["problems"] is [Any])
            }
            let rfm = try await api.call(.get, "/v1/analytics/rfm", as: "analytics")
            #expect(rfm.object["currency"] as? String == "USD")
            let first = try #require((rfm.object["customers"] as? [[String: Any]])?.first)
            #expect(first["monetaryMinor"] as? Int == 24_000)  // 12 orders of 20.00, in cents
        }
    }

    @Test func levelValuesUseTheProgramsWindowAndTheLevelCountsAreTheStoredLevels() async throws {
        try await TestAPI.run(program: try TestAPI.programKeepingKeysTenYears()) { api in
            for (customer, instant, cents) in [("old", "2025-01-05T15:00:00Z", 100_000), ("new", "2026-03-01T15:00:00Z", 30_000)] {
                _ = try await api.enroll(customer)
                let answer = try await api.call(
                    .post, "/v1/orders/events",
                    json: #"{"id": "\#(customer)", "kind": "placed", "orderId": "\#(customer)", "occurredAt": "\#(instant)", "order": {"id": "\#(customer)", "member": {"kind": "customer", "value": "\#(customer)"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": \#(cents)}]}}"#)
                #expect(answer.status == 200, "\(answer.text)")
            }
            let data = try await AnalyticsDataset(store: api.store)
            let members = try #require(data.members)
            let values = try #require(data.levelValues)
            let byId = Dictionary(uniqueKeysWithValues: zip(members.map(\.memberId), values))
            let spend = Dictionary(uniqueKeysWithValues: members.map { ($0.memberId, $0.spend) })
            let old = try #require(try await api.store.member(identity: try Identity(kind: "customer", value: "old"))).id
            let new = try #require(try await api.store.member(identity: try Identity(kind: "customer", value: "new"))).id
            // gold-club's levels count spend over a rolling 12 months: the old order is outside the window.
            #expect(spend[old] == 100_000 && byId[old] == 0)
            #expect(byId[new] == 30_000)
            // "members now" counts each member's stored level, as the demo's summary does.
            var stored: [String: Int] = [:]
            for member in members {
                if let level = try await api.store.member(id: member.memberId)?.level.effectiveLevel(at: api.clock.now()) {
                    stored[level, default: 0] += 1
                }
            }
            #expect(try await AnalyticsDataset.membersByLevel(store: api.store, at: api.clock.now()) == stored)
            #expect(data.levels?.levels.map(\.name) == ["Bronze", "Silver", "Gold", "Diamond"])
        }
    }
}
