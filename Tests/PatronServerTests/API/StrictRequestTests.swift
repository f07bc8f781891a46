import Foundation
import HTTPTypes
import Hummingbird
import PatronCore
@testable import PatronServer
import Testing

/// What the API says about requests that are not what openapi.yaml states: each a 400 (or 405) that names the field
/// and where it was sent, never "not valid JSON" for valid JSON or "the body" for a parameter.
@Suite struct StrictRequestTests {
    @Test func aDuplicateKeyIsRefusedNamingTheKey() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("dup-key")
            let answer = try await api.call(
                .post, "/v1/members/\(id)/adjustments", json: #"{"points": 5, "reason": "first", "points": 5000}"#,
                headers: ["Idempotency-Key": "k1"])
            #expect(answer.status == 400 && answer.errorCode == "invalid_input", "\(answer.text)")
            #expect(answer.errorDetails.first?["path"] as? String == "points", "\(answer.text)")
            #expect(answer.text.contains("twice"), "\(answer.text)")
            let nested = try await api.call(
                .post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "a", "value": "b"}]}"#)
            #expect(nested.status == 400 && nested.errorDetails.first?["path"] as? String == "identities[0].value", "\(nested.text)")
            #expect(try await api.store.totals().members == 1, "nothing was enrolled or adjusted")
            #expect(try await api.store.member(id: id)?.balances.active == 0)
        }
    }

    @Test func aNumberThatIsNotAWholeNumberSaysSoAndWhere() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("numbers")
            for (text, expected) in [
                ("5.5", "must be a whole number"), ("10.123", "must be a whole number"), ("1e30", "out of range"),
                ("-1e30", "out of range"), ("9223372036854775808", "out of range"), ("1e3", "whole number"),
            ] {
                let answer = try await api.call(
                    .post, "/v1/members/\(id)/adjustments", json: #"{"points": \#(text), "reason": "r"}"#,
                    headers: ["Idempotency-Key": "n-\(text)"])
                #expect(answer.status == 400 && answer.errorCode == "invalid_input", "\(text): \(answer.text)")
                let message = (answer.object["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.hasPrefix("points: ") && message.contains(expected), "\(text): \(message)")
                #expect(!message.contains("not valid JSON"), "\(text): \(message)")
            }
            let nested = try await api.call(
                .post, "/v1/orders/events",
                json:
                    #"{"id": "e1", "kind": "placed", "orderId": "O1", "order": {"id": "O1", "member": {"kind": "customer", "value": "numbers"}, "lines": [{"sku": "A", "quantity": 1.5, "unitPrice": 100}]}}"#
            )
            #expect(nested.status == 400 && nested.errorDetails.first?["path"] as? String == "order.lines[0].quantity", "\(nested.text)")
            #expect(try await api.store.member(id: id)?.balances.active == 0)
        }
    }

    @Test func malformedJSONSaysWhere() async throws {
        try await TestAPI.run { api in
            let answer = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "a"}],}"#)
            #expect(answer.status == 400 && answer.errorCode == "invalid_input")
            let message = (answer.object["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("not valid JSON") && message.contains("at byte"), "\(message)")
        }
    }

    @Test func pathQueryAndHeaderErrorsNameTheParameterAndWhereItIs() async throws {
        try await TestAPI.run { api in
            let query = try await api.call(.get, "/v1/audit?limit=5000")
            #expect(query.status == 400 && query.errorDetails.first?["location"] as? String == "query", "\(query.text)")
            #expect(query.text.contains("query parameter limit: must be at most 1000"), "\(query.text)")
            #expect(!query.text.contains("request body"), "\(query.text)")

            let twice = try await api.call(.get, "/v1/audit?limit=1&limit=5000")
            #expect(twice.status == 400 && twice.text.contains("query parameter limit: is given 2 times"), "\(twice.text)")

            var doubled = HTTPFields()
            doubled[.authorization] = "Bearer \(api.keys["admin"]!)"
            doubled[.contentType] = "application/json"
            doubled.append(HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "k1"))
            doubled.append(HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "k2"))
            let twoKeys = try await api.client.execute(
                uri: "/v1/members/1/adjustments", method: .post, headers: doubled, body: ByteBuffer(string: #"{"points": 1, "reason": "r"}"#))
            let twoKeysText = String(buffer: twoKeys.body)
            #expect(twoKeys.status == .badRequest && twoKeysText.contains("header parameter Idempotency-Key: is given 2 times"), "\(twoKeysText)")

            let notANumber = try await api.call(.get, "/v1/audit?after=abc")
            #expect(
                notANumber.status == 400 && notANumber.text.contains("query parameter after: must be a whole number"), "\(notANumber.text)")

            let path = try await api.call(.get, "/v1/redemptions/abc")
            #expect(path.status == 400 && path.text.contains("path parameter redemption: must be a whole number"), "\(path.text)")

            let member = try await api.call(.get, "/v1/members/nobody")
            #expect(member.status == 400 && member.text.contains("path parameter member: must match"), "\(member.text)")

            let header = try await api.call(
                .post, "/v1/members/1/adjustments", json: #"{"points": 1, "reason": "r"}"#,
                headers: ["Idempotency-Key": String(repeating: "k", count: 201)])
            #expect(
                header.status == 400 && header.text.contains("header parameter Idempotency-Key: must be at most 200 characters"),
                "\(header.text)")

            let missing = try await api.call(.post, "/v1/members/1/adjustments", json: #"{"points": 1, "reason": "r"}"#)
            #expect(missing.status == 400 && missing.text.contains("header parameter Idempotency-Key: is required"), "\(missing.text)")

            let date = try await api.call(.get, "/v1/partners/salon/settlement?from=2026-13&to=2026-01-31")
            #expect(date.status == 400 && date.text.contains("query parameter from: must be a date"), "\(date.text)")
        }
    }

    @Test func theIssuesLongReasonAndKeyAreRefusedAndNothingIsWritten() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("long")
            let reason = String(repeating: "r", count: 100_000)
            let long = try await api.call(
                .post, "/v1/members/\(id)/adjustments", json: #"{"points": 10, "reason": "\#(reason)"}"#,
                headers: ["Idempotency-Key": "long-1"])
            #expect(long.status == 400 && long.errorDetails.first?["path"] as? String == "reason", "\(long.text.prefix(300))")
            #expect(try await api.store.member(id: id)?.balances.active == 0)
        }
    }

    @Test func aWrongMethodOnAKnownPathIs405WithAllow() async throws {
        try await TestAPI.run { api in
            let answer = try await api.call(.put, "/v1/members")
            #expect(answer.status == 405 && answer.errorCode == "method_not_allowed", "\(answer.text)")
            #expect(answer.headers[.allow] == "POST")
            let member = try await api.call(.post, "/v1/members/1")
            #expect(member.status == 405 && member.headers[.allow] == "DELETE, GET, PATCH", "\(member.headers)")
            let head = try await api.call(.head, "/health")
            #expect(head.status == 405 && head.headers[.allow] == "GET", "a path the document gives GET only")
            let literal = try await api.call(.delete, "/v1/webhooks/deliveries")
            #expect(literal.status == 405 && literal.headers[.allow] == "GET", "\(literal.text)")
            #expect(try await api.call(.get, "/v1/nothing-here").status == 404)
            #expect(try await api.call(.put, "/v1/members", as: nil).status == 401, "no key: nothing about the routes")
        }
    }

    @Test func theJSONReaderKeepsNumbersAsWrittenAndReadsEscapes() throws {
        let value = try JSONText.parse(Data(#" {"a": [1, -2.5e3, true, null], "b": "\u00e9\ud83d\ude00\n"} "#.utf8))
        #expect(value == .object([("a", .array([.number("1"), .number("-2.5e3"), .bool(true), .null])), ("b", .string("é😀\n"))]))
        for bad in [#"{"a": 1,}"#, "[01]", #"{"a" 1}"#, #""\ud800""#, "[1] 2", "", #"{"a":1,"a":2}"#] {
            #expect(throws: JSONText.Failure.self, "\(bad)") { try JSONText.parse(Data(bad.utf8)) }
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONText.Failure.self) { try JSONText.parse(Data(deep.utf8)) }
    }
}
