import Foundation
import PatronCore
@testable import PatronServer
import PatronStore
import Testing

/// The API's side of the shared use cases: a quote's lines add up, the catalogue shows remaining stock, an erased
/// member says so and refuses changes.
@Suite struct CheckoutAndRewardsRouteTests {
    @Test func aQuotesLinesAddUpAndItsShippingShowsWithItsWaiver() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("C-1")
            let quote = try await api.call(
                .post, "/v1/members/\(id)/quote", as: "storefront",
                json: #"{"cart": {"lines": [{"sku": "BEANS", "quantity": 2, "unitPrice": 2000}, {"sku": "DIAMOND-EDITION", "quantity": 1, "unitPrice": 9000}], "shipping": 700}}"#)
            #expect(quote.status == 200, "\(quote.text)")
            let lines = try #require(quote.object["lines"] as? [[String: Any]])
            #expect(lines.reduce(0) { $0 + ($1["amount"] as? Int ?? 0) } == quote.object["total"] as? Int)
            #expect(quote.object["shipping"] as? Int == 700)
            // DIAMOND-EDITION is Diamond's: left out of the goods.
            #expect(quote.object["goods"] as? Int == 4_000 && quote.object["refusedSKUs"] as? [String] == ["DIAMOND-EDITION"])
        }
    }

    @Test func theCatalogueShowsWhatIsLeftOfEachStock() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("C-1")
            _ = try await api.call(.post, "/v1/members/\(id)/adjustments", json: #"{"points": 5000, "reason": "funds"}"#, headers: ["Idempotency-Key": "a1"])
            for key in ["r1", "r2"] {
                let redeemed = try await api.call(
                    .post, "/v1/redemptions", as: "storefront", json: #"{"member": "customer:C-1", "reward": "mug"}"#, headers: ["Idempotency-Key": key])
                #expect(redeemed.status == 201, "\(redeemed.text)")
            }
            let rewards = try await api.call(.get, "/v1/rewards", as: "storefront")
            let mug = try #require(rewards.array.first { $0["id"] as? String == "mug" })
            #expect(mug["stock"] as? Int == 10 && mug["remaining"] as? Int == 8)
            #expect(rewards.array.first { $0["id"] as? String == "coupon-5" }?["remaining"] == nil)
        }
    }

    @Test func anErasedMemberSaysSoAndRefusesChangesWithMemberErased() async throws {
        try await TestAPI.run { api in
            let id = try await api.enroll("C-9")
            let erased = try await api.call(.delete, "/v1/members/\(id)")
            #expect(erased.status == 200 && erased.object["erased"] as? Bool == true && erased.object["erasedAt"] != nil, "\(erased.text)")
            let read = try await api.call(.get, "/v1/members/\(id)", as: "storefront")
            #expect(read.status == 200 && read.object["erased"] as? Bool == true, "\(read.text)")
            let adjusted = try await api.call(
                .post, "/v1/members/\(id)/adjustments", json: #"{"points": 50, "reason": "goodwill"}"#, headers: ["Idempotency-Key": "e1"])
            #expect(adjusted.status == 422 && adjusted.errorCode == "member_erased", "\(adjusted.text)")
            let redeemed = try await api.call(
                .post, "/v1/redemptions", as: "storefront", json: #"{"member": "\#(id)", "reward": "mug"}"#, headers: ["Idempotency-Key": "e2"])
            #expect(redeemed.status == 422 && redeemed.errorCode == "member_erased", "\(redeemed.text)")
            let other = try await api.call(.get, "/v1/members/\(try await api.enroll("C-10"))", as: "storefront")
            #expect(other.object["erased"] as? Bool == false)
        }
    }
}
