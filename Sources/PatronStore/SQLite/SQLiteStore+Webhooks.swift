import Foundation
import GRDB
import PatronCore

/// Webhook subscriptions and deliveries. Every change goes through the writer, so two processes sharing the database
/// serialize on SQLite's write lock: a claimed delivery is leased inside that lock and no one else claims it until
/// the lease ends.
extension SQLiteStore {
    public func createWebhookSubscription(_ request: NewWebhookSubscription) async throws -> WebhookSubscription {
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
            try self.sql(db, "INSERT INTO webhook_subscriptions (url, secret, created_at, active, after_outbox_id) VALUES (?, ?, ?, 1, ?)").run(
                url, secret, request.at.ms, last)
            let id = db.lastInsertedRowID
            for kind in events {
                try self.sql(db, "INSERT INTO webhook_subscription_events (subscription_id, kind) VALUES (?, ?)").run(id, kind.rawValue)
            }
            self.subscribedKinds.forget()
            return id
        }
        return WebhookSubscription(id: id, url: url, events: events, secret: secret, createdAt: request.at, active: true)
    }

    public func webhookSubscriptions() async throws -> [WebhookSubscription] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM webhook_subscriptions ORDER BY id").compactMap { try self.webhookSubscription(db, id: $0) }
        }
    }

    public func webhookSubscription(id: Int64) async throws -> WebhookSubscription? {
        try await pool.read { db in try self.webhookSubscription(db, id: id) }
    }

    public func setWebhookSubscription(id: Int64, active: Bool) async throws -> WebhookSubscription {
        try await writer.submit { db -> Void in
            try self.sql(db, "UPDATE webhook_subscriptions SET active = ? WHERE id = ?").run(active ? 1 : 0, id)
            guard db.changesCount == 1 else { throw PatronError(.notFound, "no webhook subscription \(id)") }
            self.subscribedKinds.forget()
        }
        return try await webhookSubscription(id: id)!
    }

    public func deleteWebhookSubscription(id: Int64) async throws {
        try await writer.submit { db -> Void in
            // Its deliveries go with it (ON DELETE CASCADE).
            try self.sql(db, "DELETE FROM webhook_subscriptions WHERE id = ?").run(id)
            guard db.changesCount == 1 else { throw PatronError(.notFound, "no webhook subscription \(id)") }
            self.subscribedKinds.forget()
        }
    }

    public func fanOutWebhookEvents(at instant: Date) async throws -> Int {
        var created = 0
        while true {
            let (chunk, more) = try await writer.submit { db -> (Int, Bool) in
                let cursor = try self.sql(db, "SELECT last_outbox_id FROM webhook_fan_out WHERE id = 1").one { $0.int(0) } ?? 0
                guard
                    let upTo = try self.sql(db, "SELECT max(id) FROM (SELECT id FROM outbox WHERE id > ? ORDER BY id LIMIT ?)").one(
                        cursor, Self.fanOutChunk, read: { $0.optionalInt(0) }) ?? nil
                else { return (0, false) }
                try self.sql(
                    db,
                    """
                    INSERT OR IGNORE INTO webhook_deliveries (subscription_id, outbox_id, status, attempts, next_attempt_at, created_at)
                    SELECT s.id, o.id, 'pending', 0, ?, ? FROM outbox o
                    JOIN webhook_subscription_events e ON e.kind = o.kind
                    JOIN webhook_subscriptions s ON s.id = e.subscription_id AND s.active = 1 AND o.id > s.after_outbox_id
                    WHERE o.id > ? AND o.id <= ?
                    """
                ).run(instant.ms, instant.ms, cursor, upTo)
                let created = db.changesCount
                try self.sql(db, "UPDATE webhook_fan_out SET last_outbox_id = ? WHERE id = 1").run(upTo)
                return (created, upTo - cursor >= Self.fanOutChunk)
            }
            created += chunk
            if !more { return created }
        }
    }

    public func claimWebhookDeliveries(at instant: Date, limit: Int, lease: TimeInterval) async throws -> [WebhookClaim] {
        let leaseUntil = instant.addingTimeInterval(lease)
        return try await writer.submit { db -> [WebhookClaim] in
            // A claimed delivery's next_attempt_at is its lease's end: due again only if its sender vanished.
            let claims = try self.sql(
                db,
                """
                SELECT d.id, d.attempts, s.id, s.url, s.secret, o.id, o.kind, o.member_id, o.payload, o.occurred_at
                FROM webhook_deliveries d
                JOIN webhook_subscriptions s ON s.id = d.subscription_id
                JOIN outbox o ON o.id = d.outbox_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.active = 1
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """
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
            ).run(instant.ms, status, claim.deliveryId, claim.lease)
            return db.changesCount == 1
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
            ).run(retryAt == nil ? "dead" : "pending", status, String(error.prefix(1_000)), retryAt?.ms, claim.deliveryId, claim.lease)
            return db.changesCount == 1
        }
    }

    public func webhookDeliveries(status: WebhookDeliveryStatus?, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.deliveryColumns) FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
                    WHERE ?1 IS NULL OR d.status = ?1 ORDER BY d.id DESC LIMIT ?2
                    """,
                arguments: [status?.rawValue, limit]
            ).map(Self.delivery)
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
        return try await pool.read { db in
            try Self.delivery(
                Row.fetchOne(db, sql: "SELECT \(Self.deliveryColumns) FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.id = ?", arguments: [id])!)
        }
    }

    /// Outbox rows one fan-out transaction reads.
    static let fanOutChunk: Int64 = 1_000

    private static let deliveryColumns =
        "d.id, d.subscription_id, d.outbox_id, o.kind, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.delivered_at, d.created_at"

    private static func delivery(_ row: Row) throws -> WebhookDelivery {
        let kind: String = row[3]
        let status: String = row[4]
        guard let kind = WebhookEventKind(rawValue: kind), let status = WebhookDeliveryStatus(rawValue: status) else {
            throw PatronError(.storage, "webhook delivery \(row[0] as Int64) has an unknown kind or status")
        }
        return WebhookDelivery(
            id: row[0], subscriptionId: row[1], eventId: row[2], kind: kind, status: status, attempts: row[5],
            nextAttemptAt: (row[6] as Int64?).map(Date.init(ms:)), lastStatus: row[7], lastError: row[8],
            deliveredAt: (row[9] as Int64?).map(Date.init(ms:)), createdAt: Date(ms: row[10]))
    }

    private func webhookSubscription(_ db: Database, id: Int64) throws -> WebhookSubscription? {
        guard let row = try Row.fetchOne(db, sql: "SELECT url, secret, created_at, active FROM webhook_subscriptions WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let kinds = try String.fetchAll(db, sql: "SELECT kind FROM webhook_subscription_events WHERE subscription_id = ? ORDER BY kind", arguments: [id])
        return WebhookSubscription(
            id: id, url: row[0], events: kinds.compactMap(WebhookEventKind.init(rawValue:)), secret: row[1], createdAt: Date(ms: row[2]), active: row[3])
    }
}
