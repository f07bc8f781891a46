import Foundation
import HTTPTypes
import Testing

@testable import PatronServer

/// The direct routes read the validated body and write their answers directly (`DirectRoutes`); the generated handlers
/// they replace are the reference. The same requests, sent in the same order to two servers on fresh stores with the
/// same program and clock, must get the same status, content type and bytes from both.
@Suite struct DirectRoutesTests {
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
            try await TestAPI.run(generatedOnly: true) { reference in
                for (index, (path, body, headers)) in Self.requests.enumerated() {
                    try await Self.expectSameAnswer(direct, reference, .post, path, as: "storefront", json: body, headers: headers, "request \(index)")
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
            try await TestAPI.run(generatedOnly: true) { reference in
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

    /// Members with everything a member, a statement and a quote can show: identities, a full profile (a name with
    /// characters the JSON escapes, consents whose keys sort by their bytes), lots, entries with reasons and actors,
    /// pending points, a level override, an erased member. Sent to both servers before the reads.
    static let members: [(HTTPRequest.Method, String, String, [String: String])] = [
        (.post, "/v1/members", #"{"identities": [{"kind": "customer", "value": "R1"}, {"kind": "email", "value": "r1+shop@example.com"}], "profile": {"name": "Ann \"Cat\" O'Neil / 安", "birthday": "1990-02-28", "tags": ["vip", "b/2"], "consents": {"sms": true, "Email": false, "email": true, "推送": true, "a": false}, "region": "CA", "city": "San Francisco", "channel": "web", "gender": "f", "locale": "zh-Hans"}}"#, [:]),
        (.post, "/v1/members", #"{"identities": [{"kind": "customer", "value": "R2"}]}"#, [:]),
        (.post, "/v1/members", #"{"identities": [{"kind": "customer", "value": "p%41 x"}]}"#, [:]),
        (.post, "/v1/members", #"{"identities": [{"kind": "customer", "value": "R3"}], "profile": {"name": "Gone"}}"#, [:]),
        (.post, "/v1/orders/events", #"{"id": "r1", "kind": "placed", "orderId": "RO1", "occurredAt": "2026-02-01T09:00:00Z", "order": \#(order.replacingOccurrences(of: "\"C1\"", with: "\"R1\"").replacingOccurrences(of: "\"O1\"", with: "\"RO1\""))}"#, [:]),
        (.post, "/v1/orders/events", #"{"id": "r2", "kind": "completed", "orderId": "RO1", "occurredAt": "2026-02-20T09:00:00.5Z"}"#, [:]),
        (.post, "/v1/orders/events", #"{"id": "r3", "kind": "placed", "orderId": "RO3", "order": {"id": "RO3", "member": {"kind": "customer", "value": "R1"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 12345}]}}"#, [:]),
        (.post, "/v1/members/customer:R1/adjustments", #"{"points": 321, "reason": "sorry \/ for the \"delay\"\n"}"#, ["Idempotency-Key": "adj-1"]),
        (.put, "/v1/members/customer:R1/level", #"{"level": "Gold", "until": "2026-12-31T00:00:00Z", "reason": "VIP"}"#, ["Idempotency-Key": "lvl-1"]),
        (.delete, "/v1/members/customer:R3", "", [:]),
    ]

    /// The reads, in the order sent: members by every kind of reference, statements of several lengths, quotes that
    /// succeed and quotes each refusal stops, in the order the handler checks them.
    static let reads: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/v1/members/customer:R1", nil),
        (.get, "/v1/members/email:r1+shop@example.com", nil),
        (.get, "/v1/members/email:r1%2Bshop%40example.com", nil),
        (.get, "/v1/members/customer:R2", nil),
        // A customer id holding `%41`: decoded once it is itself, decoded twice it would be `pA x`.
        (.get, "/v1/members/customer:p%2541%20x", nil),
        (.get, "/v1/members/customer:p%2541%20x/statement", nil),
        (.get, "/v1/members/customer:p%zz", nil),
        (.post, "/v1/members/customer:p%2541%20x/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}}"#),
        (.get, "/v1/members/customer:R3", nil),
        (.get, "/v1/members/1", nil),
        // The erased member answers only by id, with no identities left.
        (.get, "/v1/members/4", nil),
        (.get, "/v1/members/4/statement", nil),
        (.get, "/v1/members/customer:nobody", nil),
        (.get, "/v1/members/nonsense:x", nil),
        (.get, "/v1/members/customer:R1/statement", nil),
        (.get, "/v1/members/customer:R1/statement?entries=2", nil),
        (.get, "/v1/members/customer:R1/statement?entries=0", nil),
        (.get, "/v1/members/customer:R1/statement?entries=many", nil),
        (.get, "/v1/members/customer:R2/statement", nil),
        (.get, "/v1/members/customer:R3/statement", nil),
        (.get, "/v1/members/customer:nobody/statement", nil),
        (.post, "/v1/members/customer:R1/quote", #"{"cart": {"lines": [{"sku": "BEANS", "category": "coffee", "quantity": 2, "unitPrice": 2000}, {"id": "m", "sku": "MUG", "quantity": 1, "unitPrice": 900, "discount": 100}], "shipping": 700, "channel": "web"}}"#),
        (.post, "/v1/members/customer:R1/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 3, "unitPrice": 4999}]}, "usePoints": 100, "couponCode": "NOPE", "at": "2026-03-01T12:00:00+08:00"}"#),
        (.post, "/v1/members/customer:R1/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 3, "unitPrice": 4999}]}, "usePoints": 100}"#),
        (.post, "/v1/members/customer:R2/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "at": "2026-03-01T00:00:00Z"}"#),
        (.post, "/v1/members/customer:nobody/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}}"#),
        (.post, "/v1/members/customer:nobody/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100, "discount": 500}]}}"#),
        (.post, "/v1/members/customer:nobody/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "at": "2300-01-01T00:00:00Z"}"#),
        (.post, "/v1/members/customer:R1/quote", #"{"cart": {"lines": [{"id": "x", "sku": "A", "quantity": 1, "unitPrice": 100}, {"id": "x", "sku": "B", "quantity": 1, "unitPrice": 100}]}}"#),
        (.post, "/v1/members/customer:R1/quote", #"{"cart": {"lines": []}}"#),
        (.post, "/v1/members/customer:R1/quote", #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "usePoints": -1}"#),
        (.post, "/v1/members/customer:R1/quote", ""),
    ]

    @Test func theReadRoutesAnswerAsTheGeneratedHandlersDo() async throws {
        try await TestAPI.run { direct in
            try await TestAPI.run(generatedOnly: true) { reference in
                for (index, (method, path, body, headers)) in Self.members.enumerated() {
                    let answer = try await direct.call(method, path, json: body.isEmpty ? nil : body, headers: headers)
                    let expected = try await reference.call(method, path, json: body.isEmpty ? nil : body, headers: headers)
                    #expect(answer.status < 300 && answer.text == expected.text, "set-up \(index): \(answer.text)")
                }
                for (index, (method, path, body)) in Self.reads.enumerated() {
                    for scope in ["storefront", "admin"] {
                        try await Self.expectSameAnswer(direct, reference, method, path, as: scope, json: body, "read \(index) (\(path))")
                    }
                }
                // What the reads show is worth comparing: R1 has lots, entries, an override and every profile field.
                let statement = try await direct.call(.get, "/v1/members/customer:R1/statement").object
                #expect((statement["lots"] as? [Any])?.isEmpty == false && (statement["entries"] as? [Any])?.count ?? 0 >= 3)
                let member = try #require(statement["member"] as? [String: Any])
                #expect((member["level"] as? [String: Any])?["override"] != nil && (member["profile"] as? [String: Any])?["birthday"] as? String == "1990-02-28")
                #expect(try await direct.call(.get, "/v1/members/4").object["erasedAt"] != nil)
                let quote = try await direct.call(.post, "/v1/members/customer:R1/quote", json: Self.reads[21].2).object
                #expect((quote["perks"] as? [String])?.isEmpty == false && (quote["adjustments"] as? [Any])?.isEmpty == false)
            }
        }
    }

    /// Every kind of reward, one with levels, tags, stock and a name the JSON escapes.
    static let catalogue = """

        rewards:
          - { id: coupon-5, name: 5 dollars off, kind: coupon, cost: 500, coupon: { value: "5.00", minimumSpend: "20.00", validDays: 30 } }
          - { id: mug, name: "Mug / \\"big\\"", kind: gift, cost: 1000, stock: 10, levels: [Silver, Bronze], tags: [kitchen, b] }
          - { id: tea-set, name: 茶具套装, kind: pointsAndCash, cost: 8000, cash: "88.00" }
          - { id: tasting, name: Tasting, kind: event, cost: 1500, stock: 100 }
          - { id: spin, name: Spin, kind: lottery, cost: 10, prizes: [{ points: 500, probability: 0.5 }, { reward: coupon-5, probability: 0.25 }] }

        """

    /// Simulations that succeed and each refusal, in the order the handler checks them.
    static let simulations = [
        #"{"cart": {"lines": [{"sku": "BEANS", "category": "coffee", "quantity": 2, "unitPrice": 2000}], "shipping": 500, "channel": "app"}}"#,
        #"{"cart": {"lines": [{"sku": "A", "quantity": 3, "unitPrice": 4999}]}, "level": "Gold", "tags": ["vip", "b/2"], "birthday": "1990-03-01", "firstOrder": true, "at": "2026-03-01T12:00:00+08:00"}"#,
        #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "level": "Nobody", "firstOrder": false}"#,
        #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100, "discount": 500}]}, "birthday": "1990-02-30"}"#,
        #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "birthday": "1990-02-30", "at": "2300-01-01T00:00:00Z"}"#,
        #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "at": "2300-01-01T00:00:00Z"}"#,
        #"{"cart": {"lines": [{"sku": "A", "quantity": 1, "unitPrice": 100}]}, "tags": [1]}"#,
        #"{"cart": {"lines": []}}"#,
        "",
    ]

    @Test func theCatalogueAndSimulationsAnswerAsTheGeneratedHandlersDo() async throws {
        let program = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + Self.catalogue
        try await TestAPI.run(program: program) { direct in
            try await TestAPI.run(program: program, generatedOnly: true) { reference in
                for api in [direct, reference] {
                    #expect(try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "S1"}], "profile": {"tags": ["kitchen"]}}"#).status == 201)
                    #expect(try await api.call(.post, "/v1/members/customer:S1/adjustments", json: #"{"points": 5000, "reason": "test"}"#, headers: ["Idempotency-Key": "a"]).status == 200)
                    let redeemed = try await api.call(.post, "/v1/redemptions", json: #"{"member": "customer:S1", "reward": "mug"}"#, headers: ["Idempotency-Key": "r"])
                    #expect(redeemed.status < 300, "\(redeemed.text)")
                }
                let catalogue = try await direct.call(.get, "/v1/rewards", as: "storefront")
                #expect(catalogue.text == (try await reference.call(.get, "/v1/rewards", as: "storefront").text))
                #expect(catalogue.text.contains(#""remaining":9"#) && catalogue.text.contains(#""cash":8800"#), "\(catalogue.text)")
                for (index, body) in Self.simulations.enumerated() {
                    try await Self.expectSameAnswer(direct, reference, .post, "/v1/simulate/order", as: "storefront", json: body, "simulation \(index)")
                }
                let rich = try await direct.call(.post, "/v1/simulate/order", as: "storefront", json: Self.simulations[1]).object
                #expect((rich["breakdown"] as? [Any])?.count ?? 0 >= 2)
            }
        }
    }

    /// Sends the same request to both servers and expects the same status, `Content-Type` and bytes.
    static func expectSameAnswer(
        _ direct: TestAPI, _ reference: TestAPI, _ method: HTTPRequest.Method, _ path: String, as scope: String, json body: String?,
        headers: [String: String] = [:], _ label: String
    ) async throws {
        let answer = try await direct.call(method, path, as: scope, json: body, headers: headers)
        let expected = try await reference.call(method, path, as: scope, json: body, headers: headers)
        #expect(answer.status == expected.status, "\(label): \(answer.text) against \(expected.text)")
        #expect(answer.headers[.contentType] == expected.headers[.contentType], "\(label)")
        #expect(answer.text == expected.text, "\(label)")
    }

    static func withoutMemberIds(_ text: String) -> String {
        text.replacingOccurrences(of: #""memberId":[0-9]+"#, with: #""memberId":_"#, options: .regularExpression)
    }
}
