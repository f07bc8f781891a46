import PatronCore

extension JSONAnswer {
    /// openapi.yaml's `Quote`: every cart page asks for one.
    mutating func quote(_ quote: Quote) {
        object {
            $0.key("adjustments")
            $0.array(quote.adjustments) { answer, adjustment in
                answer.object {
                    $0.field("amount", adjustment.amount)
                    $0.field("benefit", adjustment.benefit)
                }
            }
            $0.key("earning")
            $0.array(quote.earning) { $0.contribution($1) }
            $0.field("goods", quote.goods)
            $0.key("lines")
            $0.array(quote.lines) { answer, line in
                answer.object {
                    $0.field("amount", line.amount)
                    $0.field("label", line.label)
                }
            }
            $0.field("maxPayablePoints", quote.maxPayablePoints)
            $0.field("perks", strings: quote.perks)
            $0.field("pointsEarned", quote.pointsEarned)
            $0.field("pointsUsed", quote.pointsUsed)
            $0.field("refusedSKUs", strings: quote.refusedSKUs)
            $0.field("shipping", quote.shipping)
            $0.field("total", quote.total)
        }
    }

    /// openapi.yaml's `Simulation`: what a cart would earn; product and cart pages ask for it.
    mutating func simulation(_ earning: Earning) {
        object {
            $0.key("breakdown")
            $0.array(earning.breakdown) { $0.contribution($1) }
            $0.field("points", earning.points)
        }
    }

    /// One earning rule's share of an order's points (`RuleContribution`).
    mutating func contribution(_ contribution: RuleContribution) {
        object {
            $0.field("micropoints", contribution.micropoints)
            $0.field("note", contribution.note)
            $0.field("rule", contribution.rule)
        }
    }
}
