import Foundation
import PatronCore
@testable import PatronServer
import PatronStore
import Testing

@Suite struct APIRouteTests {
    @Test func aMemberEnrollsOrdersAndSeesTheirPoints() async throws {
        try await TestAPI.run { api in
            let enrolled = try await api.call(
                .post, "/v1/members", as: "storefront",
                json: #"{"identities": [{"kind": "email", "value": "Ann@Example.com"}], "profile": {"name": "Ann", "birthday": "1990-05-04", "tags": ["vip"]}}"#)
            #expect(enrolled.status == 201)
            let id = try #require(enrolled.object["id"] as? Int)
            let byEmail = try await api.call(.get, "/v1/members/email:ann@example.com", as: "storefront")
            #expect(byEmail.status == 200 && byEmail.object["id"] as? Int == id)
            #expect((byEmail.object["profile"] as? [String: Any])?["birthday"] as? String == "1990-05-04")

            let placed = try await api.call(
                .post, "/v1/orders/events", as: "storefront",
                json: #"{"id": "e1", "kind": "placed", "orderId": "O-1", "order": {"id": "O-1", "member": {"kind": "email", "value": "ann@example.com"}, "lines": [{"sku": "BEANS", "quantity": 2, "unitPrice": 2000}]}}"#)
            #expect(placed.status == 200, "\(placed.text)")
            #expect(placed.object["pendingDelta"] as? Int == 90)  // 40 points, plus the 50-point welcome bonus
            let replay = try await api.call(
                .post, "/v1/orders/events", as: "storefront",
                json: #"{"id": "e1", "kind": "placed", "orderId": "O-1", "order": {"id": "O-1", "member": {"kind": "email", "value": "ann@example.com"}, "lines": [{"sku": "BEANS", "quantity": 2, "unitPrice": 2000}]}}"#)
            #expect(replay.status == 200 && replay.object["replayed"] as? Bool == true)
            let conflict = try await api.call(
                .post, "/v1/orders/events", as: "storefront",
                json: #"{"id": "e1", "kind": "placed", "orderId": "O-1", "order": {"id": "O-1", "member": {"kind": "email", "value": "ann@example.com"}, "lines": [{"sku": "BEANS", "quantity": 3, "unitPrice": 2000}]}}"#)
            #expect(conflict.status == 409 && conflict.errorCode == "idempotency_conflict")

            let statement = try await api.call(.get, "/v1/members/\(id)/statement?entries=10", as: "storefront")
            #expect(statement.status == 200)
            let balances = (statement.object["member"] as? [String: Any])?["balances"] as? [String: Any]
            #expect(balances?["pending"] as? Int == 90)
            #expect((statement.object["entries"] as? [Any])?.count == 1)
        }
    }

    @Test func pointsAreSpentOnRewardsAndAdminsCanReverse() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("C-1")
            let short = try await api.call(
                .post, "/v1/redemptions", as: "storefront", json: #"{"member": "customer:C-1", "reward": "mug"}"#, headers: ["Idempotency-Key": "r1"])
            #expect(short.status == 422 && short.errorCode == "insufficient_points")

            let adjusted = try await api.call(
                .post, "/v1/members/\(id)/adjustments", json: #"{"points": 1500, "reason": "goodwill"}"#, headers: ["Idempotency-Key": "a1"])
            #expect(adjusted.status == 200, "\(adjusted.text)")
            #expect((adjusted.object["balances"] as? [String: Any])?["active"] as? Int == 1500)

            let redeemed = try await api.call(
                .post, "/v1/redemptions", as: "storefront", json: #"{"member": "customer:C-1", "reward": "coupon-5"}"#, headers: ["Idempotency-Key": "r2"])
            #expect(redeemed.status == 201, "\(redeemed.text)")
            let redemption = try #require(redeemed.object["id"] as? Int)
            let code = try #require(redeemed.object["couponCode"] as? String)

            let quote = try await api.call(
                .post, "/v1/members/\(id)/quote", as: "storefront",
                json: #"{"cart": {"lines": [{"sku": "BEANS", "quantity": 2, "unitPrice": 2000}]}, "couponCode": "\#(code)", "usePoints": 100}"#)
            #expect(quote.status == 200, "\(quote.text)")
            #expect(quote.object["goods"] as? Int == 4000)
            #expect((quote.object["adjustments"] as? [[String: Any]])?.contains { $0["amount"] as? Int == 500 } == true)

            let coupons = try await api.call(.get, "/v1/members/\(id)/coupons", as: "storefront")
            #expect(coupons.array.map { $0["couponCode"] as? String } == [code])

            let forbidden = try await api.call(
                .post, "/v1/redemptions/\(redemption)/reversal", as: "storefront", json: #"{"reason": "x"}"#, headers: ["Idempotency-Key": "v1"])
            #expect(forbidden.status == 403 && forbidden.errorCode == "forbidden")
            let reversed = try await api.call(
                .post, "/v1/redemptions/\(redemption)/reversal", json: #"{"reason": "customer asked"}"#, headers: ["Idempotency-Key": "v1"])
            #expect(reversed.status == 200, "\(reversed.text)")
            let member = try #require(try await api.store.member(id: id))
            #expect(member.balances.active == 1500)

            let audit = try await api.call(.get, "/v1/audit?subject=member:\(id)")
            #expect(audit.array.map { $0["action"] as? String } == ["member.adjust"])
            #expect(audit.array.first?["actor"] as? String == "key:test-admin")
            let reversal = try await api.call(.get, "/v1/audit?subject=redemption:\(redemption)")
            #expect(reversal.array.first?["action"] as? String == "redemption.reverse")
            #expect(try await api.store.check().isEmpty)
        }
    }

    @Test func activitiesTransfersSimulationAndRewardsAnswer() async throws {
        try await TestAPI.run { api in
            let ann = try await api.enroll("ann")
            _ = try await api.enroll("bob")
            let review = try await api.call(
                .post, "/v1/members/\(ann)/activities", as: "storefront", json: #"{"kind": "review"}"#, headers: ["Idempotency-Key": "rev-1"])
            #expect(review.status == 200 && review.object["points"] as? Int == 25, "\(review.text)")
            _ = try await api.call(.post, "/v1/members/\(ann)/adjustments", json: #"{"points": 1000, "reason": "test"}"#, headers: ["Idempotency-Key": "a"])
            let transfer = try await api.call(
                .post, "/v1/transfers", as: "storefront", json: #"{"from": "customer:ann", "to": "customer:bob", "points": 200}"#,
                headers: ["Idempotency-Key": "t1"])
            #expect(transfer.status == 200 && transfer.object["fee"] as? Int == 10, "\(transfer.text)")
            let bob = try await api.call(.get, "/v1/members/customer:bob", as: "storefront")
            #expect((bob.object["balances"] as? [String: Any])?["active"] as? Int == 200)
            // The API audits a transfer as `patron member transfer` does (AdminActions), with the key as the actor.
            let audit = try await api.call(.get, "/v1/audit?subject=member:\(ann)")
            #expect(audit.array.map { $0["action"] as? String } == ["member.adjust", "member.transfer"], "\(audit.text)")
            #expect(audit.array.last?["actor"] as? String == "key:test-storefront")

            let simulated = try await api.call(
                .post, "/v1/simulate/order", as: "storefront",
                json: #"{"cart": {"lines": [{"sku": "X", "category": "coffee", "quantity": 1, "unitPrice": 1000}]}, "level": "Gold", "firstOrder": true}"#)
            #expect(simulated.status == 200, "\(simulated.text)")
            #expect(simulated.object["points"] as? Int == 10 + 5 + 10 + 50)  // base, Gold ×1.5, coffee ×2, welcome
            let unknownLevel = try await api.call(
                .post, "/v1/simulate/order", as: "storefront", json: #"{"cart": {"lines": [{"sku": "X", "quantity": 1, "unitPrice": 1000}]}, "level": "Platinum"}"#)
            #expect(unknownLevel.status == 400 && unknownLevel.text.contains("Platinum"), "\(unknownLevel.text)")

            let rewards = try await api.call(.get, "/v1/rewards", as: "storefront")
            #expect(rewards.array.map { $0["id"] as? String } == ["coupon-5", "mug"])
            let totals = try await api.call(.get, "/v1/analytics/totals", as: "analytics")
            #expect(totals.status == 200 && totals.object["members"] as? Int == 2)
        }
    }

    @Test func instantsAreReadWithOrWithoutFractionsAndOffsetsAndWrittenWithMilliseconds() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("C-7")
            for (index, instant) in ["2026-03-01T10:00:00.123Z", "2026-03-01T18:00:00+08:00"].enumerated() {
                let placed = try await api.call(
                    .post, "/v1/orders/events",
                    json: #"{"id": "t\#(index)", "kind": "placed", "orderId": "T\#(index)", "occurredAt": "\#(instant)", "order": {"id": "T\#(index)", "member": {"kind": "customer", "value": "C-7"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1000}]}}"#)
                #expect(placed.status == 200, "\(instant): \(placed.text)")
            }
            let statement = try await api.call(.get, "/v1/members/\(id)/statement")
            let times = (statement.object["entries"] as? [[String: Any]])?.compactMap { $0["occurredAt"] as? String }.sorted()
            #expect(times == ["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.123Z"])
            let bad = try await api.call(
                .post, "/v1/orders/events",
                json: #"{"id": "t9", "kind": "placed", "orderId": "T9", "occurredAt": "yesterday", "order": {"id": "T9", "member": {"kind": "customer", "value": "C-7"}, "lines": [{"sku": "A", "quantity": 1, "unitPrice": 1000}]}}"#)
            #expect(bad.status == 400 && bad.text.contains("yesterday"), "\(bad.text)")
        }
    }

    @Test func badInputIsA400NamingTheField() async throws {
        try await TestAPI.run { api in
            let missing = try await api.call(.post, "/v1/members", json: #"{"profile": {"name": "x"}}"#)
            #expect(missing.status == 400 && missing.errorCode == "invalid_input")
            #expect(missing.errorDetails.first?["path"] as? String == "identities", "\(missing.text)")

            let wrongType = try await api.call(
                .post, "/v1/orders/events",
                json: #"{"id": "e", "kind": "placed", "orderId": "O", "order": {"id": "O", "member": {"kind": "customer", "value": "c"}, "lines": [{"sku": "A", "quantity": "two", "unitPrice": 1}]}}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.errorDetails.first?["path"] as? String == "order.lines[0].quantity", "\(wrongType.text)")

            let unknownField = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "c"}], "admin": true}"#)
            #expect(unknownField.status == 400, "\(unknownField.text)")
            #expect(unknownField.text.contains("admin"))

            let notJSON = try await api.call(.post, "/v1/members", json: "{not json")
            #expect(notJSON.status == 400 && notJSON.errorCode == "invalid_input")

            let badIdentity = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "email", "value": "not-an-email"}]}"#)
            #expect(badIdentity.status == 400, "\(badIdentity.text)")

            let longTag = String(repeating: "t", count: 65)
            let tooLong = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "t"}], "profile": {"tags": ["\#(longTag)"]}}"#)
            #expect(tooLong.status == 400 && tooLong.text.contains("profile.tags[0]"), "\(tooLong.text)")

            let unknown = try await api.call(.get, "/v1/members/424242")
            #expect(unknown.status == 404 && unknown.errorCode == "not_found")
            let noRoute = try await api.call(.get, "/v1/nothing-here")
            #expect(noRoute.status == 404 && noRoute.errorCode == "not_found")

            let missingKeyHeader = try await api.call(.post, "/v1/members/1/adjustments", json: #"{"points": 1, "reason": "r"}"#)
            #expect(missingKeyHeader.status == 400, "\(missingKeyHeader.text)")

            let duplicate = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "dup"}]}"#)
            let again = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "dup"}]}"#)
            #expect(duplicate.status == 201 && again.status == 409 && again.errorCode == "duplicate_identity")
            #expect(try await api.store.totals().members == 1, "only dup was enrolled")
        }
    }

    @Test func keysAreRequiredAndScoped() async throws {
        try await TestAPI.run { api in
            #expect(try await api.call(.get, "/health", as: nil).status == 200)
            let none = try await api.call(.get, "/v1/rewards", as: nil)
            #expect(none.status == 401 && none.errorCode == "unauthorized")
            #expect(try await api.call(.get, "/v1/rewards", as: "pk_not-a-real-key").status == 401)
            #expect(try await api.call(.get, "/v1/rewards", as: "analytics").status == 403)
            #expect(try await api.call(.get, "/v1/analytics/totals", as: "storefront").status == 403)
            #expect(try await api.call(.get, "/v1/analytics/totals", as: "analytics").status == 200)
            #expect(try await api.call(.get, "/v1/audit", as: "storefront").status == 403)
            let ready = try await api.call(.get, "/ready", as: "storefront")
            #expect(ready.status == 200 && ready.object["program"] as? String == "Northwind Gold Club")
            let document = try await api.call(.get, "/openapi.yaml", as: "storefront")
            #expect(document.status == 200 && document.text.hasPrefix("openapi: 3.1.0"))
            let metrics = try await api.call(.get, "/metrics", as: "analytics")
            #expect(metrics.status == 200 && metrics.text.contains("hb_requests"), "\(metrics.text.prefix(500))")
        }
    }

    @Test func everyAnswerCarriesSecurityHeaders() async throws {
        try await TestAPI.run { api in
            for answer in [try await api.call(.get, "/health", as: nil), try await api.call(.get, "/v1/members/1", as: nil)] {
                #expect(answer.headers[.xContentTypeOptions] == "nosniff")
                #expect(answer.headers[.cacheControl] == "no-store")
                #expect(answer.headers[.contentSecurityPolicy] != nil)
            }
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        try await TestAPI.run(configure: { $0.maxBodyBytes = 1_000 }) { api in
            let tags = Array(repeating: #""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#, count: 50).joined(separator: ",")
            let big = try await api.call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "c"}], "profile": {"tags": [\#(tags)]}}"#)
            #expect(big.status == 413 && big.errorCode == "body_too_large")
            #expect(try await api.store.totals().members == 0)
        }
    }

    @Test func aKeyOverItsRateGets429WithRetryAfter() async throws {
        try await TestAPI.run(configure: { $0.requestsPerSecond = 0.01; $0.burst = 3 }) { api in  // no refill within the test
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await api.call(.get, "/v1/rewards", as: "storefront").status) }
            #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
            #expect(statuses.last == 429)
            let limited = try await api.call(.get, "/v1/rewards", as: "storefront")
            #expect(limited.errorCode == "rate_limited" && limited.headers[.retryAfter] != nil)
            // Another key has its own budget.
            #expect(try await api.call(.get, "/v1/rewards", as: "admin").status == 200)
        }
    }

    @Test func injectionAndScriptStringsAreStoredVerbatimAndHarmless() async throws {
        try await TestAPI.run { api in
            let nasty = [
                "Robert'); DROP TABLE members;--", "<script>alert('x')</script>", "\" OR 1=1 --", "名前\u{0000}x".replacingOccurrences(of: "\u{0000}", with: ""),
            ]
            for (index, text) in nasty.enumerated() {
                let body = try JSONSerialization.data(withJSONObject: [
                    "identities": [["kind": "customer", "value": "\(text)-\(index)"]], "profile": ["name": text, "tags": [text]],
                ])
                let enrolled = try await api.call(.post, "/v1/members", json: String(decoding: body, as: UTF8.self))
                #expect(enrolled.status == 201, "\(enrolled.text)")
                let id = try #require(enrolled.object["id"] as? Int)
                let read = try await api.call(.get, "/v1/members/\(id)")
                #expect((read.object["profile"] as? [String: Any])?["name"] as? String == text)
                #expect(read.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            #expect(try await api.store.totals().members == nasty.count)
        }
    }

    @Test func exportAndEraseAreAudited() async throws {
        try await TestAPI.run { api in
            _ = try await api.call(
                .post, "/v1/members", json: #"{"identities": [{"kind": "email", "value": "eve@example.com"}], "profile": {"name": "Eve"}}"#)
            let export = try await api.call(.get, "/v1/members/email:eve@example.com/export")
            #expect(export.status == 200 && export.text.contains("Eve"))
            #expect(try await api.call(.get, "/v1/members/email:eve@example.com/export", as: "storefront").status == 403)
            let erased = try await api.call(.delete, "/v1/members/email:eve@example.com")
            #expect(erased.status == 200 && !erased.text.contains("Eve"))
            #expect(try await api.call(.get, "/v1/members/email:eve@example.com").status == 404)
            let audit = try await api.call(.get, "/v1/audit")
            let actions = audit.array.compactMap { $0["action"] as? String }
            #expect(actions.contains("member.export") && actions.contains("member.erase"))
            #expect(!audit.text.contains("Eve") && !audit.text.contains("eve@example.com"))
        }
    }
}
