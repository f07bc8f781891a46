import PatronCore
/// A cohort retention matrix: customers grouped by the month of their first purchase; cell k of a cohort is the
/// share of its customers who bought in its k-th month after the first (k = 0 is the first month, always 1).
public struct CohortMatrix: Sendable, Hashable, Codable {
    /// One cohort's row.
    public struct Cohort: Sendable, Hashable, Codable {
        /// First-purchase month, `yyyy-MM`.
        public var month: String
        /// Customers in the cohort.
        public var size: Int
        /// Customers active in month k after the first, k = 0…(last month − cohort month).
        public var active: [Int]
        /// active[k] / size.
        public var retention: [Double]
    }

    /// Cohorts in month order.
    public var cohorts: [Cohort]

    /// Builds the matrix up to the last purchase month in the data.
    /// - Throws: ``AnalyticsError`` `empty_input`, `negative_amount`.
    public static func compute(purchases: [Purchase]) throws -> CohortMatrix {
        let grouped = try PurchaseDays(purchases)
        var last = Int.min
        var byCohort: [Int: [Set<Int>]] = [:]
        for c in grouped.customers {
            let months = Set(c.days.map { LocalDate(dayNumber: $0).monthIndex })
            last = max(last, months.max()!)
            byCohort[LocalDate(dayNumber: c.days[0]).monthIndex, default: []].append(months)
        }
        let cohorts = byCohort.keys.sorted().map { start -> Cohort in
            let members = byCohort[start]!
            let active = (0...(last - start)).map { k in members.filter { $0.contains(start + k) }.count }
            return Cohort(month: MonthlyRetention.monthLabel(start), size: members.count, active: active,
                          retention: active.map { Double($0) / Double(members.count) })
        }
        return CohortMatrix(cohorts: cohorts)
    }
}
