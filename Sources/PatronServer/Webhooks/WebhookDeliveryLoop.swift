import Foundation
import Logging
import ServiceLifecycle

/// Runs webhook delivery inside `patron serve`: a pass every `interval`, until graceful shutdown. Deliveries are
/// leased in the store, so several instances can run this loop on one database without sending an event twice at once.
public struct WebhookDeliveryLoop: Service {
    let delivery: WebhookDeliveryService
    let interval: Duration
    let logger: Logger

    public init(delivery: WebhookDeliveryService, interval: Duration, logger: Logger) {
        self.delivery = delivery
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let report = try await delivery.runOnce()
                if report.attempted > 0 {
                    logger.info(
                        "webhooks", metadata: ["delivered": "\(report.delivered)", "retrying": "\(report.retrying)", "dead": "\(report.dead)"])
                }
            } catch {
                logger.error("webhook delivery failed; retrying next pass", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
