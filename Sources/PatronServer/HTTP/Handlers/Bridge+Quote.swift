import PatronCore

extension Components.Schemas.Quote {
    /// The API's checkout quote, field for field: every cart page asks for one, so it is built directly rather than
    /// through `Bridge`'s JSON round trip. `BridgeTests` hold it to the round trip's JSON.
    init(_ quote: PatronCore.Quote) {
        self.init(
            goods: quote.goods, adjustments: quote.adjustments.map { .init(benefit: $0.benefit, amount: $0.amount) }, shipping: quote.shipping,
            total: quote.total, maxPayablePoints: quote.maxPayablePoints, pointsUsed: quote.pointsUsed, pointsEarned: quote.pointsEarned,
            earning: quote.earning.map(Components.Schemas.RuleContribution.init), perks: quote.perks, refusedSKUs: quote.refusedSKUs,
            lines: quote.lines.map { .init(label: $0.label, amount: $0.amount) })
    }
}

extension Components.Schemas.RuleContribution {
    /// The API's share of one earning rule in an order's points.
    init(_ contribution: PatronCore.RuleContribution) {
        self.init(rule: contribution.rule, micropoints: contribution.micropoints, note: contribution.note)
    }
}
