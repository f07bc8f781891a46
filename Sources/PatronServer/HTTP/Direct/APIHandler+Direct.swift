import Foundation
import Hummingbird
import PatronCore

// The direct routes' handlers (`DirectRoutes`): domain values from the validated body, answers written by `JSONAnswer`.

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
