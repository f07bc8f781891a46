import ArgumentParser
import Foundation
import PatronCore
import PatronServer
import PatronStore

/// `patron webhooks …`: subscriptions, deliveries, dead-letter replay and a delivery pass.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Webhook subscriptions and their deliveries (see docs/webhooks.md).",
        subcommands: [Add.self, List.self, Remove.self, Deliveries.self, Replay.self, Deliver.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a URL to event kinds; prints the signing secret.",
            discussion: """
                The URL must reach a public address: loopback, private, link-local and other internal ranges are refused
                unless PATRON_WEBHOOK_ALLOW_NETWORKS names the network (comma-separated CIDR, e.g. 127.0.0.0/8).
                """)
        @Argument(help: "The http or https URL events are POSTed to.") var url: String
        @Option(name: .customLong("event"), help: "An event kind to send (repeat the option): \(WebhookEventKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var events: [WebhookEventKind] = []
        @Option(help: "The signing secret, at least 16 characters (default: a new random one).") var secret: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                try await WebhookAddressPolicy.fromEnvironment().check(url, unresolvable: true)
                let subscription = try await store.open().createWebhookSubscription(
                    NewWebhookSubscription(url: url, events: Set(events), secret: secret, at: try store.clock().now()))
                print("subscription \(subscription.id): \(subscription.url) ← \(subscription.events.map(\.rawValue).joined(separator: ", "))")
                print("secret: \(subscription.secret)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the subscriptions.")
        @Flag(help: "Print JSON (with the secrets).") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let subscriptions = try await opened.webhookSubscriptions()
                if json { return try printJSON(subscriptions) }
                let time = try await InstantFormat.of(opened)
                var table = Table(["id", "url", "events", "active", "created"], rightAligned: [0])
                for s in subscriptions {
                    table.add([String(s.id), s.url, s.events.map(\.rawValue).joined(separator: ","), s.active ? "yes" : "no", time.text(s.createdAt)])
                }
                print(table.text)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a subscription and its deliveries.")
        @Argument(help: "The subscription id.") var id: Int64
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                try await store.open().deleteWebhookSubscription(id: id)
                print("removed subscription \(id)")
            }
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries, newest first.")
        @Option(help: "Only this status: pending, delivered or dead.") var status: WebhookDeliveryStatus?
        @Option(help: "How many.") var limit = 50
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let deliveries = try await opened.webhookDeliveries(status: status, limit: limit)
                if json { return try printJSON(deliveries) }
                let time = try await InstantFormat.of(opened)
                var table = Table(["id", "subscription", "event", "kind", "status", "attempts", "next attempt", "last error"], rightAligned: [0, 1, 5])
                for d in deliveries {
                    table.add([
                        String(d.id), String(d.subscriptionId), "evt_\(d.eventId)", d.kind.rawValue, d.status.rawValue, String(d.attempts),
                        time.text(d.nextAttemptAt, none: ""), String((d.lastError ?? "").prefix(60)),
                    ])
                }
                print(table.text)
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a dead delivery again: back to pending, attempts reset.")
        @Argument(help: "The delivery id.") var id: Int64
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let delivery = try await store.open().replayWebhookDelivery(id: id, at: try store.clock().now())
                print("delivery \(delivery.id) of evt_\(delivery.eventId) is \(delivery.status.rawValue) again")
            }
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One delivery pass (for cron): fan out new events, send what is due.")
        @Option(help: "Seconds before a request without an answer fails.") var timeout = 10
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let service = WebhookDeliveryService(
                    store: try await store.open(), sender: URLSessionWebhookSender(timeout: .seconds(timeout)),
                    configuration: WebhookDeliveryConfiguration(lease: .seconds(max(60, timeout * 3))), clock: try store.clock())
                let report = try await service.runOnce()
                print(
                    "queued \(grouped(report.fannedOut)); attempted \(grouped(report.attempted)): \(grouped(report.delivered)) delivered, \(grouped(report.retrying)) to retry, \(grouped(report.dead)) dead"
                        + (report.leaseLost > 0 ? ", \(report.leaseLost) taken over by another process" : ""))
            }
        }
    }
}

extension WebhookEventKind: ExpressibleByArgument {}
extension WebhookDeliveryStatus: ExpressibleByArgument {}
