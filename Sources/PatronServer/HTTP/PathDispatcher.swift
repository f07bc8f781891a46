import Hummingbird
import NIOCore

/// Another responder that answers some path prefixes beside the API, such as the console's `/console` and `/member`.
/// `patron serve` builds it; PatronServer knows nothing of what it serves.
public struct PrefixResponder: Sendable {
    /// The prefixes it answers: a path equal to one, or under it (`/console`, `/console/…`).
    public var prefixes: [String]
    /// Answers a request, given the connection it came on.
    public var respond: @Sendable (Request, ApplicationRequestContextSource) async throws -> Response

    /// A responder for `prefixes`.
    public init(prefixes: [String], respond: @escaping @Sendable (Request, ApplicationRequestContextSource) async throws -> Response) {
        self.prefixes = prefixes
        self.respond = respond
    }

    /// Whether `path` is one of its prefixes or under one.
    public func answers(_ path: String) -> Bool { prefixes.contains { path == $0 || path.hasPrefix($0 + "/") } }
}

/// The context the dispatcher receives: it keeps the connection so each side can build its own context.
public struct DispatchRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    /// A context for a request on `source`'s connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The source again, for the side that answers.
    var source: ApplicationRequestContextSource { ApplicationRequestContextSource(channel: channel, logger: logger) }
}

/// Sends each request to the prefix responder that claims its path, else to the API: the API's middleware (keys,
/// rate limits, validation) never runs for console paths, and the console's never for the API.
struct PathDispatcher<API: HTTPResponder>: HTTPResponder where API.Context == BasicRequestContext {
    let api: API
    let extra: PrefixResponder?

    func respond(to request: Request, context: DispatchRequestContext) async throws -> Response {
        if let extra, extra.answers(request.uri.path) { return try await extra.respond(request, context.source) }
        return try await api.respond(to: request, context: BasicRequestContext(source: context.source))
    }
}
