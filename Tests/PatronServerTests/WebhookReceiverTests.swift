import Foundation
import Hummingbird
import HummingbirdTesting
import PatronCore
import PatronServer
import PatronStore
import Synchronization
import Testing

/// Delivery over real HTTP: a Hummingbird receiver on 127.0.0.1 (an ephemeral port) that checks each signature and
/// fails the first requests.
@Suite struct WebhookReceiverTests {
    /// What the receiver saw: each request's event id, body and whether its signature verified.
    final class Receiver: Sendable {
        struct Seen: Sendable {
            var eventId: String?
            var body: Data
            var signatureValid: Bool
        }
        private let state: Mutex<(failuresLeft: Int, seen: [Seen])>
        let secret: Mutex<String>

        init(failFirst: Int) {
            state = Mutex((failFirst, []))
            secret = Mutex("")
        }

        var seen: [Seen] { state.withLock { $0.seen } }

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.post("/hooks") { request, context -> HTTPResponse.Status in
                let buffer = try await request.body.collect(upTo: 1 << 20)
                let body = Data(buffer.readableBytesView)
                let header = Self.header("Patron-Signature", of: request) ?? ""
                let valid = WebhookSignature.verify(header: header, body: body, secret: self.secret.withLock { $0 }, now: Date())
                return self.state.withLock { state in
                    state.seen.append(Seen(eventId: Self.header("Patron-Event-Id", of: request), body: body, signatureValid: valid))
                    guard valid else { return .unauthorized }
                    guard state.failuresLeft == 0 else {
                        state.failuresLeft -= 1
                        return .serviceUnavailable
                    }
                    return .noContent
                }
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }

        private static func header(_ name: String, of request: Request) -> String? {
            request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
        }
    }

    @Test func aFailingReceiverGetsTheEventAgainWithBackoffUntilItAccepts() async throws {
        let receiver = Receiver(failFirst: 2)
        try await receiver.application().test(.live) { client in
            // Real time: the receiver checks the signature's timestamp against its own clock.
            let clock = ManualClock(Date())
            let (store, subscription) = try await webhookStore(clock: clock, url: "http://127.0.0.1:\(client.port!)/hooks")
            receiver.secret.withLock { $0 = subscription.secret }
            _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
            let service = WebhookDeliveryService(
                store: store, sender: URLSessionWebhookSender(timeout: .seconds(30), addresses: loopbackAllowed),
                configuration: WebhookDeliveryConfiguration(baseDelay: .seconds(10)), clock: clock)
            let start = clock.now()
            #expect(try await service.runOnce(now: start).retrying == 1)
            #expect(try await service.runOnce(now: start.addingTimeInterval(5)).attempted == 0)
            #expect(try await service.runOnce(now: start.addingTimeInterval(10)).retrying == 1)
            #expect(try await service.runOnce(now: start.addingTimeInterval(30)).delivered == 1)

            let seen = receiver.seen
            #expect(seen.count == 3)
            #expect(seen.allSatisfy { $0.signatureValid })
            #expect(Set(seen.map(\.eventId)).count == 1)
            #expect(Set(seen.map(\.body)).count == 1)
            let delivered = try #require(try await store.webhookDeliveries(status: .delivered, limit: 10).first)
            #expect(delivered.attempts == 3 && delivered.lastStatus == 204)
            #expect(seen.first?.eventId == "evt_\(delivered.eventId)")
        }
    }

    @Test func aReceiverWithTheWrongSecretRefusesEveryAttemptUntilTheDeliveryIsDead() async throws {
        let receiver = Receiver(failFirst: 0)
        receiver.secret.withLock { $0 = "whsec_the-receiver-has-another-secret" }
        try await receiver.application().test(.live) { client in
            let clock = ManualClock(Date())
            let (store, _) = try await webhookStore(clock: clock, url: "http://127.0.0.1:\(client.port!)/hooks")
            _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
            let service = WebhookDeliveryService(
                store: store, sender: URLSessionWebhookSender(timeout: .seconds(30), addresses: loopbackAllowed),
                configuration: WebhookDeliveryConfiguration(baseDelay: .seconds(1), maximumAttempts: 2), clock: clock)
            #expect(try await service.runOnce(now: clock.now()).retrying == 1)
            #expect(try await service.runOnce(now: clock.now().addingTimeInterval(1)).dead == 1)
            #expect(receiver.seen.map(\.signatureValid) == [false, false])
            #expect(try await store.webhookDeliveries(status: .dead, limit: 10).first?.lastStatus == 401)
        }
    }

    @Test func aReceiverThatIsNotListeningIsAFailedAttempt() async throws {
        let clock = ManualClock(Date())
        // Port 9 (discard) on the loopback: nothing listens there in the test environment.
        let (store, _) = try await webhookStore(clock: clock, url: "http://127.0.0.1:9/hooks")
        _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
        let service = WebhookDeliveryService(store: store, sender: URLSessionWebhookSender(timeout: .seconds(2), addresses: loopbackAllowed), clock: clock)
        #expect(try await service.runOnce(now: clock.now()).retrying == 1)
        let pending = try #require(try await store.webhookDeliveries(status: .pending, limit: 10).first)
        #expect(pending.lastStatus == nil && pending.lastError?.isEmpty == false)
    }

    @Test func aLoopbackReceiverIsRefusedAtDeliveryUnlessTheOperatorAllowsIt() async throws {
        let clock = ManualClock(Date())
        let receiver = Receiver(failFirst: 0)
        let app = receiver.application()
        try await app.test(.live) { client in
            let (store, subscription) = try await webhookStore(clock: clock, url: "http://127.0.0.1:\(client.port!)/hooks")
            receiver.secret.withLock { $0 = subscription.secret }
            _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("ann")]), key: nil)
            // No opt-in: the address is checked before the request, so the receiver never hears of it.
            let strict = WebhookDeliveryService(
                store: store, sender: URLSessionWebhookSender(timeout: .seconds(5), addresses: .publicOnly), clock: clock)
            #expect(try await strict.runOnce(now: clock.now()).retrying == 1)
            #expect(receiver.seen.isEmpty)
            let pending = try #require(try await store.webhookDeliveries(status: .pending, limit: 10).first)
            #expect(pending.lastError?.contains("loopback") == true, "\(pending.lastError ?? "")")
            // The operator allows the loopback: the retry (due after the first 10 s backoff) is delivered. Real time: the
            // receiver checks the signature's timestamp against its own clock. A generous timeout: with the whole suite
            // running on two cores this delivery once failed (the test took 57 s), most likely at a 5 s timeout.
            let allowed = WebhookDeliveryService(
                store: store, sender: URLSessionWebhookSender(timeout: .seconds(30), addresses: loopbackAllowed), clock: clock)
            #expect(try await allowed.runOnce(now: clock.now().addingTimeInterval(10)).delivered == 1)
            #expect(receiver.seen.count == 1)
        }
    }
}

/// The opt-in the tests' loopback receivers need.
let loopbackAllowed = try! WebhookAddressPolicy(allowing: ["127.0.0.0/8"])
