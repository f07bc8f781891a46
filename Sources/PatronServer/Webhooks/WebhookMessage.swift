import Foundation
import PatronStore

/// What a webhook request carries: the same body and event id on every attempt, so receivers de-duplicate by id.
public enum WebhookMessage {
    /// The stable event id of an outbox event: `evt_<outbox id>`.
    public static func eventId(_ event: OutboxEvent) -> String { "evt_\(event.id)" }

    /// The JSON body: `{"id": "evt_…", "type": kind, "occurred_at": ISO 8601, "data": payload}`.
    public static func body(_ event: OutboxEvent) -> Data {
        // The payload is stored as JSON already; it is embedded as is. The other values need no escaping.
        let occurredAt = event.occurredAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return Data(#"{"id":"\#(eventId(event))","type":"\#(event.kind)","occurred_at":"\#(occurredAt)","data":\#(event.payload)}"#.utf8)
    }

    /// The signed request for `event` to `url`, sent at `now`.
    public static func request(_ event: OutboxEvent, url: URL, secret: String, now: Date) -> WebhookRequest {
        let body = body(event)
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        return WebhookRequest(
            url: url,
            headers: [
                "Content-Type": "application/json",
                "User-Agent": "Patron-Webhooks/1",
                "Patron-Event-Id": eventId(event),
                "Patron-Event-Type": event.kind,
                "Patron-Timestamp": String(timestamp),
                "Patron-Signature": WebhookSignature.sign(body: body, secret: secret, timestamp: timestamp),
            ],
            body: body)
    }
}
