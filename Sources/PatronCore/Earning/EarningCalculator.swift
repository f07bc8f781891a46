import Foundation

/// What an order earns under a program: the earning base line by line, each rule's contribution, and the points,
/// rounded once for the order.
public struct Earning: Sendable, Hashable {
    /// Points the order earns.
    public var points: Int64
    /// The earning base in minor units (after discounts, without excluded lines; shipping and tax as the program says).
    public var base: Int64
    /// Each line's share of the base, in the order's line order; returns reverse points from these recorded shares.
    public var lineBases: [Int64]
    /// What each rule gave, in evaluation order, in millionths of a point before the order's one rounding.
    public var breakdown: [RuleContribution]
}

/// One rule's part of an order's points.
public struct RuleContribution: Sendable, Hashable, Codable {
    /// The rule's name.
    public var rule: String
    /// Millionths of a point (exact to six decimals; the order's total is rounded once).
    public var micropoints: Int64
    /// Why it gave nothing, when it did not apply although its conditions matched (a limit reached).
    public var note: String?

    /// The contribution as decimal points, such as `302.055`.
    public var points: String {
        var text = DecimalText.format(micropoints, digits: 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Evaluates a program's earning rules for an order. Pure and allocation-light: it runs for every order.
public enum EarningCalculator {
    static let micro: Int64 = 1_000_000

    /// The earning of an order for a member in `context`.
    public static func earning(of order: Order, under program: Program, context: EarningContext) throws -> Earning {
        if let code = order.currency, code.uppercased() != program.currency.code {
            throw PatronError(.currencyMismatch, "order \(order.id): currency \(code) is not the program's \(program.currency.code)")
        }
        let policy = program.earning
        let lineBases = Self.lineBases(of: order, policy.base)
        var base = lineBases.reduce(0, +)
        if policy.base.includeShipping { base += order.shipping }
        if policy.base.includeTax { base += order.tax }
        // The local day costs a time-zone lookup: only rules with dates or birthdays need it.
        let needsDay = policy.rules.contains { rule in
            if case .birthday = rule.kind { return true }
            return rule.conditions.from != nil || rule.conditions.to != nil
        }
        let day = needsDay ? program.calendar.localDate(of: context.at) : LocalDate(dayNumber: 0)

        var breakdown: [RuleContribution] = []
        breakdown.reserveCapacity(policy.rules.count)
        var baseMicro: Int64 = 0
        for pass in [true, false] {  // base rules first: multipliers need their total
            for rule in policy.rules where rule.isBase == pass {
                guard let covered = Self.coveredBase(rule, order, lineBases, base, context, day) else { continue }
                guard !rule.limit.isLimited || rule.limit.allows(context.usage[rule.name] ?? .none) else {
                    breakdown.append(RuleContribution(rule: rule.name, micropoints: 0, note: "limit reached"))
                    continue
                }
                let value = Self.value(of: rule, covered: covered, orderBase: base, baseMicro: baseMicro, context: context, day: day, program: program)
                if rule.isBase { baseMicro += value }
                if value != 0 { breakdown.append(RuleContribution(rule: rule.name, micropoints: value, note: nil)) }
            }
        }
        let total = breakdown.reduce(0) { $0 + $1.micropoints }
        let points = Rate.divide(total, times: 1, by: micro, rounding: policy.rounding) ?? 0
        return Earning(points: max(0, points), base: base, lineBases: lineBases, breakdown: breakdown)
    }

    /// Each line's share of the base: after its discount and its share of the order discount; excluded lines earn 0.
    static func lineBases(of order: Order, _ base: EarningBase) -> [Int64] {
        var lineBases = order.lines.map { line -> Int64 in
            // Empty sets are checked first: hashing a string costs more than the rest of a line's work.
            let excluded = (!base.excludedSKUs.isEmpty && base.excludedSKUs.contains(line.sku))
                || (!base.excludedCategories.isEmpty && line.category.map(base.excludedCategories.contains) == true)
            return excluded ? 0 : line.netAmount
        }
        // The order discount lowers the eligible lines in proportion to their value (largest remainder, so it sums exactly).
        let eligible = lineBases.reduce(0, +)
        if order.discount > 0, eligible > 0 {
            let totalNet = max(order.lines.reduce(0) { $0 + $1.netAmount }, 1)
            let share = min(eligible, Rate.divide(order.discount, times: eligible, by: totalNet, rounding: .ceiling) ?? eligible)
            distribute(share, over: &lineBases)
        }
        return lineBases
    }

    /// The base a rule covers, or `nil` when its conditions do not hold.
    private static func coveredBase(
        _ rule: EarningRule, _ order: Order, _ lineBases: [Int64], _ base: Int64, _ context: EarningContext, _ day: LocalDate
    ) -> Int64? {
        let c = rule.conditions
        if let from = c.from, day < from { return nil }
        if let to = c.to, day > to { return nil }
        if let minimum = c.minimumAmount, order.goodsAmount < minimum { return nil }
        if !c.channels.isEmpty, !(order.channel.map(c.channels.contains) ?? false) { return nil }
        if !c.levels.isEmpty, !(context.level.map(c.levels.contains) ?? false) { return nil }
        if !c.tags.isEmpty, c.tags.isDisjoint(with: context.tags) { return nil }
        guard c.restrictsLines else { return base }
        var covered: Int64 = 0
        var any = false
        for (line, lineBase) in zip(order.lines, lineBases) where c.covers(line) {
            covered += lineBase
            any = true
        }
        return any ? covered : nil
    }

    private static func value(
        of rule: EarningRule, covered: Int64, orderBase: Int64, baseMicro: Int64, context: EarningContext, day: LocalDate, program: Program
    ) -> Int64 {
        let perMajor = program.currency.minorPerMajor
        func extra(_ multiplier: Rate) -> Int64 {
            // (m − 1) × the base points of the covered lines.
            guard orderBase > 0 else { return 0 }
            let coveredMicro = Rate.divide(baseMicro, times: covered, by: orderBase, rounding: .floor) ?? 0
            return Rate.divide(coveredMicro, times: multiplier.numerator - multiplier.denominator, by: multiplier.denominator, rounding: .floor) ?? 0
        }
        switch rule.kind {
        case .fixed(let points, let perMinor):
            return Rate.divide(covered, times: points.numerator * micro, by: points.denominator * perMinor, rounding: .floor) ?? 0
        case .brackets(let brackets, let mode):
            return bracketMicro(covered, brackets, mode, perMajor)
        case .levelMultiplier(let multipliers):
            return context.level.flatMap { multipliers[$0] }.map(extra) ?? 0
        case .multiplier(let multiplier):
            return extra(multiplier)
        case .firstOrderBonus(let points):
            return context.isFirstOrder ? points * micro : 0
        case .bonus(let points):
            return points * micro
        case .birthday(let bonus, let multiplier, let scope):
            guard let birthday = context.birthday, isBirthday(birthday, day, scope) else { return 0 }
            return bonus * micro + (multiplier.map(extra) ?? 0)
        }
    }

    static func bracketMicro(_ amount: Int64, _ brackets: [Bracket], _ mode: BracketMode, _ perMajor: Int64) -> Int64 {
        func earn(_ slice: Int64, _ rate: Rate) -> Int64 {
            Rate.divide(slice, times: rate.numerator * micro, by: rate.denominator * perMajor, rounding: .floor) ?? 0
        }
        switch mode {
        case .wholeOrder:
            guard let bracket = brackets.last(where: { amount >= $0.from }) else { return 0 }
            return earn(amount, bracket.points)
        case .perSlice:
            var total: Int64 = 0
            for (index, bracket) in brackets.enumerated() where amount > bracket.from {
                let upper = index + 1 < brackets.count ? min(amount, brackets[index + 1].from) : amount
                total += earn(upper - bracket.from, bracket.points)
            }
            return total
        }
    }

    /// Whether `day` is the birthday (Feb 29 birthdays fall on Feb 28 in other years) or in its month.
    static func isBirthday(_ birthday: LocalDate, _ day: LocalDate, _ scope: BirthdayScope) -> Bool {
        scope == .month ? birthday.month == day.month : day.isYearlyReturn(of: birthday)
    }

    /// Subtracts `amount` from the values in proportion to them; the sum drops by exactly `amount`.
    static func distribute(_ amount: Int64, over values: inout [Int64]) {
        let total = values.reduce(0, +)
        guard total > 0 else { return }
        var cuts = values.map { Rate.divide($0, times: amount, by: total, rounding: .floor) ?? 0 }
        var left = amount - cuts.reduce(0, +)
        for index in values.indices where left > 0 && values[index] > cuts[index] {
            cuts[index] += 1
            left -= 1
        }
        for index in values.indices { values[index] -= cuts[index] }
    }
}
