/// One customer's RFM values and scores.
public struct RFMScore: Sendable, Hashable, Codable {
    /// The customer.
    public var customer: String
    /// Days from the last purchase day to the analysis day.
    public var recencyDays: Int
    /// Purchase days (same-day purchases count once).
    public var frequency: Int
    /// Total spend in minor units of the report's currency (JSON: `monetaryMinor`).
    public var monetary: Int64
    /// Recency score 1…5, 5 = most recent.
    public var r: Int
    /// Frequency score 1…5, 5 = most purchase days.
    public var f: Int
    /// Monetary score 1…5, 5 = highest spend.
    public var m: Int
    /// The named segment.
    public var segment: RFMSegment

    enum CodingKeys: String, CodingKey {
        case customer, recencyDays, frequency, monetary = "monetaryMinor", r, f, m, segment
    }
}

/// Customers and revenue of one segment.
public struct RFMSegmentSummary: Sendable, Hashable, Codable {
    /// The segment.
    public var segment: RFMSegment
    /// Customers in it.
    public var customers: Int
    /// Share of all customers, 0…1.
    public var customerShare: Double
    /// Revenue in minor units of the report's currency (JSON: `revenueMinor`).
    public var revenue: Int64
    /// Share of all revenue, 0…1.
    public var revenueShare: Double

    enum CodingKeys: String, CodingKey {
        case segment, customers, customerShare, revenue = "revenueMinor", revenueShare
    }
}

/// The result of ``RFMAnalysis/run(purchases:asOfDay:)``.
public struct RFMReport: Sendable, Hashable, Codable {
    /// The analysis day (days since 1970-01-01).
    public var asOfDay: Int
    /// Every customer's scores, in order of first appearance.
    public var customers: [RFMScore]
    /// Every segment, in ``RFMSegment`` order, including empty ones.
    public var segments: [RFMSegmentSummary]
    /// The ISO 4217 code of every amount (`monetaryMinor`, `revenueMinor`); nil until ``labelled(currency:minorUnitsPerMajor:)``.
    public var currency: String?
    /// Minor units per major unit of ``currency`` (100 for CNY and USD).
    public var minorUnitsPerMajor: Int64?

    /// The same report with its money's currency named: RFM money is always in minor units (integers, exact).
    public func labelled(currency: String, minorUnitsPerMajor: Int64) -> RFMReport {
        var copy = self
        copy.currency = currency
        copy.minorUnitsPerMajor = minorUnitsPerMajor
        return copy
    }
}

/// Recency-frequency-monetary scoring.
public enum RFMAnalysis {
    /// Scores every customer by quintiles and names segments.
    ///
    /// A score is 1 + ⌊5 · (customers strictly worse on that measure) / (all customers)⌋, so tied customers share a
    /// score and the scores do not depend on input order.
    /// - Parameter asOfDay: the analysis day; purchases after it are ignored; nil = the last purchase day.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`, `no_calibration_data`.
    public static func run(purchases: [Purchase], asOfDay: Int? = nil) throws -> RFMReport {
        let grouped = try PurchaseDays(purchases, upTo: asOfDay)
        let day = asOfDay ?? grouped.customers.map { $0.days.last! }.max()!
        let recency = grouped.customers.map { day - $0.days.last! }
        let frequency = grouped.customers.map { $0.days.count }
        let monetary = grouped.customers.map { $0.total }
        // "Better" is smaller recency, larger frequency and monetary: score by negated recency.
        let r = quintiles(recency.map { -$0 }), f = quintiles(frequency), m = quintiles(monetary)
        var scores: [RFMScore] = []
        scores.reserveCapacity(grouped.customers.count)
        for i in grouped.customers.indices {
            scores.append(RFMScore(
                customer: grouped.customers[i].id, recencyDays: recency[i], frequency: frequency[i],
                monetary: monetary[i], r: r[i], f: f[i], m: m[i],
                segment: RFMSegment.classify(r: r[i], f: f[i], purchaseDays: frequency[i])))
        }
        let totalRevenue = monetary.reduce(0, +)
        let n = Double(scores.count)
        let segments = RFMSegment.allCases.map { segment in
            let members = scores.filter { $0.segment == segment }
            let revenue = members.reduce(Int64(0)) { $0 + $1.monetary }
            return RFMSegmentSummary(
                segment: segment, customers: members.count, customerShare: Double(members.count) / n,
                revenue: revenue, revenueShare: totalRevenue > 0 ? Double(revenue) / Double(totalRevenue) : 0)
        }
        return RFMReport(asOfDay: day, customers: scores, segments: segments)
    }

    /// Scores 1…5: 1 + ⌊5 · (number of values strictly smaller) / n⌋.
    static func quintiles<T: Comparable>(_ values: [T]) -> [Int] {
        let n = values.count
        let order = values.indices.sorted { values[$0] < values[$1] }
        var scores = [Int](repeating: 0, count: n)
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && !(values[order[i]] < values[order[j + 1]]) { j += 1 }
            let score = 1 + (5 * i) / n
            for k in i...j { scores[order[k]] = score }
            i = j + 1
        }
        return scores
    }
}
