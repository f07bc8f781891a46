import Foundation
import PatronCore

/// Webhook subscriptions and deliveries. Every change goes through the writer. Processes sharing a SQLite file
/// serialize on its write lock; on PostgreSQL, claims lock their rows and skip rows another process holds. Either
/// way a claimed delivery is leased, and no one else claims it until the lease ends.
extension SQLStore {
    public func createWebhookSubscription(_ request: NewWebhookSubscription) async throws -> WebhookSubscription {
        try FreeText.check(request.url, field: "url", maximumLength: 2_048)
        try FreeText.check(request.secret, field: "secret", maximumLength: 512)
        let url = request.url.trimmingCharacters(in: .whitespaces)
        guard let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme?.lowercased() ?? ""), !(parts.host ?? "").isEmpty else {
            throw PatronError(.invalidInput, "a webhook URL must be an absolute http or https URL, not '\(request.url)'")
        }
        guard !request.events.isEmpty else { throw PatronError(.invalidInput, "a webhook subscription needs at least one event kind") }
        let secret = request.secret ?? WebhookSubscription.generateSecret()
        guard secret.utf8.count >= 16 else { throw PatronError(.invalidInput, "a webhook secret needs at least 16 characters") }
        let events = request.events.sorted()
        let id = try await writer.submit { db -> Int64 in
            // Only events announced from now on are sent to it.
            let last = try self.sql(db, "SELECT coalesce(max(id), 0) FROM outbox").one { $0.int(0) } ?? 0
            let id = try self.sql(
                db, "INSERT INTO webhook_subscriptions (url, secret, created_at, active, after_outbox_id) VALUES (?, ?, ?, 1, ?)"
            ).insert(url, secret, request.at.ms, last)
            for kind in events {
                try self.sql(db, "INSERT INTO webhook_subscription_events (subscription_id, kind) VALUES (?, ?)").run(id, kind.rawValue)
            }
            db.subscribedKinds = nil
            return id
        }
        return WebhookSubscription(id: id, url: url, events: events, secret: secret, createdAt: request.at, active: true)
    }

    public func webhookSubscriptions() async throws -> [WebhookSubscription] {
        try await backend.read { db in
            try self.sql(db, "SELECT id FROM webhook_subscriptions ORDER BY id").all { $0.int(0) }.compactMap { try self.webhookSubscription(db, id: $0) }
        }
    }

    public func webhookSubscription(id: Int64) async throws -> WebhookSubscription? {
        try await backend.read { db in try self.webhookSubscription(db, id: id) }
    }

    public func setWebhookSubscription(id: Int64, active: Bool) async throws -> WebhookSubscription {
        try await writer.submit { db -> Void in
            guard try self.sql(db, "UPDATE webhook_subscriptions SET active = ? WHERE id = ?").run(active ? 1 : 0, id) == 1 else { throw PatronError(.notFound, "no webhook subscription \(id)") }
            db.subscribedKinds = nil
        }
        return try await webhookSubscription(id: id)!
    }

    public func deleteWebhookSubscription(id: Int64) async throws {
        try await writer.submit { db -> Void in
            // Its deliveries go with it (ON DELETE CASCADE).
            guard try self.sql(db, "DELETE FROM webhook_subscriptions WHERE id = ?").run(id) == 1 else { throw PatronError(.notFound, "no webhook subscription \(id)") }
            db.subscribedKinds = nil
        }
    }

    public func fanOutWebhookEvents(at instant: Date) async throws -> Int {
        var created = 0
        while true {
            let (chunk, more) = try await writer.submit { db -> (Int, Bool) in
                // Rows not yet fanned out, not "ids after a cursor": on PostgreSQL, transactions commit out of id order,
                // so a row with a smaller id can appear after one with a larger id was seen. Another process fanning
                // out at the same time skips the rows this one holds.
                let ids = try self.sql(db, "SELECT id FROM outbox WHERE fanned_out = 0 ORDER BY id LIMIT ?", postgresLock: "FOR UPDATE SKIP LOCKED")
                    .all(Self.fanOutChunk) { $0.int(0) }
                guard let first = ids.first, let last = ids.last else { return (0, false) }
                let created = try self.sql(
                    db,
                    """
                    INSERT INTO webhook_deliveries (subscription_id, outbox_id, status, attempts, next_attempt_at, created_at)
                    SELECT s.id, o.id, 'pending', 0, ?, ? FROM outbox o
                    JOIN webhook_subscription_events e ON e.kind = o.kind
                    JOIN webhook_subscriptions s ON s.id = e.subscription_id AND s.active = 1 AND o.id > s.after_outbox_id
                    WHERE o.fanned_out = 0 AND o.id >= ? AND o.id <= ?
                    ON CONFLICT DO NOTHING
                    """
                ).run(instant.ms, instant.ms, first, last)
                try self.sql(db, "UPDATE outbox SET fanned_out = 1 WHERE fanned_out = 0 AND id >= ? AND id <= ?").run(first, last)
                return (created, ids.count == Self.fanOutChunk)
            }
            created += chunk
            if !more { return created }
        }
    }

    public func claimWebhookDeliveries(at instant: Date, limit: Int, lease: TimeInterval) async throws -> [WebhookClaim] {
        let leaseUntil = instant.addingTimeInterval(lease)
        return try await writer.submit { db -> [WebhookClaim] in
            // A claimed delivery's next_attempt_at is its lease's end: due again only if its sender vanished.
            // On PostgreSQL the due rows are locked, and rows another process is claiming are skipped.
            let claims = try self.sql(
                db,
                """
                SELECT d.id, d.attempts, s.id, s.url, s.secret, o.id, o.kind, o.member_id, o.payload, o.occurred_at
                FROM webhook_deliveries d
                JOIN webhook_subscriptions s ON s.id = d.subscription_id
                JOIN outbox o ON o.id = d.outbox_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.active = 1
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """,
                postgresLock: "FOR UPDATE OF d SKIP LOCKED"
            ).all(instant.ms, limit) { row in
                WebhookClaim(
                    deliveryId: row.int(0), lease: UUID().uuidString, leaseUntil: leaseUntil, attempt: Int(row.int(1)) + 1, subscriptionId: row.int(2),
                    url: row.text(3), secret: row.text(4),
                    event: OutboxEvent(id: row.int(5), kind: row.text(6), memberId: row.int(7), payload: row.text(8), occurredAt: Date(ms: row.int(9))))
            }
            for claim in claims {
                try self.sql(db, "UPDATE webhook_deliveries SET lease = ?, next_attempt_at = ? WHERE id = ?").run(claim.lease, leaseUntil.ms, claim.deliveryId)
            }
            return claims
        }
    }

    public func recordWebhookDelivered(_ claim: WebhookClaim, status: Int, at instant: Date) async throws -> Bool {
        try await writer.submit { db -> Bool in
            try self.sql(
                db,
                """
                UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_status = ?, last_error = NULL,
                    next_attempt_at = NULL, lease = NULL
                WHERE id = ? AND lease = ? AND status = 'pending'
                """
            ).run(instant.ms, status, claim.deliveryId, claim.lease) == 1
        }
    }

    public func recordWebhookFailed(_ claim: WebhookClaim, status: Int?, error: String, retryAt: Date?) async throws -> Bool {
        try await writer.submit { db -> Bool in
            try self.sql(
                db,
                """
                UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?, lease = NULL
                WHERE id = ? AND lease = ? AND status = 'pending'
                """
            ).run(retryAt == nil ? "dead" : "pending", status, String(error.prefix(1_000)), retryAt?.ms, claim.deliveryId, claim.lease) == 1
        }
    }

    public func webhookDeliveries(status: WebhookDeliveryStatus?, limit: Int) async throws -> [WebhookDelivery] {
        try await backend.read { db in
            if let status {
                try self.sql(
                    db,
                    """
                    SELECT d.id, d.subscription_id, d.outbox_id, o.kind, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
                        d.delivered_at, d.created_at
                    FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.status = ? ORDER BY d.id DESC LIMIT ?
                    """
                ).all(status.rawValue, limit, read: Self.delivery)
            } else {
                try self.sql(
                    db,
                    """
                    SELECT d.id, d.subscription_id, d.outbox_id, o.kind, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
                        d.delivered_at, d.created_at
                    FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id ORDER BY d.id DESC LIMIT ?
                    """
                ).all(limit, read: Self.delivery)
            }
        }
    }

    public func replayWebhookDelivery(id: Int64, at instant: Date) async throws -> WebhookDelivery {
        try await writer.submit { db -> Void in
            guard let status = try self.sql(db, "SELECT status FROM webhook_deliveries WHERE id = ?").one(id, read: { $0.text(0) }) else {
                throw PatronError(.notFound, "no webhook delivery \(id)")
            }
            guard status == WebhookDeliveryStatus.dead.rawValue else {
                throw PatronError(.invalidTransition, "webhook delivery \(id) is \(status); only a dead delivery can be replayed")
            }
            try self.sql(
                db, "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, lease = NULL, last_error = NULL WHERE id = ?"
            ).run(instant.ms, id)
        }
        return try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT d.id, d.subscription_id, d.outbox_id, o.kind, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
                    d.delivered_at, d.created_at
                FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.id = ?
                """
            ).one(id, read: Self.delivery)!
        }
    }

    /// Outbox rows one fan-out transaction reads.
    static let fanOutChunk: Int64 = 1_000

    /// A delivery from a row of `SELECT d.id, d.subscription_id, d.outbox_id, o.kind, d.status, d.attempts,
    /// d.next_attempt_at, d.last_status, d.last_error, d.delivered_at, d.created_at`.
    private static func delivery(_ row: Columns) throws -> WebhookDelivery {
        guard let kind = WebhookEventKind(rawValue: row.text(3)), let status = WebhookDeliveryStatus(rawValue: row.text(4)) else {
            throw PatronError(.storage, "webhook delivery \(row.int(0)) has an unknown kind or status")
        }
        return WebhookDelivery(
            id: row.int(0), subscriptionId: row.int(1), eventId: row.int(2), kind: kind, status: status, attempts: Int(row.int(5)),
            nextAttemptAt: row.optionalInt(6).map(Date.init(ms:)), lastStatus: row.optionalInt(7).map(Int.init), lastError: row.optionalText(8),
            deliveredAt: row.optionalInt(9).map(Date.init(ms:)), createdAt: Date(ms: row.int(10)))
    }

    private func webhookSubscription(_ db: SQLSession, id: Int64) throws -> WebhookSubscription? {
        guard
            let row = try sql(db, "SELECT url, secret, created_at, active FROM webhook_subscriptions WHERE id = ?").one(id, read: {
                (url: $0.text(0), secret: $0.text(1), createdAt: Date(ms: $0.int(2)), active: $0.int(3) != 0)
            })
        else { return nil }
        let kinds = try sql(db, "SELECT kind FROM webhook_subscription_events WHERE subscription_id = ? ORDER BY kind").all(id) { $0.text(0) }
        return WebhookSubscription(
            id: id, url: row.url, events: kinds.compactMap(WebhookEventKind.init(rawValue:)), secret: row.secret, createdAt: row.createdAt,
            active: row.active)
    }
}
