import Foundation
import PatronCore
@testable import PatronServer
import PatronStore
import Testing

/// A receiver that always answers 500, recording what it was sent.
private actor RefusingReceiver: WebhookSender {
    private(set) var received: [WebhookRequest] = []
    nonisolated func send(_ request: WebhookRequest) async throws -> Int {
        await record(request)
        return 500
    }
    private func record(_ request: WebhookRequest) { received.append(request) }
}

@Suite struct WebhookRouteTests {
    @Test func subscriptionsDeadLettersAndReplayOverTheAPI() async throws {
        try await TestAPI.run { api in
            let created = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://shop.example/hooks", "events": ["member.enrolled"]}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["id"] as? Int)
            let secret = try #require(created.object["secret"] as? String)
            let listed = try await api.call(.get, "/v1/webhooks")
            #expect(listed.array.count == 1 && listed.array[0]["secret"] == nil)
            #expect(!(try await api.call(.get, "/v1/audit?subject=webhook:\(id)")).text.contains(secret))

            let badURL = try await api.call(.post, "/v1/webhooks", json: #"{"url": "ftp://x", "events": ["member.enrolled"]}"#)
            #expect(badURL.status == 400)
            let badEvent = try await api.call(.post, "/v1/webhooks", json: #"{"url": "https://x.example", "events": ["member.deleted"]}"#)
            #expect(badEvent.status == 400)

            _ = try await api.enroll("C-9")
            let receiver = RefusingReceiver()
            let delivery = WebhookDeliveryService(
                store: api.store, sender: receiver, configuration: WebhookDeliveryConfiguration(maximumAttempts: 1), clock: api.clock)
            let report = try await delivery.runOnce(now: api.clock.now())
            #expect(report.dead == 1)
            let sent = try #require(await receiver.received.first)
            #expect(sent.headers["Patron-Event-Type"] == "member.enrolled")

            let dead = try await api.call(.get, "/v1/webhooks/deliveries?status=dead")
            #expect(dead.array.count == 1 && dead.array[0]["eventId"] as? String == sent.headers["Patron-Event-Id"])
            let deliveryId = try #require(dead.array.first?["id"] as? Int)
            let replayed = try await api.call(.post, "/v1/webhooks/deliveries/\(deliveryId)/replay")
            #expect(replayed.status == 200 && replayed.object["status"] as? String == "pending")
            #expect(try await api.call(.get, "/v1/webhooks/deliveries?status=dead").array.isEmpty)

            #expect(try await api.call(.delete, "/v1/webhooks/\(id)").status == 204)
            #expect(try await api.call(.delete, "/v1/webhooks/\(id)").status == 404)
            let actions = try await api.call(.get, "/v1/audit").array.compactMap { $0["action"] as? String }
            #expect(actions.contains("webhook.create") && actions.contains("webhook.replay") && actions.contains("webhook.delete"))
        }
    }

    @Test(arguments: ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/hooks", "http://[::ffff:10.0.0.1]/", "http://localhost/"])
    func aSubscriptionToAnInternalAddressIsRefusedOverTheAPI(url: String) async throws {
        try await TestAPI.run { api in
            let refused = try await api.call(.post, "/v1/webhooks", json: #"{"url": "\#(url)", "events": ["member.enrolled"]}"#)
            #expect(refused.status == 400, "\(refused.text)")
            #expect(refused.text.contains("PATRON_WEBHOOK_ALLOW_NETWORKS"), "\(refused.text)")
            #expect(try await api.call(.get, "/v1/webhooks").array.isEmpty)
        }
    }

    @Test func anOrderEventWithAnUnknownFieldIsRefusedOverTheAPIAsInJSONLines() async throws {
        try await TestAPI.run { api in
            let line = #"{"id":"e1","kind":"placed","orderId":"A1","occurredAt":"2026-01-05T10:00:00Z","order":{"id":"A1","member":{"kind":"customer","value":"c"},"lines":[{"sku":"CD","quantity":1,"unitPrice":100,"colour":"red"}]}}"#
            let answer = try await api.call(.post, "/v1/orders/events", json: line)
            #expect(answer.status == 400, "\(answer.text)")
            #expect { try OrderEventJSON.decode(Data(line.utf8)) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        }
    }
}
