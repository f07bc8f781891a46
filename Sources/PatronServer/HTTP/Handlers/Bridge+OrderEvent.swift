import Foundation
import PatronCore

extension OrderEvent {
    /// The domain's event for the API's, built field by field: without `Bridge`'s JSON round trip, but with its result:
    /// instants to the millisecond as the round trip wrote and re-read them, absent amounts 0, a line's id its SKU when
    /// absent, and an identity the domain refuses reported at `field.order.member` as the round trip reported it.
    /// `BridgeTests` hold it to the round trip. `occurredAt` turns the instant sent, or none, into the event's (the
    /// handler's range check and clock).
    init(_ event: Components.Schemas.OrderEvent, field: String, occurredAt resolve: (Date?) throws -> Date) throws {
        let occurredAt = try resolve(event.occurredAt)
        let order = try event.order.map { order -> Order in
            let member: Identity
            do {
                member = try Identity(kind: order.member.kind, value: order.member.value)
            } catch let error as PatronError {
                let path = "\(field).order.member"
                throw APIError.invalid("\(path): \(error.message)", fields: [.init(path: path, message: error.message)])
            }
            return Order(
                id: order.id, member: member, currency: order.currency,
                lines: order.lines.map(OrderLine.init),
                shipping: order.shipping ?? 0, tax: order.tax ?? 0, discount: order.discount ?? 0, channel: order.channel,
                pointsUsed: order.pointsUsed ?? 0, couponCode: order.couponCode, partner: order.partner)
        }
        self.init(
            id: event.id, kind: Kind(event.kind), orderId: event.orderId, occurredAt: InstantText.millisecond(occurredAt), order: order,
            lines: event.lines?.map { ReturnedLine(lineId: $0.lineId, quantity: $0.quantity) })
    }
}

extension OrderEvent.Kind {
    /// The domain's kind for the API's (the same four).
    init(_ kind: Components.Schemas.OrderEvent.KindPayload) {
        switch kind {
        case .placed: self = .placed
        case .completed: self = .completed
        case .cancelled: self = .cancelled
        case .returned: self = .returned
        }
    }
}

extension OrderLine {
    /// The domain's line for the API's: its id the SKU when absent, no discount when absent.
    init(_ line: Components.Schemas.OrderLine) {
        self.init(id: line.id, sku: line.sku, category: line.category, quantity: line.quantity, unitPrice: line.unitPrice, discount: line.discount ?? 0)
    }
}
