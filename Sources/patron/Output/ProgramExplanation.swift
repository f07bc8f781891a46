import PatronCore

/// A program in plain words, for `patron program explain`.
struct ProgramExplanation {
    let program: Program

    private func money(_ minor: Int64) -> String { Money(minor: minor, program.currency).description }

    var text: String {
        var out = "\(program.name)\n"
        out += "Currency \(program.currency.code), days counted in \(program.timeZone.identifier).\n"
        switch program.enrollment {
        case .open: out += "Anyone may join, free.\n"
        case .restricted(.firstOrder): out += "Customers join with their first order.\n"
        case .restricted(.minimumSpend(let minor)): out += "Customers join with an order of at least \(money(minor)).\n"
        }
        if let levels = program.levels { out += "\n" + self.levels(levels) }
        out += "\nEarning (rules in evaluation order: base rules, then multipliers and bonuses; rounded \(program.earning.rounding.rawValue) once per order)\n"
        for (index, rule) in program.earning.rules.enumerated() { out += "  \(index + 1). \(rule.name): \(describe(rule))\n" }
        let base = program.earning.base
        out += "  The base is the goods after discounts"
        out += base.includeShipping ? ", with shipping" : ", without shipping"
        out += base.includeTax ? " and with tax" : " and tax"
        if !base.excludedSKUs.isEmpty { out += "; never SKUs \(base.excludedSKUs.sorted().joined(separator: ", "))" }
        if !base.excludedCategories.isEmpty { out += "; never categories \(base.excludedCategories.sorted().joined(separator: ", "))" }
        out += ".\n"
        if !program.activities.activities.isEmpty {
            out += "\nActivities\n"
            for (kind, activity) in program.activities.activities.sorted(by: { $0.key < $1.key }) {
                let limit = program.activities.effectiveLimit(kind) ?? RuleLimit()
                let limits = [limit.perDay.map { "\($0)/day" }, limit.perWeek.map { "\($0)/week" }, limit.perMonth.map { "\($0)/month" }, limit.lifetime.map { "\($0) ever" }].compactMap { $0 }
                let streak = activity.streak.map { "\($0.days)-day streak +\($0.bonus)" }
                out += "  \(kind): \(activity.points) points" + (limits.isEmpty ? "" : ", at most " + limits.joined(separator: ", "))
                    + (streak.isEmpty ? "" : "; " + streak.joined(separator: ", ")) + "\n"
            }
        }
        if let payment = program.pointsAsPayment {
            out += "\nPoints pay at checkout: \(payment.points) points = \(money(payment.perMinor)), for up to \(payment.maxPercent) % of the goods.\n"
        }
        out += "\nPoints stay pending for \(program.pendingDays) days after delivery, then expire \(program.expiry).\n"
        return out
    }

    private func levels(_ policy: LevelPolicy) -> String {
        let window: String
        switch policy.window {
        case .lifetime: window = "since joining"
        case .calendarYear: window = "in the calendar year"
        case .rollingMonths(let n): window = "over the last \(n) months"
        }
        let metric = ["spend": "spend", "orders": "completed orders", "points": "points earned"][policy.metric.rawValue]!
        var out = "Levels by \(metric) \(window); "
        switch policy.growth {
        case .upgradeOnly: out += "members only move up.\n"
        case .upgradeAndDowngrade(let months, let downgrade):
            out += "a level is held for \(months) months, then re-evaluated (down \(downgrade == .oneLevel ? "one level" : "to the level qualified for")).\n"
        }
        var table = Table(["level", "from", "discount", "spend & save", "free shipping from", "birthday", "perks"], rightAligned: [1])
        for level in policy.levels {
            let b = level.benefits
            table.add([
                level.name, policy.metric == .spend ? money(level.threshold) : String(level.threshold),
                b.discountPercent.map { "\($0) %" } ?? "",
                b.spendAndSave.map { "\(money($0.spend)) − \(money($0.save))" }.joined(separator: "; "),
                b.freeShippingFrom.map(money) ?? "", b.birthdayPoints.map { "\($0) points" } ?? "",
                (b.perks + (b.returnDays.map { ["\($0)-day returns"] } ?? []) + (b.exclusiveSKUs.isEmpty ? [] : ["exclusive: " + b.exclusiveSKUs.sorted().joined(separator: ", ")]))
                    .joined(separator: ", "),
            ])
        }
        return out + table.text + "\n"
    }

    private func describe(_ rule: EarningRule) -> String {
        var text: String
        switch rule.kind {
        case .fixed(let points, let per): text = "\(points) points per \(money(per))"
        case .brackets(let steps, let mode):
            text = steps.map { "from \(money($0.from)): \($0.points) per \(program.currency.code)" }.joined(separator: "; ")
            text += mode == .wholeOrder ? " (the whole order at its bracket's rate)" : " (each slice at its own rate)"
        case .levelMultiplier(let multipliers):
            text = multipliers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        case .multiplier(let m): text = "×\(m)"
        case .firstOrderBonus(let points): text = "+\(points) points on the first order"
        case .bonus(let points): text = "+\(points) points"
        case .birthday(let bonus, let multiplier, let scope):
            text = [bonus > 0 ? "+\(bonus) points" : nil, multiplier.map { "×\($0)" }].compactMap { $0 }.joined(separator: " and ")
            text += scope == .day ? " on the birthday" : " in the birthday month"
        }
        let c = rule.conditions
        var when: [String] = []
        if let from = c.from { when.append("from \(from)") }
        if let to = c.to { when.append("to \(to)") }
        if !c.channels.isEmpty { when.append("channels \(c.channels.sorted().joined(separator: ", "))") }
        if !c.levels.isEmpty { when.append("levels \(c.levels.sorted().joined(separator: ", "))") }
        if !c.skus.isEmpty { when.append("SKUs \(c.skus.sorted().joined(separator: ", "))") }
        if !c.categories.isEmpty { when.append("categories \(c.categories.sorted().joined(separator: ", "))") }
        if let minimum = c.minimumAmount { when.append("orders of \(money(minimum)) or more") }
        if !c.tags.isEmpty { when.append("members tagged \(c.tags.sorted().joined(separator: " or "))") }
        if !when.isEmpty { text += "; when " + when.joined(separator: ", ") }
        let l = rule.limit
        let limits = [l.perDay.map { "\($0)/day" }, l.perWeek.map { "\($0)/week" }, l.perMonth.map { "\($0)/month" }, l.lifetime.map { "\($0) ever" }].compactMap { $0 }
        if !limits.isEmpty { text += "; at most " + limits.joined(separator: ", ") }
        return text
    }
}
