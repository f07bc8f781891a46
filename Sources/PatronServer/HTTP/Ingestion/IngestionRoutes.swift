import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import PatronCore

/// Registers the generated server's operations on the router, but for the two that take order events: those are
/// answered from the body `ValidationMiddleware` has already read and checked, and their answers are written as JSON
/// directly. Through the generated code a batch of 1,000 events was decoded into its types with `Codable` and its
/// 1,000 results encoded back, about half of what an event cost the server (docs/benchmarks.md).
///
/// The generated handlers (`APIHandler.submitOrderEvent(_:)`, `submitOrderEvents(_:)`) stay the reference: a router
/// built without this transport answers through them, and `IngestionRoutesTests` hold both to the same answers.
final class IngestionRoutes: ServerTransport {
    private let router: Router<BasicRequestContext>
    private let handler: APIHandler
    /// The order-event paths registered here so far; `router(…)` checks both were (a path renamed in openapi.yaml).
    private(set) var taken: Set<String> = []

    static let paths: Set<String> = ["/v1/orders/events", "/v1/orders/events/batch"]

    init(router: Router<BasicRequestContext>, handler: APIHandler) {
        self.router = router
        self.handler = handler
    }

    func register(
        _ generated: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard method == .post, Self.paths.contains(path) else { return router.register(generated, method: method, path: path) }
        taken.insert(path)
        let handler = handler
        let batch = path.hasSuffix("/batch")
        router.post(RouterPath(path)) { _, _ -> Response in
            guard let body = ValidatedBody.current else {
                throw APIError(status: .internalServerError, code: "internal", message: "\(path) was reached without its body validated")
            }
            return batch ? try await handler.submitOrderEvents(json: body) : try await handler.submitOrderEvent(json: body)
        }
    }
}

extension APIHandler {
    /// `POST /v1/orders/events` from the validated body: the event's outcome.
    func submitOrderEvent(json body: JSONValue) async throws -> Response {
        let event = Result { try OrderEvent(json: body, field: "body") { try instant($0, field: "occurredAt") } }
        var answer = OrderAnswerJSON()
        answer.outcome(try await applyOrderEvents([event])[0].get())
        return answer.response
    }

    /// `POST /v1/orders/events/batch` from the validated body: each event's result, in the order sent.
    func submitOrderEvents(json body: JSONValue) async throws -> Response {
        let batch = try JSONFields(body, in: "body")
        let raws = try batch.required("events", batch.array)
        let events = raws.enumerated().map { index, raw in
            Result { try OrderEvent(json: raw, field: "events[\(index)]") { try instant($0, field: "events[\(index)].occurredAt") } }
        }
        let ids = raws.map { raw in (try? JSONFields(raw, in: "").string("id")) ?? "" }
        var answer = OrderAnswerJSON()
        answer.results(Array(zip(ids, try await applyOrderEvents(events))).map { (eventId: $0, result: $1) })
        return answer.response
    }
}
