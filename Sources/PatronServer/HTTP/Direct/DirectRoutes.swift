import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import PatronCore

/// Registers the generated server's operations on the router, but for the hot paths of a shop's traffic: order events,
/// a member, their statement, their checkout quote, a cart's simulated points and the reward catalogue. Those are answered here: bodies from the tree
/// `ValidationMiddleware` has already read and checked, answers written as JSON directly (`JSONAnswer`). Through the
/// generated code a batch of 1,000 events was decoded into its types with `Codable` and its 1,000 results encoded
/// back, half of what an event cost; Foundation's encoder was three quarters of a statement (docs/benchmarks.md).
///
/// The generated handlers stay the reference: a router built with `generatedOnly` answers through them, and
/// `DirectRoutesTests` hold both to the same status, headers and bytes.
final class DirectRoutes: ServerTransport {
    /// An operation answered here.
    struct Route: Sendable {
        let method: HTTPRequest.Method
        /// The path template as openapi.yaml writes it.
        let path: String
        /// Whether it takes its body from `ValidatedBody`.
        let takesBody: Bool
        let answer: @Sendable (APIHandler, Request, BasicRequestContext) async throws -> Response
    }

    static let routes: [Route] = [
        Route(method: .post, path: "/v1/orders/events", takesBody: true) { handler, _, _ in try await handler.submitOrderEvent(json: DirectRoutes.body()) },
        Route(method: .post, path: "/v1/orders/events/batch", takesBody: true) { handler, _, _ in try await handler.submitOrderEvents(json: DirectRoutes.body()) },
        Route(method: .get, path: "/v1/members/{member}", takesBody: false) { handler, _, context in
            var answer = JSONAnswer()
            answer.member(try await handler.member(DirectRoutes.member(context)))
            return answer.response()
        },
        Route(method: .get, path: "/v1/members/{member}/statement", takesBody: false) { handler, request, context in
            try await handler.statement(member: DirectRoutes.member(context), entries: request.uri.queryParameters.get("entries", as: Int.self))
        },
        Route(method: .post, path: "/v1/members/{member}/quote", takesBody: true) { handler, _, context in
            try await handler.quote(member: DirectRoutes.member(context), json: DirectRoutes.body())
        },
        Route(method: .post, path: "/v1/simulate/order", takesBody: true) { handler, _, _ in try await handler.simulate(json: DirectRoutes.body()) },
        Route(method: .get, path: "/v1/rewards", takesBody: false) { handler, _, _ in
            var answer = JSONAnswer()
            answer.rewards(try await handler.rewardCatalogue())
            return answer.response()
        },
    ]

    /// The path templates whose bodies `ValidationMiddleware` hands on.
    static let bodyPaths = Set(routes.filter(\.takesBody).map(\.path))

    private let router: Router<BasicRequestContext>
    private let handler: APIHandler
    /// The routes registered here so far; `router(…)` checks all were (a path renamed in openapi.yaml).
    private(set) var taken: Set<String> = []

    init(router: Router<BasicRequestContext>, handler: APIHandler) {
        self.router = router
        self.handler = handler
    }

    func register(
        _ generated: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard let route = Self.routes.first(where: { $0.method == method && $0.path == path }) else {
            return router.register(generated, method: method, path: path)
        }
        taken.insert("\(method) \(path)")
        let handler = handler
        router.on(RouterPath(path), method: method) { request, context in try await route.answer(handler, request, context) }
    }

    /// Every route, as `taken` names them.
    static var names: Set<String> { Set(routes.map { "\($0.method) \($0.path)" }) }

    private static func body() throws -> JSONValue {
        guard let body = ValidatedBody.current else {
            throw APIError(status: .internalServerError, code: "internal", message: "a direct route was reached without its body validated")
        }
        return body
    }

    /// The `{member}` of the path, percent-decoded once as the OpenAPI runtime decodes it for the generated handlers.
    private static func member(_ context: BasicRequestContext) throws -> String {
        let encoded = try context.parameters.require("member")
        return encoded.removingPercentEncoding ?? encoded
    }
}

extension APIHandler {
    /// `POST /v1/orders/events` from the validated body: the event's outcome.
    func submitOrderEvent(json body: JSONValue) async throws -> Response {
        let event = Result { try OrderEvent(json: body, field: "body") { try instant($0, field: "occurredAt") } }
        var answer = JSONAnswer()
        answer.outcome(try await applyOrderEvents([event])[0].get())
        return answer.response()
    }

    /// `POST /v1/orders/events/batch` from the validated body: each event's result, in the order sent.
    func submitOrderEvents(json body: JSONValue) async throws -> Response {
        let batch = try JSONFields(body, in: "body")
        let raws = try batch.required("events", batch.array)
        let events = raws.enumerated().map { index, raw in
            Result { try OrderEvent(json: raw, field: "events[\(index)]") { try instant($0, field: "events[\(index)].occurredAt") } }
        }
        let ids = raws.map { raw in (try? JSONFields(raw, in: "").string("id")) ?? "" }
        var answer = JSONAnswer(capacity: raws.count * 200 + 16)
        answer.results(Array(zip(ids, try await applyOrderEvents(events))).map { (eventId: $0, result: $1) })
        return answer.response()
    }

    /// `GET /v1/members/{member}/statement`: the member, their open lots and their latest `entries` (50 unless given).
    func statement(member reference: String, entries: Int?) async throws -> Response {
        let statement = try await store.statement(reference: reference, entries: entries ?? 50)
        var answer = JSONAnswer(capacity: 1024 + statement.entries.count * 220 + statement.lots.count * 160)
        answer.statement(statement)
        return answer.response()
    }

    /// `POST /v1/members/{member}/quote` from the validated body: the checkout quote.
    func quote(member reference: String, json body: JSONValue) async throws -> Response {
        let request = try JSONFields(body, in: "body")
        let cart = Result { try self.cart(json: request) }
        let at = Result { try instant(try request.instant("at"), field: "at") }
        var answer = JSONAnswer()
        answer.quote(
            try await quote(member: reference, cart: cart, at: at, usePoints: try request.integer("usePoints"), couponCode: try request.string("couponCode")))
        return answer.response()
    }

    /// `POST /v1/simulate/order` from the validated body: what the cart would earn.
    func simulate(json body: JSONValue) async throws -> Response {
        let request = try JSONFields(body, in: "body")
        let earning = try await simulation(
            cart: { try self.cart(json: request) }, level: try request.string("level"),
            tags: try request.strings("tags"),
            birthday: try request.string("birthday"), firstOrder: try request.boolean("firstOrder"),
            at: { try self.instant(try request.instant("at"), field: "at") })
        var answer = JSONAnswer()
        answer.simulation(earning)
        return answer.response()
    }

    /// The `cart` of a quote or a simulation as the validation read it.
    private func cart(json request: JSONFields) throws -> Cart {
        let cart = try request.required("cart", request.object)
        let lines = try cart.required("lines", cart.array).map { try OrderLine(json: JSONFields($0, in: "body")) }
        return try self.cart(lines, shipping: try cart.integer("shipping"), channel: try cart.string("channel"))
    }
}
