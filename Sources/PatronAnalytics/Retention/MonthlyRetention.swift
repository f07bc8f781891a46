import PatronCore
/// Retention and churn from one calendar month to the next.
public struct MonthlyRetention: Sendable, Hashable, Codable {
    /// The month, `yyyy-MM`.
    public var month: String
    /// Customers with a purchase in this month.
    public var active: Int
    /// Customers whose first purchase is in this month.
    public var new: Int
    /// Customers active in the previous month who are active again in this one.
    public var retained: Int
    /// retained / (active in the previous month); nil for the first month.
    public var retentionRate: Double?
    /// 1 − retentionRate; nil for the first month.
    public var churnRate: Double?

    /// One row per calendar month from the first purchase month to the last, gaps included.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`.
    public static func compute(purchases: [Purchase]) throws -> [MonthlyRetention] {
        let grouped = try PurchaseDays(purchases)
        let months = grouped.customers.map { c in Set(c.days.map { LocalDate(dayNumber: $0).monthIndex }) }
        let firsts = grouped.customers.map { LocalDate(dayNumber: $0.days[0]).monthIndex }
        let lo = firsts.min()!, hi = months.map { $0.max()! }.max()!
        var active = [Int](repeating: 0, count: hi - lo + 1), retained = active, new = active
        for (set, first) in zip(months, firsts) {
            new[first - lo] += 1
            for m in set {
                active[m - lo] += 1
                if set.contains(m - 1) { retained[m - lo] += 1 }
            }
        }
        return (lo...hi).map { m in
            let k = m - lo
            let previous = k > 0 ? active[k - 1] : 0
            let rate: Double? = k > 0 && previous > 0 ? Double(retained[k]) / Double(previous) : nil
            return MonthlyRetention(month: monthLabel(m), active: active[k], new: new[k], retained: retained[k],
                                    retentionRate: rate, churnRate: rate.map { 1 - $0 })
        }
    }

    static func monthLabel(_ index: Int) -> String {
        let year = index / 12, month = index % 12 + 1
        return "\(year)-\(month < 10 ? "0" : "")\(month)"
    }
}
