import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Registers the generated server's operations on the router, but for the hot paths of a shop's traffic: order events,
/// a member, their statement, their checkout quote, a cart's simulated points and the reward catalogue. Those are
/// answered here (`APIHandler+Direct`): bodies from the tree `ValidationMiddleware` has already read and checked,
/// answers written as JSON directly (`JSONAnswer`). Through the generated code a batch of 1,000 events was decoded
/// into its types with `Codable` and its 1,000 results encoded back, half of what an event cost; Foundation's encoder
/// was three quarters of a statement (docs/benchmarks.md).
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
