import Foundation

/// Something that happened to an order. The event id is its idempotency key: the same id twice is the same event.
public struct OrderEvent: Sendable, Hashable, Codable {
    /// The kinds of order event.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The order was placed: its points are pending.
        case placed
        /// The order was delivered: its points become active once the pending period ends.
        case completed
        /// The order was cancelled before completion: its pending points are voided.
        case cancelled
        /// Goods were returned: points are reversed in proportion to the value returned.
        case returned
    }

    /// The event id, unique per shop.
    public var id: String
    /// The kind.
    public var kind: Kind
    /// The order, for `completed`, `cancelled` and `returned`.
    public var orderId: String
    /// When it happened.
    public var occurredAt: Date
    /// The whole order, for `placed`.
    public var order: Order?
    /// For `returned`: the lines and quantities returned; `nil` returns everything not yet returned.
    public var lines: [ReturnedLine]?

    /// Makes an event.
    public init(id: String, kind: Kind, orderId: String, occurredAt: Date, order: Order? = nil, lines: [ReturnedLine]? = nil) {
        self.id = id
        self.kind = kind
        self.orderId = orderId
        self.occurredAt = occurredAt
        self.order = order
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, kind, orderId, occurredAt, order, lines }

    /// Decodes strictly: an unknown field is refused, as the API refuses it.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(Kind.self, forKey: .kind)
        orderId = try c.decode(String.self, forKey: .orderId)
        occurredAt = try c.decode(Date.self, forKey: .occurredAt)
        order = try c.decodeIfPresent(Order.self, forKey: .order)
        lines = try c.decodeIfPresent([ReturnedLine].self, forKey: .lines)
    }

    /// A `placed` event for an order.
    public static func placed(_ order: Order, at date: Date, id: String? = nil) -> OrderEvent {
        OrderEvent(id: id ?? "\(order.id):placed", kind: .placed, orderId: order.id, occurredAt: date, order: order)
    }

    /// A `completed` event.
    public static func completed(_ orderId: String, at date: Date, id: String? = nil) -> OrderEvent {
        OrderEvent(id: id ?? "\(orderId):completed", kind: .completed, orderId: orderId, occurredAt: date)
    }

    /// A `cancelled` event.
    public static func cancelled(_ orderId: String, at date: Date, id: String? = nil) -> OrderEvent {
        OrderEvent(id: id ?? "\(orderId):cancelled", kind: .cancelled, orderId: orderId, occurredAt: date)
    }

    /// A `returned` event; `lines == nil` returns the whole order.
    public static func returned(_ orderId: String, lines: [ReturnedLine]? = nil, at date: Date, id: String) -> OrderEvent {
        OrderEvent(id: id, kind: .returned, orderId: orderId, occurredAt: date, lines: lines)
    }

    /// Checks the event's shape; throws `invalidInput` naming the field.
    public func validate() throws {
        guard !id.isEmpty, FreeText.fits(id, within: 200) else { throw PatronError(.invalidInput, "event id must be 1 to 200 characters") }
        // PostgreSQL's text cannot hold a NUL character; SQLite's could, so the two would disagree.
        try FreeText.check(id, field: "event id")
        guard !orderId.isEmpty, FreeText.fits(orderId, within: 128) else { throw PatronError(.invalidInput, "event \(id): orderId must be 1 to 128 characters") }
        try FreeText.check(orderId, field: "event \(id): orderId")
        guard Self.acceptedTimes.contains(occurredAt) else {
            throw PatronError(.invalidInput, "event \(id): occurredAt \(occurredAt) is outside 1970–2200")
        }
        switch kind {
        case .placed:
            guard let order else { throw PatronError(.invalidInput, "event \(id): a placed event needs the order") }
            guard order.id == orderId else { throw PatronError(.invalidInput, "event \(id): orderId '\(orderId)' differs from order.id '\(order.id)'") }
            try order.validate()
        case .returned:
            guard (lines?.count ?? 0) <= 1_000 else { throw PatronError(.invalidInput, "event \(id): lines: at most 1,000 lines") }
            for (index, line) in (lines ?? []).enumerated() {
                guard (1...1_000_000).contains(line.quantity) else {
                    throw PatronError(.invalidInput, "event \(id): lines[\(index)].quantity must be 1 to 1,000,000, not \(line.quantity)")
                }
                guard !line.lineId.isEmpty, FreeText.fits(line.lineId, within: 128) else {
                    throw PatronError(.invalidInput, "event \(id): lines[\(index)].lineId must be 1 to 128 characters")
                }
                try FreeText.check(line.lineId, field: "event \(id): lines[\(index)].lineId")
            }
            if lines?.isEmpty == true { throw PatronError(.invalidInput, "event \(id): lines is empty; omit it to return the whole order") }
        case .completed, .cancelled:
            guard order == nil, lines == nil else { throw PatronError(.invalidInput, "event \(id): a \(kind.rawValue) event carries no order or lines") }
        }
    }

    /// The instants Patron accepts for events: 1970 to 2200.
    public static let acceptedTimes = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 7_258_118_400)

    /// A stable digest of the payload, to tell a replay from a different event reusing the id. The instant is left
    /// out: an event sent without one is stamped on arrival, so its resend would otherwise differ from it.
    public var fingerprint: UInt64 { digest(withInstant: false) }

    /// The digest stored before the instant was left out, so events recorded then still replay.
    public var fingerprintWithInstant: UInt64 { digest(withInstant: true) }

    private func digest(withInstant: Bool) -> UInt64 {
        var f = Fingerprint()
        f.mix(id); f.mix(kind.rawValue); f.mix(orderId)
        if withInstant { f.mix(Int64(occurredAt.timeIntervalSince1970 * 1000)) }
        if let order {
            f.mix(order.member.kind); f.mix(order.member.value); f.mix(order.currency ?? "")
            f.mix(order.shipping); f.mix(order.tax); f.mix(order.discount); f.mix(order.channel ?? ""); f.mix(order.pointsUsed); f.mix(order.couponCode ?? ""); f.mix(order.partner ?? "")
            for line in order.lines {
                f.mix(line.id); f.mix(line.sku); f.mix(line.category ?? ""); f.mix(Int64(line.quantity))
                f.mix(line.unitPrice); f.mix(line.discount)
            }
        }
        for line in lines ?? [] {
            f.mix(line.lineId); f.mix(Int64(line.quantity))
        }
        f.mix(lines == nil ? 0 : 1)
        return f.value
    }
}

/// Units of one order line that came back.
public struct ReturnedLine: Sendable, Hashable, Codable {
    /// The line id (the SKU when lines had no ids).
    public var lineId: String
    /// Units returned.
    public var quantity: Int

    /// Makes a returned line.
    public init(lineId: String, quantity: Int) {
        self.lineId = lineId
        self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case lineId, quantity }

    /// Decodes strictly: an unknown field is refused.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lineId = try c.decode(String.self, forKey: .lineId)
        quantity = try c.decode(Int.self, forKey: .quantity)
    }
}
