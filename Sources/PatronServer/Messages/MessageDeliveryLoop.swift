import Foundation
import Logging
import PatronServices
import ServiceLifecycle

/// Runs message delivery inside `patron serve`: a round every `interval` until graceful shutdown. Messages are leased
/// in the store, so several servers on one database never send the same message at the same time.
public struct MessageDeliveryLoop: Service {
    let deliverer: MessageDeliverer
    let interval: Duration
    let logger: Logger

    /// A loop delivering with `deliverer` every `interval`.
    public init(deliverer: MessageDeliverer, interval: Duration, logger: Logger) {
        self.deliverer = deliverer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let report = try await deliverer.deliverDue()
                if report.claimed > 0 {
                    logger.info(
                        "messages",
                        metadata: [
                            "sent": "\(report.sent)", "retried": "\(report.retried)", "dead": "\(report.dead)", "bounced": "\(report.bounced)",
                            "suppressed": "\(report.suppressed)",
                        ])
                }
                // A full batch means more may be due: go on at once.
                if report.claimed > 0 { continue }
            } catch {
                logger.error("message delivery failed; retrying next round", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
