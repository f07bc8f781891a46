import Foundation
import PatronCore

extension OrderEvent {
    /// The domain's event from the request's JSON as the validation read it (openapi.yaml's `OrderEvent`, checked
    /// against its schema), without decoding the text a second time into the generated type: the same event and the
    /// same refusals as `init(_:field:)` gives from that type — `DirectRoutesTests` hold the two routes to the same
    /// answers. `occurredAt` turns the instant sent, or none, into the event's (the handler's range check and clock).
    init(json: JSONValue, field: String, occurredAt resolve: (Date?) throws -> Date) throws {
        let event = try JSONFields(json, in: field)
        let occurredAt = try resolve(try event.instant("occurredAt"))
        let kindText = try event.required("kind", event.string)
        guard let kind = Kind(rawValue: kindText) else {
            throw APIError.invalid("\(field).kind: must be one of: placed, completed, cancelled, returned", fields: [.init(path: "\(field).kind", message: "unknown kind")])
        }
        let order = try event.object("order").map { order -> Order in
            let member = try order.required("member", order.object)
            let identity: Identity
            do {
                identity = try Identity(kind: member.required("kind", member.string), value: member.required("value", member.string))
            } catch let error as PatronError {
                let path = "\(field).order.member"
                throw APIError.invalid("\(path): \(error.message)", fields: [.init(path: path, message: error.message)])
            }
            let lines = try (order.array("lines") ?? []).map { try OrderLine(json: JSONFields($0, in: field)) }
            return Order(
                id: try order.required("id", order.string), member: identity, currency: try order.string("currency"), lines: lines,
                shipping: try order.integer("shipping") ?? 0, tax: try order.integer("tax") ?? 0, discount: try order.integer("discount") ?? 0,
                channel: try order.string("channel"), pointsUsed: try order.integer("pointsUsed") ?? 0, couponCode: try order.string("couponCode"),
                partner: try order.string("partner"))
        }
        let returned = try event.array("lines")?.map { line in
            let fields = try JSONFields(line, in: field)
            return ReturnedLine(lineId: try fields.required("lineId", fields.string), quantity: Int(try fields.required("quantity", fields.integer)))
        }
        self.init(
            id: try event.required("id", event.string), kind: kind, orderId: try event.required("orderId", event.string),
            occurredAt: InstantText.millisecond(occurredAt), order: order, lines: returned)
    }
}

extension OrderLine {
    /// The domain's line from openapi.yaml's `OrderLine` as the validation read it: its id the SKU when absent.
    init(json line: JSONFields) throws {
        self.init(
            id: try line.string("id"), sku: try line.required("sku", line.string), category: try line.string("category"),
            quantity: Int(try line.required("quantity", line.integer)), unitPrice: try line.required("unitPrice", line.integer),
            discount: try line.integer("discount") ?? 0)
    }
}
