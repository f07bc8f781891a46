import Foundation

extension SQLStore {
    /// The event kinds that active webhook subscriptions want, read once per writer transaction.
    ///
    /// An outbox row nobody subscribed to would be written and never sent, so changes announce only wanted kinds. The
    /// order-ingest path runs thousands of events per transaction: it pays one query per transaction (a batch), never
    /// one per event. Another process may change subscriptions between transactions only, so reading at the start of
    /// each transaction sees them.
    func subscribedKinds(_ db: SQLSession) throws -> Set<WebhookEventKind> {
        if let kinds = db.subscribedKinds { return kinds }
        let kinds = Set(
            try sql(
                db,
                """
                SELECT DISTINCT e.kind FROM webhook_subscription_events e
                JOIN webhook_subscriptions s ON s.id = e.subscription_id WHERE s.active = 1
                """
            ).all { $0.text(0) }.compactMap(WebhookEventKind.init(rawValue:)))
        db.subscribedKinds = kinds
        return kinds
    }
}
