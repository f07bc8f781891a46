import Foundation
import PatronCore
import PatronServer
import PatronStore
import PatronTestSupport
import Synchronization
import Testing

@Suite struct WebhookDeliveryTests {
    let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!)

    func enroll(_ store: SQLStore, _ customer: String) async throws -> Member {
        try await store.enroll(EnrollmentRequest(identities: [try .customer(customer)]), key: nil)
    }

    @Test func eachSubscriptionReceivesOnlyTheKindsItWants() async throws {
        let (store, enrolments) = try await webhookStore(clock: clock)
        let earnings = try await store.createWebhookSubscription(
            NewWebhookSubscription(url: "https://crm.example/points", events: [.pointsEarned], at: clock.now()))
        _ = try await enroll(store, "ann")
        let order = Order(id: "O1", member: try .customer("ann"), lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        _ = await store.apply([.placed(order, at: clock.now())], options: ApplyOptions())
        let sender = ScriptedSender()
        let report = try await WebhookDeliveryService(store: store, sender: sender, clock: clock).runOnce(now: clock.now())
        #expect(report.fannedOut == 2 && report.delivered == 2)
        let sent = Dictionary(uniqueKeysWithValues: sender.requests.map { ($0.url.absoluteString, $0.headers["Patron-Event-Type"]) })
        #expect(sent == [enrolments.url: "member.enrolled", earnings.url: "points.earned"])
        // A second pass finds nothing new.
        #expect(try await WebhookDeliveryService(store: store, sender: sender, clock: clock).runOnce(now: clock.now()) == .init())
    }

    @Test func theRequestCarriesTheEventSignedWithTheSubscriptionsSecret() async throws {
        let (store, subscription) = try await webhookStore(clock: clock)
        let ann = try await enroll(store, "ann")
        let sender = ScriptedSender()
        _ = try await WebhookDeliveryService(store: store, sender: sender, clock: clock).runOnce(now: clock.now())
        let request = try #require(sender.requests.first)
        let event = try #require(try await store.outbox(after: 0, limit: 1).first)
        let body = try JSONSerialization.jsonObject(with: request.body) as! [String: Any]
        #expect(body["id"] as? String == "evt_\(event.id)")
        #expect(request.headers["Patron-Event-Id"] == "evt_\(event.id)")
        #expect(body["type"] as? String == "member.enrolled")
        #expect(body["occurred_at"] as? String == "2026-01-01T00:00:00.000Z")
        #expect((body["data"] as? [String: Any])?["member_id"] as? Int == Int(ann.id))
        #expect(request.headers["Patron-Timestamp"] == String(Int(clock.now().timeIntervalSince1970)))
        let signature = try #require(request.headers["Patron-Signature"])
        #expect(WebhookSignature.verify(header: signature, body: request.body, secret: subscription.secret, now: clock.now()))
        #expect(!WebhookSignature.verify(header: signature, body: request.body, secret: "whsec_not-the-right-one", now: clock.now()))
    }

    @Test func failuresBackOffExponentiallyThenDieAndAReplayDeliversTheSameEvent() async throws {
        let (store, _) = try await webhookStore(clock: clock)
        _ = try await enroll(store, "ann")
        let start = clock.now()
        let sender = ScriptedSender([500, nil, 503], then: 200)  // an error, a timeout, an error: dead after 3
        let service = WebhookDeliveryService(
            store: store, sender: sender, configuration: WebhookDeliveryConfiguration(baseDelay: .seconds(10), maximumAttempts: 3), clock: clock)
        #expect(try await service.runOnce(now: start).retrying == 1)
        var delivery = try #require(try await store.webhookDeliveries(status: .pending, limit: 10).first)
        #expect(delivery.attempts == 1 && delivery.lastStatus == 500 && delivery.nextAttemptAt == start.addingTimeInterval(10))
        #expect(try await service.runOnce(now: start.addingTimeInterval(9)).attempted == 0)  // not due yet
        #expect(try await service.runOnce(now: start.addingTimeInterval(10)).retrying == 1)
        delivery = try #require(try await store.webhookDeliveries(status: .pending, limit: 10).first)
        #expect(delivery.attempts == 2 && delivery.lastStatus == nil && delivery.nextAttemptAt == start.addingTimeInterval(30))
        #expect(delivery.lastError?.isEmpty == false)
        #expect(try await service.runOnce(now: start.addingTimeInterval(30)).dead == 1)
        delivery = try #require(try await store.webhookDeliveries(status: .dead, limit: 10).first)
        #expect(delivery.attempts == 3 && delivery.lastStatus == 503 && delivery.nextAttemptAt == nil)
        #expect(try await service.runOnce(now: start.addingTimeInterval(10_000)).attempted == 0)  // the dead stay dead

        let replayed = try await store.replayWebhookDelivery(id: delivery.id, at: start.addingTimeInterval(20_000))
        #expect(replayed.status == .pending && replayed.attempts == 0)
        #expect(try await service.runOnce(now: start.addingTimeInterval(20_000)).delivered == 1)
        #expect(try await store.webhookDeliveries(status: .delivered, limit: 10).map(\.id) == [delivery.id])
        // Every attempt carried the same event id and body; only the timestamp and signature changed.
        let requests = sender.requests
        #expect(requests.count == 4)
        #expect(Set(requests.map { $0.headers["Patron-Event-Id"] }).count == 1)
        #expect(Set(requests.map(\.body)).count == 1)
        #expect(Set(requests.map { $0.headers["Patron-Timestamp"] }).count == 4)
        await #expect { try await store.replayWebhookDelivery(id: delivery.id, at: start) } throws: { ($0 as? PatronError)?.code == .invalidTransition }  // not dead
    }

    @Test func theBackoffDoublesUpToItsMaximum() {
        let configuration = WebhookDeliveryConfiguration(baseDelay: .seconds(10), maximumDelay: .seconds(60), maximumAttempts: 8)
        #expect((1...8).map { configuration.retryDelay(afterAttempt: $0) } == [10, 20, 40, 60, 60, 60, 60].map { Duration.seconds($0) } + [nil])
    }

    @Test func aDeliveryWhoseLeaseEndedIsTakenOverAndTheOldClaimRecordsNothing() async throws {
        let (store, _) = try await webhookStore(clock: clock)
        _ = try await enroll(store, "ann")
        let start = clock.now()
        #expect(try await store.fanOutWebhookEvents(at: start) == 1)
        let first = try await store.claimWebhookDeliveries(at: start, limit: 10, lease: 60)
        #expect(first.count == 1)
        #expect(try await store.claimWebhookDeliveries(at: start.addingTimeInterval(59), limit: 10, lease: 60).isEmpty)
        let second = try await store.claimWebhookDeliveries(at: start.addingTimeInterval(60), limit: 10, lease: 60)
        #expect(second.map(\.deliveryId) == first.map(\.deliveryId))
        #expect(second.first?.attempt == 1)  // the vanished sender's attempt was never recorded
        #expect(try await store.recordWebhookDelivered(first[0], status: 200, at: start.addingTimeInterval(61)) == false)
        #expect(try await store.recordWebhookDelivered(second[0], status: 204, at: start.addingTimeInterval(61)))
    }

    @Test func aSubscriptionGetsOnlyEventsAnnouncedAfterItWasCreatedAndRemovingItDropsItsDeliveries() async throws {
        let (store, first) = try await webhookStore(clock: clock)
        _ = try await enroll(store, "ann")
        let late = try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://late.example/", events: [.memberEnrolled], at: clock.now()))
        _ = try await enroll(store, "bo")
        #expect(try await store.fanOutWebhookEvents(at: clock.now()) == 3)
        let deliveries = try await store.webhookDeliveries(status: nil, limit: 10)
        #expect(deliveries.filter { $0.subscriptionId == first.id }.count == 2)
        #expect(deliveries.filter { $0.subscriptionId == late.id }.count == 1)
        try await store.deleteWebhookSubscription(id: first.id)
        #expect(try await store.webhookDeliveries(status: nil, limit: 10).map(\.subscriptionId) == [late.id])
        #expect(try await store.webhookSubscriptions().map(\.id) == [late.id])
        await #expect { try await store.deleteWebhookSubscription(id: first.id) } throws: { ($0 as? PatronError)?.code == .notFound }
    }

    @Test func aSubscriptionNeedsAnHTTPURLAndAnEvent() async throws {
        let (store, subscription) = try await webhookStore(clock: clock)
        #expect(subscription.secret.hasPrefix("whsec_") && subscription.secret.count == 70)
        await #expect {
            try await store.createWebhookSubscription(NewWebhookSubscription(url: "ftp://x.example/", events: [.memberEnrolled], at: clock.now()))
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect {
            try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://x.example/", events: [], at: clock.now()))
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
        await #expect {
            try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://x.example/", events: [.memberEnrolled], secret: "short", at: clock.now()))
        } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    /// Two processes (two stores on one file, each with its own writer) deliver at once: no event is ever in flight
    /// twice, and each is delivered exactly once when every attempt succeeds.
    @Test func twoConcurrentPassesNeverSendTheSameEventAtTheSameTime() async throws {
        let path = TestDatabase.fresh()
        let (store, subscription) = try await webhookStore(clock: clock, path: path)
        for index in 0..<40 { _ = try await enroll(store, "c\(index)") }
        let other = try SQLStore.open(path, clock: clock)
        let sender = OverlapDetectingSender()
        let configuration = WebhookDeliveryConfiguration(batchSize: 7, concurrency: 4)
        let services = [store, other].map { WebhookDeliveryService(store: $0, sender: sender, configuration: configuration, clock: clock) }
        let now = clock.now()
        for _ in 0..<10 {
            async let a = services[0].runOnce(now: now)
            async let b = services[1].runOnce(now: now)
            _ = try await (a, b)
        }
        #expect(sender.overlaps == 0)
        #expect(sender.sends.count == 40)
        #expect(sender.sends.values.allSatisfy { $0 == 1 })
        #expect(try await store.webhookDeliveries(status: .delivered, limit: 100).count == 40)
        #expect(subscription.events == [.memberEnrolled])
    }
}

/// Counts sends per event id and how often an event was sent while already in flight.
final class OverlapDetectingSender: WebhookSender {
    private let state = Mutex<(inFlight: Set<String>, sends: [String: Int], overlaps: Int)>(([], [:], 0))

    var sends: [String: Int] { state.withLock { $0.sends } }
    var overlaps: Int { state.withLock { $0.overlaps } }

    func send(_ request: WebhookRequest) async throws -> Int {
        let id = request.headers["Patron-Event-Id"] ?? ""
        state.withLock { state in
            if !state.inFlight.insert(id).inserted { state.overlaps += 1 }
            state.sends[id, default: 0] += 1
        }
        try await Task.sleep(for: .milliseconds(5))
        state.withLock { _ = $0.inFlight.remove(id) }
        return 200
    }
}
