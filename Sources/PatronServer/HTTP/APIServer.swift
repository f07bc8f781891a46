import Foundation
import Hummingbird
import Logging
import Metrics
import OpenAPIHummingbird
import OpenAPIRuntime
import PatronCore
import PatronServices
import PatronStore
import Prometheus
import ServiceLifecycle

/// How `patron serve` listens and protects itself.
public struct APIServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes = 1 << 20
    /// Requests a second per API key, on average.
    public var requestsPerSecond = 100.0
    /// How many requests a key may send at once above the average.
    public var burst = 200.0
    /// How often activation and expiry run (the daily jobs run once per local day).
    public var jobInterval: Duration = .seconds(60)
    /// Time between passes of the segment follower (members whose points or level changed re-evaluated).
    public var segmentInterval: Duration = .seconds(5)
    /// How long a verified API key is trusted before it is read again (a revocation takes effect within this).
    public var keyCacheLifetime: Duration = .seconds(1)
    /// Whether background jobs and webhook delivery run in this process.
    public var runsJobs = true
    /// How often webhook delivery looks for due deliveries.
    public var deliveryInterval: Duration = .seconds(2)
    /// Delivers queued messages (e-mail, SMS, push, inbox) with the jobs, every `deliveryInterval`; `nil` sends none.
    public var messages: MessageDeliverer?
    /// The signed links of messages: `/unsubscribe` and `/consent/confirm` check their tokens with it (without it those
    /// pages answer 404).
    public var unsubscribe: UnsubscribeLink?
    /// Open and click tracking: the public `/track/open` and `/track/click` routes verify their tokens with it
    /// (without it the pixel counts nothing and links are refused).
    public var tracking: MessageTracking?
    /// Lots expiring within this many days are announced once (`points.expiring`).
    public var expiringNoticeDays = 7
    /// How long a stopped server goes on accepting and answering (with `Connection: close`, `/ready` 503) before it
    /// stops accepting and finishes the requests in flight.
    public var drainPeriod: Duration = .seconds(2)

    public init() {}
}

/// The HTTP API: openapi.yaml's operations on Hummingbird, behind the middleware that makes them safe to expose.
public enum APIServer {
    /// The OpenAPI document, as shipped in the package.
    public static let document: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("openapi.yaml is missing from PatronServer's resources")
        }
        return text
    }()

    /// The registry behind `/metrics`; swift-metrics reports into it once bootstrapped.
    static let metricsRegistry = PrometheusCollectorRegistry()
    private static let bootstrapMetrics: Void = MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))

    /// The rules openapi.yaml states for every request, read once.
    static let requestRules: RequestRules = {
        do { return try RequestRules(document: document) } catch { fatalError("openapi.yaml's request rules cannot be read: \(error)") }
    }()

    /// The router with every route and middleware; tests drive it through HummingbirdTesting. `requestLogger` receives
    /// the one line per request (nil: the application's logger). `generatedOnly` answers every operation through the
    /// generated handlers, the reference `DirectRoutes` is tested against.
    static func router(
        store: any Store, authenticator: some CallerAuthenticator, configuration: APIServerConfiguration, now: @escaping @Sendable () -> Date = Date.init,
        requestLogger: Logger? = nil, drain: ShutdownDrain = ShutdownDrain(), generatedOnly: Bool = false
    ) throws -> Router<BasicRequestContext> {
        _ = bootstrapMetrics
        let router = Router()
        router.add(middleware: RequestLogMiddleware(rules: requestRules, logger: requestLogger))
        router.add(middleware: DrainMiddleware(drain: drain))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: TrackedLinkLocationMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(scopes: try ScopeTable(document: document), authenticator: authenticator))
        router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(perSecond: configuration.requestsPerSecond, burst: configuration.burst)))
        router.add(middleware: BodyLimitMiddleware(maxBytes: configuration.maxBodyBytes))
        router.add(middleware: ValidationMiddleware(rules: requestRules, handingBodyTo: generatedOnly ? [] : DirectRoutes.bodyPaths))
        var handler = APIHandler(store: store, document: document, metricsText: { metricsRegistry.emitToString() + SQLiteMemory.prometheusText() }, now: now)
        handler.tracking = configuration.tracking
        handler.signedLinks = configuration.unsubscribe
        // Compact JSON (no pretty-printing) and instants with or without fractional seconds.
        let openAPI = Configuration(dateTranscoder: InstantText.Transcoder(), jsonEncodingOptions: [.sortedKeys])
        if generatedOnly {
            try handler.registerHandlers(on: router, configuration: openAPI)
        } else {
            let routes = DirectRoutes(router: router, handler: handler)
            try handler.registerHandlers(on: routes, configuration: openAPI)
            precondition(routes.taken == DirectRoutes.names, "openapi.yaml lacks \(DirectRoutes.names.subtracting(routes.taken).sorted())")
        }
        return router
    }

    /// The application: the HTTP server plus, unless turned off, the background jobs. Run it with `run(_:drain:…)`,
    /// which stops it gracefully on SIGTERM; `drain` is the same one. `extra` answers its own path prefixes (the
    /// console) beside the API, without the API's middleware.
    public static func application(
        store: any Store, keys: APIKeyIssuer, configuration: APIServerConfiguration, logger: Logger, drain: ShutdownDrain = ShutdownDrain(),
        extra: PrefixResponder? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        var services: [any Service] = []
        if configuration.runsJobs {
            let clock = SystemClock()
            services.append(
                JobScheduler(
                    store: store, clock: clock, interval: configuration.jobInterval, expiringNoticeDays: configuration.expiringNoticeDays, logger: logger))
            services.append(SegmentFollower(store: store, clock: clock, interval: configuration.segmentInterval, logger: logger))
            let delivery = WebhookDeliveryService(store: store, sender: URLSessionWebhookSender(), clock: clock)
            services.append(WebhookDeliveryLoop(delivery: delivery, interval: configuration.deliveryInterval, logger: logger))
            if let deliverer = configuration.messages {
                services.append(MessageDeliveryLoop(deliverer: deliverer, interval: configuration.deliveryInterval, logger: logger))
            }
        }
        let api = try router(
            store: store, authenticator: CachingAuthenticator(keys, lifetime: configuration.keyCacheLifetime), configuration: configuration, drain: drain)
        return Application(
            responder: PathDispatcher(api: api.buildResponder(), extra: extra),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Patron"),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
