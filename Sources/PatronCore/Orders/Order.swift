/// An order as the storefront sends it. Amounts are minor units of the order's currency.
public struct Order: Sendable, Hashable, Codable {
    /// The shop's order id, unique per shop.
    public var id: String
    /// How to find the member (their customer id, e-mail, …).
    public var member: Identity
    /// The currency; the program's when absent.
    public var currency: String?
    /// What was bought.
    public var lines: [OrderLine]
    /// Shipping charged.
    public var shipping: Int64
    /// Tax charged.
    public var tax: Int64
    /// A discount on the whole order, after line discounts.
    public var discount: Int64
    /// The sales channel (`web`, `app`, `store`), for rule conditions.
    public var channel: String?
    /// Points the member paid with, as the program's `pointsAsPayment` allows.
    public var pointsUsed: Int64
    /// A coupon the member used on this order; Patron marks it used and gives it back if the order is cancelled.
    public var couponCode: String?
    /// The partner merchant the order was placed with, if any.
    public var partner: String?

    /// Makes an order.
    public init(
        id: String, member: Identity, currency: String? = nil, lines: [OrderLine], shipping: Int64 = 0, tax: Int64 = 0,
        discount: Int64 = 0, channel: String? = nil, pointsUsed: Int64 = 0, couponCode: String? = nil, partner: String? = nil
    ) {
        self.id = id
        self.member = member
        self.currency = currency
        self.lines = lines
        self.shipping = shipping
        self.tax = tax
        self.discount = discount
        self.channel = channel
        self.pointsUsed = pointsUsed
        self.couponCode = couponCode
        self.partner = partner
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, member, currency, lines, shipping, tax, discount, channel, pointsUsed, couponCode, partner }

    /// Decodes strictly: an unknown field is refused.
    public init(from decoder: Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        member = try c.decode(Identity.self, forKey: .member)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        lines = try c.decode([OrderLine].self, forKey: .lines)
        shipping = try c.decodeIfPresent(Int64.self, forKey: .shipping) ?? 0
        tax = try c.decodeIfPresent(Int64.self, forKey: .tax) ?? 0
        discount = try c.decodeIfPresent(Int64.self, forKey: .discount) ?? 0
        channel = try c.decodeIfPresent(String.self, forKey: .channel)
        pointsUsed = try c.decodeIfPresent(Int64.self, forKey: .pointsUsed) ?? 0
        couponCode = try c.decodeIfPresent(String.self, forKey: .couponCode)
        partner = try c.decodeIfPresent(String.self, forKey: .partner)
    }

    /// The goods' value after all discounts, without shipping and tax: what the member spent.
    public var goodsAmount: Int64 { lines.reduce(0) { $0 + $1.netAmount } - discount }

    /// The largest amount Patron accepts anywhere in an order: 10^12 minor units (ten billion yuan).
    public static let maximumAmount: Int64 = 1_000_000_000_000

    /// Checks the order on its own; throws `invalidInput` naming the field.
    public func validate() throws {
        func fail(_ message: String) -> PatronError { PatronError(.invalidInput, "order \(id): \(message)") }
        guard !id.isEmpty, FreeText.fits(id, within: 128) else { throw PatronError(.invalidInput, "order id must be 1 to 128 characters") }
        try FreeText.check(id, field: "order.id")
        if let currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            throw fail("currency: must be a 3-letter ISO 4217 code, not '\(currency)'")
        }
        try FreeText.check(channel, field: "order \(id): channel", maximumLength: 64)
        try FreeText.check(couponCode, field: "order \(id): couponCode", maximumLength: 128)
        try FreeText.check(partner, field: "order \(id): partner", maximumLength: 128)
        guard !lines.isEmpty else { throw fail("lines: at least one line is required") }
        guard lines.count <= 1_000 else { throw fail("lines: at most 1,000 lines") }
        // Most orders have a few lines: their ids are compared with the ones before, a set only for long orders.
        var lineIds: Set<String>? = lines.count > 12 ? Set(minimumCapacity: lines.count) : nil
        for (index, line) in lines.enumerated() {
            func at() -> String { "lines[\(index)]" }  // for a message only
            guard !line.id.isEmpty else { throw fail("\(at()).id: must not be empty") }
            try FreeText.check(line.id, field: "order \(id): \(at()).id", maximumLength: 128)
            try FreeText.check(line.sku, field: "order \(id): \(at()).sku", maximumLength: 128, required: true)
            try FreeText.check(line.category, field: "order \(id): \(at()).category", maximumLength: 128)
            let repeated: Bool
            if lineIds != nil { repeated = !lineIds!.insert(line.id).inserted } else { repeated = lines[..<index].contains { $0.id == line.id } }
            guard !repeated else { throw fail("\(at()).id: '\(line.id)' appears twice") }
            guard (1...1_000_000).contains(line.quantity) else { throw fail("\(at()).quantity: must be 1 to 1,000,000, not \(line.quantity)") }
            guard (0...Self.maximumAmount).contains(line.unitPrice) else { throw fail("\(at()).unitPrice: must be 0 to \(Self.maximumAmount) minor units, not \(line.unitPrice)") }
            let (gross, overflow) = line.unitPrice.multipliedReportingOverflow(by: Int64(line.quantity))
            guard !overflow, gross <= Self.maximumAmount else { throw fail("\(at()): quantity × unitPrice exceeds \(Self.maximumAmount) minor units") }
            guard (0...gross).contains(line.discount) else { throw fail("\(at()).discount: must be 0 to the line's value \(gross), not \(line.discount)") }
        }
        for (name, value) in [("shipping", shipping), ("tax", tax)] where !(0...Self.maximumAmount).contains(value) {
            throw fail("\(name): must be 0 to \(Self.maximumAmount) minor units, not \(value)")
        }
        let net = lines.reduce(Int64(0)) { $0 + $1.netAmount }
        guard net <= Self.maximumAmount else { throw fail("the order's total exceeds \(Self.maximumAmount) minor units") }
        guard (0...net).contains(discount) else { throw fail("discount: must be 0 to the goods' value \(net), not \(discount)") }
        guard (0...Self.maximumAmount).contains(pointsUsed) else { throw fail("pointsUsed: must be 0 to \(Self.maximumAmount), not \(pointsUsed)") }
    }
}

/// One line of an order.
public struct OrderLine: Sendable, Hashable, Codable {
    /// The line id within the order; the SKU when absent.
    public var id: String
    /// The product.
    public var sku: String
    /// The product's category, for exclusions and rules.
    public var category: String?
    /// Units bought.
    public var quantity: Int
    /// Price of one unit, minor units, before the line discount.
    public var unitPrice: Int64
    /// The discount on the whole line.
    public var discount: Int64

    /// Makes a line.
    public init(id: String? = nil, sku: String, category: String? = nil, quantity: Int, unitPrice: Int64, discount: Int64 = 0) {
        self.id = id ?? sku
        self.sku = sku
        self.category = category
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discount = discount
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, sku, category, quantity, unitPrice, discount }

    /// Decodes strictly: an unknown field is refused.
    public init(from decoder: Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sku = try c.decode(String.self, forKey: .sku)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? sku
        category = try c.decodeIfPresent(String.self, forKey: .category)
        quantity = try c.decode(Int.self, forKey: .quantity)
        unitPrice = try c.decode(Int64.self, forKey: .unitPrice)
        discount = try c.decodeIfPresent(Int64.self, forKey: .discount) ?? 0
    }

    /// Quantity × unit price − discount.
    public var netAmount: Int64 { unitPrice * Int64(quantity) - discount }
}
