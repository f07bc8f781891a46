/// How often customers come back and how long they take: the repurchase rate and the distribution of days between
/// consecutive purchase days.
public struct RepeatPurchaseStats: Sendable, Hashable, Codable {
    /// Customers with at least one purchase.
    public var customers: Int
    /// Customers with two or more purchase days.
    public var repeatCustomers: Int
    /// repeatCustomers / customers.
    public var repurchaseRate: Double
    /// Number of gaps between consecutive purchase days (over all customers).
    public var gaps: Int
    /// Mean gap in days (0 when there is none).
    public var meanDays: Double
    /// 25th percentile of the gaps in days (nearest rank).
    public var p25Days: Int
    /// Median gap in days (nearest rank).
    public var medianDays: Int
    /// 75th percentile of the gaps in days (nearest rank).
    public var p75Days: Int
    /// 90th percentile of the gaps in days (nearest rank).
    public var p90Days: Int
    /// Gap counts per bucket, in ``RepeatPurchaseStats/bucketLabels`` order.
    public var histogram: [Int]

    /// Upper bounds (inclusive, days) of the histogram buckets; the last bucket is everything above 365.
    public static let bucketBounds = [7, 14, 30, 60, 90, 180, 365]
    /// Labels of the histogram buckets.
    public static let bucketLabels = ["1-7", "8-14", "15-30", "31-60", "61-90", "91-180", "181-365", ">365"]

    /// Computes the statistics; purchases after `asOfDay` are ignored.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`.
    public static func compute(purchases: [Purchase], asOfDay: Int? = nil) throws -> RepeatPurchaseStats {
        let grouped = try PurchaseDays(purchases, upTo: asOfDay)
        var gaps: [Int] = []
        for c in grouped.customers where c.days.count > 1 {
            for k in 1..<c.days.count { gaps.append(c.days[k] - c.days[k - 1]) }
        }
        gaps.sort()
        func percentile(_ p: Double) -> Int {
            guard !gaps.isEmpty else { return 0 }
            let rank = Int((p * Double(gaps.count)).rounded(.up))
            return gaps[max(0, min(gaps.count - 1, rank - 1))]
        }
        var histogram = [Int](repeating: 0, count: bucketLabels.count)
        for g in gaps {
            histogram[bucketBounds.firstIndex { g <= $0 } ?? bucketBounds.count] += 1
        }
        let repeatCustomers = grouped.customers.filter { $0.days.count > 1 }.count
        return RepeatPurchaseStats(
            customers: grouped.customers.count, repeatCustomers: repeatCustomers,
            repurchaseRate: Double(repeatCustomers) / Double(grouped.customers.count), gaps: gaps.count,
            meanDays: gaps.isEmpty ? 0 : Double(gaps.reduce(0, +)) / Double(gaps.count),
            p25Days: percentile(0.25), medianDays: percentile(0.5), p75Days: percentile(0.75),
            p90Days: percentile(0.9), histogram: histogram)
    }
}
