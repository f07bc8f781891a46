import Foundation
import HTTPTypes
import Testing

@testable import PatronServer

/// The order-event routes read the validated body and write their answers directly (`IngestionRoutes`); the generated
/// handlers they replace are the reference. The same requests, sent in the same order to two servers on fresh stores
/// with the same program and clock, must get the same status, content type and bytes from both.
@Suite struct IngestionRoutesTests {
    static let order = #"{"id": "O1", "member": {"kind": "customer", "value": "C1"}, "lines": [{"sku": "BEANS", "category": "coffee", "quantity": 2, "unitPrice": 2000}, {"id": "l2", "sku": "MUG", "quantity": 1, "unitPrice": 900, "discount": 100}], "shipping": 700, "tax": 80, "discount": 50, "channel": "web", "currency": "USD", "partner": "salon"}"#

    /// (path, body, extra headers) in the order sent; each answer is compared.
    static let requests: [(String, String, [String: String])] = [
        ("/v1/orders/events", #"{"id": "e1", "kind": "placed", "orderId": "O1", "occurredAt": "2026-03-01T09:00:00.123Z", "order": \#(order)}"#, [:]),
        // The same again: replayed; then the same id with another body: a conflict.
        ("/v1/orders/events", #"{"id": "e1", "kind": "placed", "orderId": "O1", "occurredAt": "2026-03-01T09:00:00.123Z", "order": \#(order)}"#, [:]),
        ("/v1/orders/events", #"{"id": "e1", "kind": "completed", "orderId": "O1"}"#, [:]),
        // An id with characters the JSON answer escapes, no instant (the clock's), an offset instant, one out of range.
        ("/v1/orders/events", #"{"id": "e/2 \"quoted\" é", "kind": "completed", "orderId": "O1"}"#, [:]),
        ("/v1/orders/events/batch", #"{"events": [{"id": "e\t\u0001\\/\u001f\"", "kind": "completed", "orderId": "nothing"}]}"#, [:]),
        ("/v1/orders/events", #"{"id": "e3", "kind": "returned", "orderId": "O1", "occurredAt": "2026-03-02T18:00:00+08:00", "lines": [{"lineId": "BEANS", "quantity": 1}]}"#, [:]),
        ("/v1/orders/events", #"{"id": "e4", "kind": "returned", "orderId": "O1", "occurredAt": "2300-01-01T00:00:00Z"}"#, [:]),
        ("/v1/orders/events", #"{"id": "e5", "kind": "returned", "orderId": "O1", "lines": [{"lineId": "NOPE", "quantity": 1}]}"#, [:]),
        // Refusals: an identity the domain refuses, an order that breaks its rules, an unknown order, a schema problem.
        ("/v1/orders/events", #"{"id": "e6", "kind": "placed", "orderId": "O6", "order": {"id": "O6", "member": {"kind": "email", "value": "not-an-address"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}}"#, [:]),
        ("/v1/orders/events", #"{"id": "e7", "kind": "placed", "orderId": "O7", "order": {"id": "O8", "member": {"kind": "customer", "value": "C7"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}}"#, [:]),
        ("/v1/orders/events", #"{"id": "e8", "kind": "cancelled", "orderId": "nothing"}"#, [:]),
        ("/v1/orders/events", #"{"id": "e9", "kind": "placed"}"#, [:]),
        ("/v1/orders/events", #"{"id": "e10", "kind": "placed", "orderId": "O10", "order": {"id": "O10", "member": {"kind": "customer", "value": "C1"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}], "pointsUsed": 99999999}}"#, [:]),
        // A batch mixing all of it, a duplicate within it among them.
        (
            "/v1/orders/events/batch",
            #"{"events": [{"id": "b1", "kind": "placed", "orderId": "B1", "order": {"id": "B1", "member": {"kind": "email", "value": "Ann@Example.com"}, "lines": [{"sku": "A", "quantity": 3, "unitPrice": 1500}]}}, {"id": "b1", "kind": "placed", "orderId": "B1", "order": {"id": "B1", "member": {"kind": "email", "value": "Ann@Example.com"}, "lines": [{"sku": "A", "quantity": 3, "unitPrice": 1500}]}}, {"id": "b2", "kind": "completed", "orderId": "B1", "occurredAt": "2026-03-02T10:00:00Z"}, {"id": "b/3", "kind": "completed", "orderId": "nothing"}, {"id": "b4", "kind": "placed", "orderId": "B4", "order": {"id": "B4", "member": {"kind": "phone", "value": "x"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}}, {"id": "b5", "kind": "returned", "orderId": "B1", "occurredAt": "1969-12-31T23:59:59Z"}, {"id": "e1", "kind": "placed", "orderId": "O1", "occurredAt": "2026-03-01T09:00:00.123Z", "order": \#(order)}]}"#,
            [:]
        ),
        ("/v1/orders/events/batch", #"{"events": [{"id": "c1", "kind": "placed", "orderId": "C1"}, {"id": "c2", "kind": "nope", "orderId": "C2"}]}"#, [:]),
        ("/v1/orders/events/batch", #"{"events": []}"#, [:]),
        ("/v1/orders/events/batch", "", [:]),
        // Headers the generated code checked itself, now checked before either handler.
        ("/v1/orders/events", #"{"id": "h1", "kind": "completed", "orderId": "O1"}"#, ["Content-Type": "text/plain"]),
        ("/v1/orders/events/batch", #"{"events": [{"id": "h2", "kind": "completed", "orderId": "O1"}]}"#, ["Accept": "text/html"]),
        ("/v1/orders/events/batch", #"{"events": [{"id": "h3", "kind": "completed", "orderId": "O1"}]}"#, ["Accept": "application/*"]),
    ]

    @Test func theOrderEventRoutesAnswerAsTheGeneratedHandlersDo() async throws {
        try await TestAPI.run { direct in
            try await TestAPI.run(generatedIngestion: true) { reference in
                for (index, (path, body, headers)) in Self.requests.enumerated() {
                    let answer = try await direct.call(.post, path, as: "storefront", json: body, headers: headers)
                    let expected = try await reference.call(.post, path, as: "storefront", json: body, headers: headers)
                    #expect(answer.status == expected.status, "request \(index): \(answer.text) against \(expected.text)")
                    #expect(answer.headers[.contentType] == expected.headers[.contentType], "request \(index)")
                    #expect(answer.text == expected.text, "request \(index)")
                }
                // Both stores hold the same afterwards.
                let members = try await direct.call(.get, "/v1/members/customer:C1").text
                #expect(members == (try await reference.call(.get, "/v1/members/customer:C1").text))
            }
        }
    }

    @Test func aBatchOfManyEventsAnswersAsTheGeneratedHandlerDoes() async throws {
        let events = (0..<300).map { index in
            #"{"id": "m\#(index)", "kind": "placed", "orderId": "M\#(index % 290)", "order": {"id": "M\#(index % 290)", "member": {"kind": "customer", "value": "c\#(index % 37)"}, "lines": [{"sku": "S\#(index)", "quantity": \#(index % 5 + 1), "unitPrice": \#(index * 17)}]}}"#
        }
        let body = #"{"events": [\#(events.joined(separator: ","))]}"#
        try await TestAPI.run { direct in
            try await TestAPI.run(generatedIngestion: true) { reference in
                let answer = try await direct.call(.post, "/v1/orders/events/batch", as: "storefront", json: body)
                let expected = try await reference.call(.post, "/v1/orders/events/batch", as: "storefront", json: body)
                let results = try #require(answer.object["results"] as? [[String: Any]])
                #expect(answer.status == 200 && results.count == 300)
                // PostgreSQL numbers the members a batch enrolls in no fixed order, so the ids are held to the customers (one
                // id each) and left out of the comparison.
                var idsByCustomer: [Int: Set<Int>] = [:]
                for (index, result) in results.enumerated() {
                    if let id = (result["outcome"] as? [String: Any])?["memberId"] as? Int { idsByCustomer[index % 37, default: []].insert(id) }
                }
                #expect(idsByCustomer.count == 37 && idsByCustomer.values.allSatisfy { $0.count == 1 }, "one id per customer")
                #expect(Set(idsByCustomer.values.flatMap { $0 }).count == 37, "a different id for each customer")
                let sameBytes = Self.withoutMemberIds(answer.text) == Self.withoutMemberIds(expected.text)
                #expect(sameBytes, "the answers differ beyond member ids")
            }
        }
    }

    static func withoutMemberIds(_ text: String) -> String {
        text.replacingOccurrences(of: #""memberId":[0-9]+"#, with: #""memberId":_"#, options: .regularExpression)
    }
}
