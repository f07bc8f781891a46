import Foundation
import PatronCore
import PatronStore

/// Delivers the outbox to webhook subscribers, at least once: each pass fans new events out to the subscriptions
/// that want them, claims due deliveries under a lease (so two processes never send the same one at the same time),
/// POSTs them signed, and records a 2xx as delivered and anything else as a failure to retry with exponential backoff
/// until the last attempt makes it dead.
public struct WebhookDeliveryService: Sendable {
    /// What one pass did.
    public struct Report: Sendable, Hashable, Codable {
        /// Deliveries created from new outbox events.
        public var fannedOut = 0
        /// Deliveries attempted.
        public var attempted = 0
        /// Attempts answered with a 2xx.
        public var delivered = 0
        /// Failed attempts that will be retried.
        public var retrying = 0
        /// Failed last attempts: the deliveries are dead.
        public var dead = 0
        /// Attempts whose lease had ended and was taken over, so their outcome was not recorded.
        public var leaseLost = 0

        /// A report of nothing done.
        public init() {}
    }

    private let store: any Store
    private let sender: any WebhookSender
    private let configuration: WebhookDeliveryConfiguration
    private let clock: any Clock

    /// Makes a delivery service.
    public init(store: any Store, sender: any WebhookSender, configuration: WebhookDeliveryConfiguration = .init(), clock: any Clock) {
        self.store = store
        self.sender = sender
        self.configuration = configuration
        self.clock = clock
    }

    /// One pass as of the service's clock.
    public func runOnce() async throws -> Report { try await runOnce(now: clock.now()) }

    /// One pass as of `now`: fan out, claim what is due, send it and record each outcome.
    public func runOnce(now: Date) async throws -> Report {
        var report = Report()
        report.fannedOut = try await store.fanOutWebhookEvents(at: now)
        let claims = try await store.claimWebhookDeliveries(at: now, limit: configuration.batchSize, lease: configuration.lease.timeInterval)
        report.attempted = claims.count
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var next = claims.makeIterator()
            for _ in 0..<configuration.concurrency {
                guard let claim = next.next() else { break }
                group.addTask { try await deliver(claim, now: now) }
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .delivered: report.delivered += 1
                case .retrying: report.retrying += 1
                case .dead: report.dead += 1
                case .leaseLost: report.leaseLost += 1
                }
                if let claim = next.next() { group.addTask { try await deliver(claim, now: now) } }
            }
        }
        return report
    }

    private enum Outcome { case delivered, retrying, dead, leaseLost }

    private func deliver(_ claim: WebhookClaim, now: Date) async throws -> Outcome {
        var status: Int?
        var failure: String
        if let url = URL(string: claim.url) {
            do {
                let answer = try await sender.send(WebhookMessage.request(claim.event, url: url, secret: claim.secret, now: now))
                if (200..<300).contains(answer) {
                    return try await store.recordWebhookDelivered(claim, status: answer, at: now) ? .delivered : .leaseLost
                }
                status = answer
                failure = "HTTP \(answer)"
            } catch {
                failure = (error as? PatronError)?.message ?? error.localizedDescription
            }
        } else {
            failure = "'\(claim.url)' is not a URL"
        }
        let delay = configuration.retryDelay(afterAttempt: claim.attempt)
        let recorded = try await store.recordWebhookFailed(
            claim, status: status, error: failure, retryAt: delay.map { now.addingTimeInterval($0.timeInterval) })
        guard recorded else { return .leaseLost }
        return delay == nil ? .dead : .retrying
    }
}
