import Foundation
import PatronCore

extension SQLStore {
    /// Writes an outbox event in the caller's transaction, if an active subscription wants its kind. The payload is
    /// built only then.
    func announce<Payload: Encodable>(_ db: SQLSession, _ kind: WebhookEventKind, member: Int64, at instant: Date, _ payload: () throws -> Payload) throws {
        try announce(db, kind, member: member, at: instant, json: { try OutboxPayload.json(try payload()) })
    }

    /// `announce` with the payload's JSON text. The messages the event causes (a welcome for an enrolment …: the
    /// program's `messages:` triggers, `journeyTriggers`, or without that section the trigger table, `messageChannels`)
    /// are queued here too, in the same transaction, with the payload as their facts.
    func announce(_ db: SQLSession, _ kind: WebhookEventKind, member: Int64, at instant: Date, json: () throws -> String) throws {
        let subscribed = try subscribedKinds(db).contains(kind)
        let journeys = try journeyTriggers(db, for: kind)
        let messages = journeys == nil ? try messageChannels(db, for: kind) : nil
        guard subscribed || messages != nil || journeys?.triggers.isEmpty == false else { return }
        let payload = try json()
        if subscribed { try db.write(.outbox, kind.rawValue, member, payload, instant.ms) }
        if let (messageKind, channels) = messages {
            try queueMessages(db, messageKind, channels: channels, member: member, at: instant, facts: payload)
        }
        if let journeys {
            for trigger in journeys.triggers {
                try queueJourney(
                    db, trigger, plan: journeys.plan, calendar: journeys.calendar, member: member, cause: kind == .memberEnrolled ? "enrolled" : payload,
                    facts: payload, at: instant)
            }
        }
    }

    /// Whether an active subscription wants `kind`, in the writer's transaction.
    func isSubscribed(_ db: SQLSession, _ kind: WebhookEventKind) throws -> Bool {
        try subscribedKinds(db).contains(kind)
    }

    /// Announces what an order event did: points earned by a placed order, points activated at once by a completion
    /// without a pending period, or points reversed by a cancellation or a return.
    func announce(_ db: SQLSession, orderEvent event: OrderEvent, step: OrderLedger.Step, member: Int64) throws {
        try queueOrderJourneys(db, event: event, record: step.record, member: member)
        switch event.kind {
        case .placed:
            guard step.record.points > 0 else { return }
            try announce(db, .pointsEarned, member: member, at: event.occurredAt) {
                OutboxPayload.pendingEarning(member: member, orderId: step.record.orderId, points: step.record.points)
            }
        case .completed:
            guard let activation = step.entries.first(where: { $0.kind == .activate }) else { return }
            try announce(db, .pointsActivated, member: member, at: event.occurredAt) {
                OutboxPayload.PointsActivated(
                    memberId: member, orderId: step.record.orderId, points: activation.activeDelta, expiresAt: activation.newLot?.expiresAt)
            }
        case .cancelled, .returned:
            try announce(db, .orderReversed, member: member, at: event.occurredAt) {
                OutboxPayload.OrderReversed(
                    memberId: member, orderId: step.record.orderId, reason: event.kind.rawValue, orderEventId: event.id,
                    status: step.record.status.rawValue, pendingPoints: step.entries.reduce(0) { $0 + $1.pendingDelta },
                    activePoints: step.entries.reduce(0) { $0 + $1.activeDelta })
            }
        }
    }

    public func outbox(after id: Int64, limit: Int) async throws -> [OutboxEvent] {
        try await backend.read { db in
            try self.sql(db, "SELECT id, kind, member_id, payload, occurred_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?").all(id, limit) {
                OutboxEvent(id: $0.int(0), kind: $0.text(1), memberId: $0.int(2), payload: $0.text(3), occurredAt: Date(ms: $0.int(4)))
            }
        }
    }
}
