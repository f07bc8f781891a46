/// What an order earns under a program: the earning base line by line, and the points, rounded once for the order.
public struct Earning: Sendable, Hashable {
    /// Points the order earns.
    public var points: Int64
    /// The earning base in minor units (after discounts, without excluded lines; shipping and tax as the program says).
    public var base: Int64
    /// Each line's share of the base, in the order's line order; returns reverse points from these recorded shares.
    public var lineBases: [Int64]
}

/// Computes the base earning rule of a program. Pure and allocation-light: it runs for every order.
public enum EarningCalculator {
    /// The earning of an order; throws when the order's currency is not the program's.
    public static func earning(of order: Order, under program: Program) throws -> Earning {
        if let code = order.currency, code.uppercased() != program.currency.code {
            throw PatronError(.currencyMismatch, "order \(order.id): currency \(code) is not the program's \(program.currency.code)")
        }
        let policy = program.earning
        var lineBases = order.lines.map { line -> Int64 in
            let excluded = policy.base.excludedSKUs.contains(line.sku)
                || line.category.map(policy.base.excludedCategories.contains) == true
            return excluded ? 0 : line.netAmount
        }
        // The order discount lowers the eligible lines in proportion to their value (largest remainder, so it sums exactly).
        let eligible = lineBases.reduce(0, +)
        if order.discount > 0, eligible > 0 {
            let totalNet = max(order.lines.reduce(0) { $0 + $1.netAmount }, 1)
            let share = min(eligible, Rate.divide(order.discount, times: eligible, by: totalNet, rounding: .ceiling) ?? eligible)
            distribute(share, over: &lineBases)
        }
        var base = lineBases.reduce(0, +)
        if policy.base.includeShipping { base += order.shipping }
        if policy.base.includeTax { base += order.tax }
        let points = Rate.divide(base, times: policy.points.numerator, by: policy.points.denominator * policy.perMinor, rounding: policy.rounding) ?? 0
        return Earning(points: points, base: base, lineBases: lineBases)
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
