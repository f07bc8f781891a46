import Foundation
import PatronCore
import PatronStore

extension APIHandler {
    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        .ok(.init(body: .json(try await store.webhookSubscriptions().map { Self.schema($0, withSecret: false) })))
    }

    func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the subscription as JSON") }
        guard let url = URL(string: body.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw APIError.invalid("url '\(body.url)' is not an http or https URL", fields: [.init(path: "url", message: "not an http(s) URL")])
        }
        do {
            try await WebhookAddressPolicy.fromEnvironment().check(body.url, unresolvable: true)
        } catch let error as PatronError {
            throw APIError.invalid(error.message, fields: [.init(path: "url", message: "not a public address")])
        }
        let events = Set(try body.events.map { kind in
            guard let event = WebhookEventKind(rawValue: kind.rawValue) else { throw APIError.invalid("unknown event \(kind.rawValue)") }
            return event
        })
        let subscription = try await store.createWebhookSubscription(NewWebhookSubscription(url: body.url, events: events, at: now()))
        try await audit("webhook.create", subject: "webhook:\(subscription.id)", before: nil, after: Self.schema(subscription, withSecret: false))
        return .created(.init(body: .json(Self.schema(subscription, withSecret: true))))
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        guard let subscription = try await store.webhookSubscription(id: input.path.webhook) else {
            throw PatronError(.notFound, "no webhook subscription \(input.path.webhook)")
        }
        try await store.deleteWebhookSubscription(id: subscription.id)
        try await audit("webhook.delete", subject: "webhook:\(subscription.id)", before: Self.schema(subscription, withSecret: false), after: nil)
        return .noContent(.init())
    }

    func listDeliveries(_ input: Operations.ListDeliveries.Input) async throws -> Operations.ListDeliveries.Output {
        let status = input.query.status.flatMap { WebhookDeliveryStatus(rawValue: $0.rawValue) }
        let deliveries = try await store.webhookDeliveries(status: status, limit: input.query.limit ?? 100)
        return .ok(.init(body: .json(deliveries.map(Self.schema))))
    }

    func replayDelivery(_ input: Operations.ReplayDelivery.Input) async throws -> Operations.ReplayDelivery.Output {
        let delivery = try await store.replayWebhookDelivery(id: input.path.delivery, at: now())
        try await audit("webhook.replay", subject: "delivery:\(delivery.id)", before: nil, after: Self.schema(delivery))
        return .ok(.init(body: .json(Self.schema(delivery))))
    }

    /// A subscription as the API shows it: its secret only in the answer that creates it.
    static func schema(_ subscription: WebhookSubscription, withSecret: Bool) -> Components.Schemas.WebhookSubscription {
        .init(
            id: subscription.id, url: subscription.url, events: subscription.events.map(\.rawValue), createdAt: subscription.createdAt,
            secret: withSecret ? subscription.secret : nil)
    }

    static func schema(_ delivery: WebhookDelivery) -> Components.Schemas.WebhookDelivery {
        .init(
            id: delivery.id, subscriptionId: delivery.subscriptionId, eventId: "evt_\(delivery.eventId)", kind: delivery.kind.rawValue,
            status: delivery.status.rawValue, attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, lastError: delivery.lastError)
    }
}
