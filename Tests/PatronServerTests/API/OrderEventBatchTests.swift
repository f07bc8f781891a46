import Foundation
import PatronCore
@testable import PatronServer
import Testing

/// `POST /v1/orders/events/batch`: many events in one request, each applied as if sent alone, each with its own result.
@Suite struct OrderEventBatchTests {
    static func placed(_ id: String, order: String, customer: String, quantity: Int = 1) -> String {
        #"{"id": "\#(id)", "kind": "placed", "orderId": "\#(order)", "order": {"id": "\#(order)", "member": {"kind": "customer", "value": "\#(customer)"}, "lines": [{"sku": "BEANS", "quantity": \#(quantity), "unitPrice": 2000}]}}"#
    }

    static func results(_ response: TestAPI.Answer) -> [[String: Any]] {
        response.object["results"] as? [[String: Any]] ?? []
    }

    @Test func eachEventGetsItsOwnResultInTheOrderSent() async throws {
        try await TestAPI.run { api in
            // Sent alone first, so that the batch replays it.
            #expect(try await api.call(.post, "/v1/orders/events", as: "storefront", json: Self.placed("e0", order: "O-0", customer: "C-1")).status == 200)
            let events = [
                Self.placed("e1", order: "O-1", customer: "C-1"),
                Self.placed("e0", order: "O-0", customer: "C-1"),  // a replay
                Self.placed("e0", order: "O-0", customer: "C-1", quantity: 3),  // the same id with another body
                #"{"id": "e3", "kind": "completed", "orderId": "NO-SUCH-ORDER"}"#,  // an order Patron does not know
                Self.placed("e4", order: "O-4", customer: "C-2"),
            ]
            let batch = try await api.call(.post, "/v1/orders/events/batch", as: "storefront", json: #"{"events": [\#(events.joined(separator: ","))]}"#)
            #expect(batch.status == 200, "\(batch.text)")
            let results = Self.results(batch)
            #expect(results.map { $0["eventId"] as? String } == ["e1", "e0", "e0", "e3", "e4"])
            #expect(results.map { $0["status"] as? Int } == [200, 200, 409, 404, 200])
            #expect((results[0]["outcome"] as? [String: Any])?["replayed"] as? Bool == false)
            #expect((results[1]["outcome"] as? [String: Any])?["replayed"] as? Bool == true)
            #expect((results[2]["error"] as? [String: Any])?["code"] as? String == "idempotency_conflict")
            #expect((results[3]["error"] as? [String: Any])?["code"] as? String == "not_found")
            #expect((results[4]["outcome"] as? [String: Any])?["enrolled"] as? Bool == true)
            // The applied events are in the ledger as if sent one by one; sending the batch again replays them all.
            let again = try await api.call(.post, "/v1/orders/events/batch", as: "storefront", json: #"{"events": [\#(events.joined(separator: ","))]}"#)
            #expect(Self.results(again).map { $0["status"] as? Int } == [200, 200, 409, 404, 200])
            #expect(Self.results(again).compactMap { ($0["outcome"] as? [String: Any])?["replayed"] as? Bool } == [true, true, true])
        }
    }

    @Test func anEventTheLedgerRefusesFailsAlone() async throws {
        try await TestAPI.run { api in
            // Completing an order cancelled earlier in the batch is refused (422); what came before it still counts.
            let batch = try await api.call(
                .post, "/v1/orders/events/batch", as: "storefront",
                json: #"{"events": [\#(Self.placed("p8", order: "O-8", customer: "C-8")), {"id": "c8", "kind": "cancelled", "orderId": "O-8"}, {"id": "d8", "kind": "completed", "orderId": "O-8"}]}"#)
            #expect(batch.status == 200, "\(batch.text)")
            let results = Self.results(batch)
            #expect(results.map { $0["status"] as? Int } == [200, 200, 422])
            #expect((results[2]["error"] as? [String: Any])?["code"] as? String == "invalid_transition")
            #expect(try await api.call(.get, "/v1/members/customer:C-8", as: "storefront").status == 200)
        }
    }

    @Test func anEventDatedBeforeTheIdempotencyWindowIsRefusedWith422NamingTheFieldAndTheWindow() async throws {
        try await TestAPI.run { api in
            // The server's clock reads 2026-03-02T10:00Z; the default window is 30 days.
            let old = #"{"id": "old", "kind": "placed", "orderId": "O-old", "occurredAt": "2026-01-15T10:00:00Z", "order": {"id": "O-old", "member": {"kind": "customer", "value": "C-old"}, "lines": [{"sku": "BEANS", "quantity": 1, "unitPrice": 2000}]}}"#
            let alone = try await api.call(.post, "/v1/orders/events", as: "storefront", json: old)
            #expect(alone.status == 422 && alone.errorCode == "event_too_old", "\(alone.text)")
            let error = alone.object["error"] as? [String: Any]
            #expect((error?["message"] as? String)?.contains("occurredAt 2026-01-15T10:00:00Z is before the idempotency window of 30 days") == true)
            #expect((error?["details"] as? [String])?.contains("field: occurredAt") == true)
            #expect(try await api.call(.get, "/v1/members/customer:C-old", as: "storefront").status == 404)
            // In a batch it is that event's result alone; one inside the window is applied.
            let recent = old.replacingOccurrences(of: "2026-01-15", with: "2026-02-15").replacingOccurrences(of: "\"old\"", with: "\"recent\"")
            let batch = try await api.call(.post, "/v1/orders/events/batch", as: "storefront", json: #"{"events": [\#(old), \#(recent)]}"#)
            #expect(Self.results(batch).map { $0["status"] as? Int } == [422, 200], "\(batch.text)")
            #expect((Self.results(batch)[0]["error"] as? [String: Any])?["code"] as? String == "event_too_old")
        }
    }

    @Test func aBatchOutsideTheDocumentIsRefusedWhole() async throws {
        try await TestAPI.run { api in
            let empty = try await api.call(.post, "/v1/orders/events/batch", as: "storefront", json: #"{"events": []}"#)
            #expect(empty.status == 400 && empty.errorCode == "invalid_input")
            // A quantity of 0 is outside the document: nothing of the batch is applied, and the error names the event.
            let zero = try await api.call(
                .post, "/v1/orders/events/batch", as: "storefront",
                json: #"{"events": [\#(Self.placed("ok", order: "O-7", customer: "C-7")), \#(Self.placed("bad", order: "O-6", customer: "C-6", quantity: 0))]}"#)
            #expect(zero.status == 400 && zero.text.contains("events[1]"), "\(zero.text)")
            #expect(try await api.call(.get, "/v1/members/customer:C-7", as: "storefront").status == 404)
            let events = (0..<1_001).map { Self.placed("e\($0)", order: "O\($0)", customer: "C1") }.joined(separator: ",")
            let tooMany = try await api.call(.post, "/v1/orders/events/batch", as: "storefront", json: #"{"events": [\#(events)]}"#)
            #expect(tooMany.status == 400 && tooMany.text.contains("events"), "\(tooMany.text.prefix(300))")
            let analytics = try await api.call(.post, "/v1/orders/events/batch", as: "analytics", json: #"{"events": [\#(Self.placed("a", order: "A", customer: "C"))]}"#)
            #expect(analytics.status == 403)
        }
    }
}
