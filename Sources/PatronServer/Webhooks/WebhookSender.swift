import Foundation

/// One signed webhook POST.
public struct WebhookRequest: Sendable, Hashable {
    /// Where it goes.
    public var url: URL
    /// Its headers (`Content-Type`, `Patron-Event-Id`, `Patron-Timestamp`, `Patron-Signature` …).
    public var headers: [String: String]
    /// The JSON body.
    public var body: Data

    /// Describes a request.
    public init(url: URL, headers: [String: String], body: Data) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// Sends webhook requests: the seam between delivery and the network, so tests can inject answers and failures.
public protocol WebhookSender: Sendable {
    /// POSTs `request` and returns the HTTP status; throws when no answer came (refused, timed out).
    func send(_ request: WebhookRequest) async throws -> Int
}
