import Crypto
import Foundation
import PatronCore
import PatronStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An SMS or push provider reached by a JSON POST: the body names the message key, channel, recipient and text; the
/// `X-Patron-Signature: sha256=HEX` header is the HMAC-SHA256 of the body with the shared secret; a 2xx answer whose JSON
/// has an `id` gives the provider's message id. 4xx answers (but 408 and 429) are permanent; others are retried.
public struct HTTPProviderSender: MessageSender {
    /// Where and how to post.
    public struct Configuration: Sendable, Hashable {
        /// The provider's endpoint (http or https).
        public var url: URL
        /// The shared secret that signs each request.
        public var secret: String
        /// Seconds to wait for an answer.
        public var timeout: TimeInterval

        /// A provider configuration.
        public init(url: URL, secret: String, timeout: TimeInterval = 10) {
            self.url = url
            self.secret = secret
            self.timeout = timeout
        }
    }

    let configuration: Configuration

    /// A sender posting to the provider of `configuration`.
    public init(configuration: Configuration) { self.configuration = configuration }

    /// The JSON body posted for a delivery.
    struct Body: Codable {
        var messageKey: String
        var channel: String
        var to: String
        var kind: String
        var subject: String
        var text: String
    }

    /// `sha256=HEX` of `body` with `secret`.
    public static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public func send(_ delivery: MessageDelivery) async throws -> MessageReceipt {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(
            Body(
                messageKey: delivery.message.key.value, channel: delivery.message.channel.rawValue, to: delivery.recipient,
                kind: delivery.message.kind.rawValue, subject: delivery.rendered.subject, text: delivery.rendered.text))
        var request = URLRequest(url: configuration.url, timeoutInterval: configuration.timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(Self.signature(body, secret: configuration.secret), forHTTPHeaderField: "X-Patron-Signature")
        request.setValue(delivery.message.key.value, forHTTPHeaderField: "Idempotency-Key")
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw MessageSendError("provider \(configuration.url.host ?? ""): \(error.localizedDescription)", permanent: false)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            throw MessageSendError("provider answered \(status): \(text)", permanent: (400..<500).contains(status) && status != 408 && status != 429)
        }
        let id = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"].map { "\($0)" }
        return MessageReceipt(providerId: id, delivered: false)
    }
}
