import Hummingbird

/// The request context of console routes: Hummingbird's basics plus the client's address (sign-in throttling counts
/// failures per address).
public struct ConsoleRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address as the connection shows it; nil in tests without a socket.
    public let remoteAddress: String?

    /// A context for a request on `source`'s connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
