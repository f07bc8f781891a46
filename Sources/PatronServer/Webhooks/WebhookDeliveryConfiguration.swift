import Foundation

/// How webhook deliveries are retried and paced.
public struct WebhookDeliveryConfiguration: Sendable, Hashable {
    /// The wait after the first failed attempt; each further failure doubles it.
    public var baseDelay: Duration
    /// The longest wait between attempts.
    public var maximumDelay: Duration
    /// Attempts before a delivery is dead (an admin may replay it).
    public var maximumAttempts: Int
    /// Deliveries one pass claims at most.
    public var batchSize: Int
    /// Requests in flight at once.
    public var concurrency: Int
    /// How long a claimed delivery belongs to its sender; longer than the sender's timeout, so a slow but live sender
    /// is never overtaken, and short enough that a crashed sender's deliveries come back soon.
    public var lease: Duration

    /// The defaults: 10 s doubling up to 1 hour, 8 attempts (the last about 21 minutes after the first).
    public init(
        baseDelay: Duration = .seconds(10), maximumDelay: Duration = .seconds(3_600), maximumAttempts: Int = 8, batchSize: Int = 100,
        concurrency: Int = 8, lease: Duration = .seconds(60)
    ) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = max(1, maximumAttempts)
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        self.lease = lease
    }

    /// The wait after failed attempt number `attempt` (from 1), or `nil` when it was the last.
    public func retryDelay(afterAttempt attempt: Int) -> Duration? {
        guard attempt < maximumAttempts else { return nil }
        let doublings = min(attempt - 1, 62)
        let delay = baseDelay.timeInterval * pow(2, Double(doublings))
        return min(.seconds(delay), maximumDelay)
    }
}
