import Foundation
import GRDB
import Synchronization

/// The event kinds that active webhook subscriptions want, read from the database once per writer transaction.
///
/// An outbox row nobody subscribed to would be written and never sent, so changes announce only wanted kinds. The
/// order-ingest path runs thousands of events per transaction: it pays one query per transaction (a batch) and a
/// lock per event, never a query per event. Another process may change subscriptions between transactions only,
/// so reading at the start of each transaction sees them.
final class SubscribedKinds: Sendable {
    private let state = Mutex<Set<WebhookEventKind>?>(nil)

    /// The kinds wanted now, inside the writer's transaction.
    func kinds(_ db: Database, statements: HotStatements) throws -> Set<WebhookEventKind> {
        if let cached = state.withLock({ $0 }) { return cached }
        let kinds = Set(
            try statements(
                db,
                """
                SELECT DISTINCT e.kind FROM webhook_subscription_events e
                JOIN webhook_subscriptions s ON s.id = e.subscription_id WHERE s.active = 1
                """
            ).all { $0.text(0) }.compactMap(WebhookEventKind.init(rawValue:)))
        guard db.isInsideTransaction else { return kinds }
        state.withLock { $0 = kinds }
        db.afterNextTransaction { _ in self.forget() } onRollback: { _ in self.forget() }
        return kinds
    }

    /// Makes the next call read the database again (after a subscription changed, or at a transaction's end).
    func forget() {
        state.withLock { $0 = nil }
    }
}
