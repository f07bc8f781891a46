import Foundation

/// A cart to quote: what the member is about to buy.
public struct Cart: Sendable, Hashable, Codable {
    /// The lines, at list price.
    public var lines: [OrderLine]
    /// Shipping before benefits, minor units.
    public var shipping: Int64
    /// The sales channel.
    public var channel: String?
    /// Points the member wants to pay with; `nil` quotes without paying with points.
    public var usePoints: Int64?

    /// Makes a cart.
    public init(lines: [OrderLine], shipping: Int64 = 0, channel: String? = nil, usePoints: Int64? = nil) {
        self.lines = lines
        self.shipping = shipping
        self.channel = channel
        self.usePoints = usePoints
    }
}

/// What applies to a cart and by how much. Read-only: quoting writes nothing.
///
/// The figures add up: `goods + shipping − Σ adjustments = total`, and `lines` (goods, each benefit, shipping, its
/// waiver) are those figures in the order a receipt prints them, so they sum to `total` too.
public struct Quote: Sendable, Hashable, Codable {
    /// One benefit applied.
    public struct Adjustment: Sendable, Hashable, Codable {
        /// What it is (`level discount 5 %`, `spend 300.00 save 30.00`, `coupon`, `free shipping`, `120 points`).
        public var benefit: String
        /// How much it takes off, minor units.
        public var amount: Int64
    }

    /// One line of the quote as printed: a label and a signed amount (benefits negative).
    public struct Line: Sendable, Hashable, Codable {
        /// `goods`, `shipping`, or a benefit.
        public var label: String
        /// Minor units; benefits are negative.
        public var amount: Int64
    }

    /// The goods the member's level may buy, at list price after line discounts (refused SKUs left out).
    public var goods: Int64
    /// Every benefit applied, in order; free shipping takes off the whole `shipping`.
    public var adjustments: [Adjustment]
    /// Shipping before benefits (a free-shipping benefit is one of `adjustments`).
    public var shipping: Int64
    /// What the member pays in money: `goods + shipping − Σ adjustments.amount`.
    public var total: Int64
    /// The most points that could pay for this cart (balance and the program's maximum share).
    public var maxPayablePoints: Int64
    /// Points used to pay (capped at `maxPayablePoints`).
    public var pointsUsed: Int64
    /// Points the order would earn.
    public var pointsEarned: Int64
    /// What each earning rule gave.
    public var earning: [RuleContribution]
    /// Service perks of the member's level.
    public var perks: [String]
    /// SKUs reserved to a higher level than the member's: left out of goods, earning and total.
    public var refusedSKUs: [String]
    /// The receipt: goods, the goods' benefits, shipping, its waiver, points paid; the amounts sum to `total`.
    public var lines: [Line]
}

/// Quotes carts. Pure and fast: it runs on every cart change in a storefront.
public enum CheckoutQuoter {
    /// The placeholder buyer of the order a quote prices.
    private static let quoteIdentity = try! Identity.customer("quote")

    /// The quote for `cart`, for a member described by `context` holding `activePoints`.
    ///
    /// Lines whose SKU is exclusive to a higher level than the member's are left out (and listed in `refusedSKUs`);
    /// a cart of nothing else is `notEligible`.
    public static func quote(_ cart: Cart, context: EarningContext, activePoints: Int64, program: Program, coupon: CouponTerms? = nil) throws -> Quote {
        let order = Order(id: "quote", member: quoteIdentity, lines: cart.lines, shipping: cart.shipping, channel: cart.channel)
        try order.validate()
        let levels = program.levels
        let level = context.level.flatMap { levels?.level(named: $0) }
        let benefits = level?.benefits ?? Benefits()

        // 0. Lines the member's level may not buy are not part of the order.
        let levelIndex = level.flatMap { l in levels?.levels.firstIndex(of: l) } ?? -1
        let isRefused = { (sku: String) -> Bool in
            guard let owner = levels?.levels.firstIndex(where: { $0.benefits.exclusiveSKUs.contains(sku) }) else { return false }
            return levelIndex < owner
        }
        var refused: [String] = []
        for line in cart.lines where isRefused(line.sku) && !refused.contains(line.sku) { refused.append(line.sku) }
        var lines = cart.lines.filter { !isRefused($0.sku) }
        guard !lines.isEmpty else {
            throw PatronError(
                .notEligible, "every line of the cart is reserved to a higher level than \(context.level ?? "no level"): \(refused.joined(separator: ", "))")
        }
        let listGoods = lines.reduce(0) { $0 + $1.netAmount }
        var adjustments: [Quote.Adjustment] = []

        // 1. The level's percent discount, line by line, rounded to the minor unit.
        if let percent = benefits.discountPercent, percent.numerator > 0 {
            var taken: Int64 = 0
            for index in lines.indices {
                let cut = Rate.divide(lines[index].netAmount, times: percent.numerator, by: percent.denominator * 100, rounding: .nearest) ?? 0
                lines[index].discount += cut
                taken += cut
            }
            adjustments.append(.init(benefit: "level discount \(percent) %", amount: taken))
        }
        var goods = lines.reduce(0) { $0 + $1.netAmount }

        // 2. Spend-X-save-Y: the highest step the discounted goods reach.
        var orderDiscount: Int64 = 0
        if let step = benefits.spendAndSave.last(where: { goods >= $0.spend }) {
            orderDiscount = min(step.save, goods)
            adjustments.append(.init(benefit: "spend \(DecimalText.format(step.spend, digits: program.currency.minorDigits)) save \(DecimalText.format(step.save, digits: program.currency.minorDigits))", amount: orderDiscount))
        }
        goods -= orderDiscount

        // 2b. A coupon the member holds, on the goods after the level's benefits.
        if let coupon {
            guard let off = coupon.discount(on: goods) else {
                throw PatronError(.notEligible, "the coupon needs goods of at least \(Money(minor: coupon.minimumSpend, program.currency))")
            }
            adjustments.append(.init(benefit: "coupon", amount: off))
            orderDiscount += off
            goods -= off
        }
        let goodsBenefits = adjustments.count

        // 3. Free shipping from a threshold on the goods after discounts: shipping stays on the quote, waived.
        var shippingToPay = cart.shipping
        if let threshold = benefits.freeShippingFrom, goods >= threshold, shippingToPay > 0 {
            adjustments.append(.init(benefit: "free shipping", amount: shippingToPay))
            shippingToPay = 0
        }

        // 4. Points as payment, up to the program's share of the goods and the member's balance.
        var maxPayable: Int64 = 0
        var pointsUsed: Int64 = 0
        var paidWithPoints: Int64 = 0
        if let payment = program.pointsAsPayment {
            let payableMoney = Rate.divide(goods, times: Int64(payment.maxPercent), by: 100, rounding: .floor) ?? 0
            let payablePoints = Rate.divide(payableMoney, times: payment.points, by: payment.perMinor, rounding: .floor) ?? 0
            maxPayable = min(max(activePoints, 0), payablePoints)
            pointsUsed = min(cart.usePoints ?? 0, maxPayable)
            paidWithPoints = Rate.divide(pointsUsed, times: payment.perMinor, by: payment.points, rounding: .floor) ?? 0
            if pointsUsed > 0 { adjustments.append(.init(benefit: "\(pointsUsed) points", amount: paidWithPoints)) }
        } else if (cart.usePoints ?? 0) > 0 {
            throw PatronError(.invalidInput, "this program does not accept points as payment")
        }

        // 5. What the order earns: on the discounted goods it may buy, without the part paid with points.
        var earningOrder = order
        earningOrder.lines = lines
        earningOrder.discount = orderDiscount + paidWithPoints
        earningOrder.shipping = shippingToPay
        let earning = try EarningCalculator.earning(of: earningOrder, under: program, context: context)

        // 6. The receipt, in the order it prints: goods, the goods' benefits, shipping, its waiver, points paid.
        var receipt = [Quote.Line(label: "goods", amount: listGoods)]
        receipt += adjustments[..<goodsBenefits].map { Quote.Line(label: $0.benefit, amount: -$0.amount) }
        receipt.append(Quote.Line(label: "shipping", amount: cart.shipping))
        receipt += adjustments[goodsBenefits...].map { Quote.Line(label: $0.benefit, amount: -$0.amount) }
        return Quote(
            goods: listGoods, adjustments: adjustments, shipping: cart.shipping, total: goods - paidWithPoints + shippingToPay,
            maxPayablePoints: maxPayable, pointsUsed: pointsUsed, pointsEarned: earning.points, earning: earning.breakdown, perks: benefits.perks,
            refusedSKUs: refused, lines: receipt)
    }
}
