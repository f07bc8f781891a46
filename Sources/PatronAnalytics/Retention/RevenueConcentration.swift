/// How concentrated revenue is across customers (the 80/20 rule): the top 20 %'s share, the Lorenz curve and the
/// Gini coefficient.
public struct RevenueConcentration: Sendable, Hashable, Codable {
    /// A point of the Lorenz curve: the poorest `customerShare` of customers bring `revenueShare` of revenue.
    public struct Point: Sendable, Hashable, Codable {
        /// Share of customers, 0…1, poorest first.
        public var customerShare: Double
        /// Share of revenue they bring, 0…1.
        public var revenueShare: Double
    }

    /// Customers counted.
    public var customers: Int
    /// Total revenue in minor units.
    public var revenue: Int64
    /// Revenue share of the top 20 % of customers by revenue (⌈0.2 n⌉ customers).
    public var top20RevenueShare: Double
    /// 21 points, customer shares 0, 0.05, …, 1 (customers sorted by ascending revenue).
    public var lorenz: [Point]
    /// Gini coefficient, 0 (equal) … 1 (one customer has everything).
    public var gini: Double

    /// Computes the concentration of revenue per customer.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`.
    public static func compute(purchases: [Purchase]) throws -> RevenueConcentration {
        let grouped = try PurchaseDays(purchases)
        let totals = grouped.customers.map(\.total).sorted()
        let n = totals.count
        let revenue = totals.reduce(0, +)
        var cumulative = [Int64](repeating: 0, count: n + 1)
        for i in 0..<n { cumulative[i + 1] = cumulative[i] + totals[i] }
        let total = Double(max(revenue, 1))
        let top = Int((0.2 * Double(n)).rounded(.up))
        let topShare = revenue > 0 ? Double(revenue - cumulative[n - top]) / total : 0
        let lorenz = (0...20).map { k -> Point in
            let share = Double(k) / 20
            // linear interpolation between customers for fractional positions
            let position = share * Double(n)
            let whole = Int(position.rounded(.down))
            var value = Double(cumulative[min(whole, n)])
            if whole < n { value += (position - Double(whole)) * Double(totals[whole]) }
            return Point(customerShare: share, revenueShare: revenue > 0 ? value / total : share)
        }
        // Gini = 1 − 2 · area under the Lorenz curve (exact for the step-wise curve of n customers)
        var area = 0.0
        for i in 0..<n { area += (Double(cumulative[i]) + Double(cumulative[i + 1])) / 2 }
        let gini = revenue > 0 ? 1 - 2 * area / (Double(n) * total) : 0
        return RevenueConcentration(customers: n, revenue: revenue, top20RevenueShare: topShare, lorenz: lorenz,
                                    gini: gini)
    }
}
