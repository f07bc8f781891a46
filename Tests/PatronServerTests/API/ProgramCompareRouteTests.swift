import Foundation
import PatronCore
@testable import PatronServer
import Testing

/// `POST /v1/program/compare`: the what-if over HTTP, for admin and analytics keys; a bad draft answers with every line.
@Suite struct ProgramCompareRouteTests {
    func placeOrders(_ api: TestAPI) async throws {
        let formatter = ISO8601DateFormatter()
        let start = formatter.date(from: "2026-01-05T10:00:00Z")!
        for (index, customer) in ["ann", "bo", "cy"].enumerated() {
            _ = try await api.enroll(customer)
            for order in 0..<4 {
                let id = "\(customer)-\(order)"
                let at = formatter.string(from: start.addingTimeInterval(Double(order * 9 + index) * 86_400))
                let done = formatter.string(from: start.addingTimeInterval(Double(order * 9 + index + 1) * 86_400))
                let placed = try await api.call(
                    .post, "/v1/orders/events",
                    json: #"{"id": "\#(id)", "kind": "placed", "orderId": "\#(id)", "occurredAt": "\#(at)", "order": {"id": "\#(id)", "member": {"kind": "customer", "value": "\#(customer)"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": \#(5_000 + 7_000 * index)}]}}"#)
                #expect(placed.status == 200, "\(placed.text)")
                let completed = try await api.call(
                    .post, "/v1/orders/events", json: #"{"id": "\#(id)-c", "kind": "completed", "orderId": "\#(id)", "occurredAt": "\#(done)"}"#)
                #expect(completed.status == 200, "\(completed.text)")
            }
        }
    }

    @Test func aDraftIsComparedForAnalyticsKeysAndTheReplayMatchesTheLedger() async throws {
        try await TestAPI.run(program: try TestAPI.programKeepingKeysTenYears()) { api in
            try await placeOrders(api)
            let program = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
            let body = try JSONSerialization.data(withJSONObject: ["draft": program, "months": 6])
            let answer = try await api.call(.post, "/v1/program/compare", as: "analytics", json: String(decoding: body, as: UTF8.self))
            #expect(answer.status == 200, "\(answer.text.prefix(400))")
            let check = try #require(answer.object["ledgerCheck"] as? [String: Any])
            #expect(check["matches"] as? Bool == true)
            #expect(check["orders"] as? Int == 12)
            #expect((answer.object["rules"] as? [[String: Any]])?.allSatisfy { $0["change"] as? Int == 0 } == true)
            // Storefront keys may not ask.
            let refused = try await api.call(.post, "/v1/program/compare", as: "storefront", json: String(decoding: body, as: UTF8.self))
            #expect(refused.status == 403)
        }
    }

    @Test func aBadDraftIsRefusedWithEveryProblemAndItsLine() async throws {
        try await TestAPI.run(program: try TestAPI.programKeepingKeysTenYears()) { api in
            try await placeOrders(api)
            let draft = "name: x\ncurrency: XYZ\ntimeZone: Mars/Base\nearning: { points: -1, per: \"1.00\" }\n"
            let body = try JSONSerialization.data(withJSONObject: ["draft": draft])
            let answer = try await api.call(.post, "/v1/program/compare", json: String(decoding: body, as: UTF8.self))
            #expect(answer.status == 400 || answer.status == 422, "\(answer.text)")
            #expect(answer.errorCode == "invalid_program")
            #expect(answer.text.contains("currency (line 2)") && answer.text.contains("timeZone (line 3)") && answer.text.contains("earning.points (line 4)"))
            let neither = try await api.call(.post, "/v1/program/compare", json: "{}")
            #expect(neither.status == 400)
        }
    }
}
