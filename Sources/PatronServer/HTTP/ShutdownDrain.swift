import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Whether the server is draining: told to stop (SIGTERM), it goes on accepting and answering for a short period so
/// that every request already sent — including those still in the listen queue or written to an idle keep-alive
/// connection — is read and answered, while telling clients and load balancers to go elsewhere.
public final class ShutdownDrain: Sendable {
    private let draining = Atomic<Bool>(false)

    /// A server not yet told to stop.
    public init() {}

    /// Whether a stop was asked for.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Starts draining (idempotent).
    public func start() { draining.store(true, ordering: .releasing) }
}

/// While draining: every answer says `Connection: close` (a keep-alive client sends its next request on a new
/// connection, not on one about to close), and `/ready` answers 503 so a load balancer stops sending traffic.
struct DrainMiddleware<Context: RequestContext>: RouterMiddleware {
    let drain: ShutdownDrain

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard drain.isDraining else { return try await next(request, context) }
        var response: Response
        if request.uri.path == "/ready" {
            response = ErrorMiddleware<Context>.response(
                APIError(
                    status: .serviceUnavailable, code: "draining", message: "this server is shutting down; send requests to another one"))
        } else {
            response = try await next(request, context)
        }
        response.headers[.connection] = "close"
        return response
    }
}

extension APIServer {
    /// Runs `application` until SIGTERM or SIGINT, then stops gracefully: it drains for `configuration.drainPeriod`
    /// (still accepting and answering, with `Connection: close`, `/ready` 503), then stops accepting, finishes the
    /// requests in flight (and so every queued write), and returns.
    public static func run(
        _ application: some ApplicationProtocol, drain: ShutdownDrain, configuration: APIServerConfiguration, logger: Logger
    ) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let (stops, requests) = AsyncStream<Void>.makeStream()
        let forwarding = Task {
            for await _ in signals { requests.yield() }
            requests.finish()
        }
        defer { forwarding.cancel() }
        try await run(application, drain: drain, configuration: configuration, logger: logger, stops: stops)
    }

    /// `run` with the stop requests as a sequence (tests send their own).
    static func run(
        _ application: some ApplicationProtocol, drain: ShutdownDrain, configuration: APIServerConfiguration, logger: Logger,
        stops: AsyncStream<Void>
    ) async throws {
        // No signals here: the group would pass SIGTERM straight to the HTTP server, which stops accepting at once and
        // drops connections it has not read yet.
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        try await withThrowingTaskGroup(of: DrainTask.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .server
            }
            tasks.addTask {
                for await _ in stops {
                    drain.start()
                    logger.info("stopping: draining for \(configuration.drainPeriod), then finishing the requests in flight")
                    try? await Task.sleep(for: configuration.drainPeriod)
                    await group.triggerGracefulShutdown()
                    break
                }
                return .stopper
            }
            while let finished = try await tasks.next() {
                if finished == .server {
                    tasks.cancelAll()
                    return
                }
            }
        }
    }
}

/// Which of `APIServer.run`'s tasks ended.
private enum DrainTask: Sendable { case server, stopper }
