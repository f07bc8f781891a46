import Foundation
import Logging
import PatronCore
import PatronServer
import PatronStore
import Testing

/// A receiver that accepts everything and remembers the event ids it got.
private actor AcceptingReceiver: WebhookSender {
    private(set) var eventIds: [String] = []
    nonisolated func send(_ request: WebhookRequest) async throws -> Int {
        await record(request.headers["Patron-Event-Id"] ?? "")
        return 204
    }
    private func record(_ id: String) { eventIds.append(id) }
}

@Suite struct WebhookDeliveryLoopTests {
    @Test func theServersLoopDeliversWhatChangesAnnounce() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let store = try await temporaryStore(cdnowProgram, clock: clock)
        _ = try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://crm.example/in", events: [.memberEnrolled], at: clock.now()))
        _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("c1")]), key: nil)
        let receiver = AcceptingReceiver()
        let loop = WebhookDeliveryLoop(
            delivery: WebhookDeliveryService(store: store, sender: receiver, clock: clock), interval: .milliseconds(10), logger: Logger(label: "test"))
        let running = Task { try await loop.run() }
        defer { running.cancel() }
        // The receiver answers before the loop records the delivery: wait for both.
        for _ in 0..<500 where try await store.webhookDeliveries(status: .delivered, limit: 10).isEmpty {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await receiver.eventIds.count == 1)
        #expect(try await store.webhookDeliveries(status: .delivered, limit: 10).count == 1)
    }
}
