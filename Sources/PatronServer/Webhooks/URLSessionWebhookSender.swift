import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends webhooks with Foundation's URLSession; a request without an answer within `timeout` fails.
///
/// Before each request the URL's host is resolved and checked against `addresses` (see `WebhookAddressPolicy`):
/// a subscription whose name has come to point at a private address since it was made is refused. Redirects are
/// not followed (a public receiver could otherwise bounce the request to a private one): a 3xx is a failed attempt.
public struct URLSessionWebhookSender: WebhookSender {
    private let session: URLSession
    private let addresses: WebhookAddressPolicy

    /// Makes a sender whose requests time out after `timeout`, sending only where `addresses` allows (by default
    /// what `PATRON_WEBHOOK_ALLOW_NETWORKS` allows; public addresses only when it is unset or malformed).
    public init(timeout: Duration = .seconds(10), addresses: WebhookAddressPolicy = (try? .fromEnvironment()) ?? .publicOnly) {
        self.addresses = addresses
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.timeInterval
        configuration.timeoutIntervalForResource = timeout.timeInterval
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    public func send(_ request: WebhookRequest) async throws -> Int {
        try await addresses.check(request.url.absoluteString, unresolvable: false)
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = request.body
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return http.statusCode
    }
}

/// Refuses every redirect, so the answer is the 3xx itself.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

extension Duration {
    /// The duration in seconds, as Foundation counts time.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
