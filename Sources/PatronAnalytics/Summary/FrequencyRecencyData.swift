/// Column-oriented model input: frequency x, recency t_x and age T per customer (or per group of identical
/// customers, with a weight), in one period unit.
///
/// The models fit this rather than ``CustomerSummary`` so that a million customers cost a few arrays of numbers.
public struct FrequencyRecencyData: Sendable, Hashable {
    /// x: repeat purchase days.
    public var frequency: [Int]
    /// t_x: first to last purchase, in periods.
    public var recency: [Double]
    /// T: first purchase to calibration end, in periods.
    public var T: [Double]
    /// How many customers each row stands for (1 when not given).
    public var weight: [Double]

    /// The number of rows.
    public var count: Int { frequency.count }

    /// Creates data from columns of equal length.
    /// - Throws: ``AnalyticsError`` `invalid_option` when lengths differ or a row is impossible
    ///   (negative values, t_x > T, x > 0 with t_x = 0 is allowed, x = 0 with t_x > 0 is not).
    public init(frequency: [Int], recency: [Double], T: [Double], weight: [Double]? = nil) throws {
        let n = frequency.count
        guard recency.count == n, T.count == n, weight.map({ $0.count == n }) ?? true else {
            throw AnalyticsError(code: AnalyticsError.invalidOption, message: "columns have different lengths")
        }
        guard n > 0 else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no customers to fit")
        }
        for i in 0..<n {
            let x = frequency[i], tx = recency[i], t = T[i]
            guard x >= 0, tx >= 0, t >= tx, t.isFinite, x > 0 || tx == 0 else {
                throw AnalyticsError(
                    code: AnalyticsError.invalidOption,
                    message: "row \(i) is impossible: frequency \(x), recency \(tx), T \(t)",
                    context: ["row": String(i)])
            }
        }
        self.frequency = frequency
        self.recency = recency
        self.T = T
        self.weight = weight ?? Array(repeating: 1, count: n)
    }

    /// Takes x, t_x and T from customer summaries.
    public init(_ summaries: [CustomerSummary]) throws {
        try self.init(frequency: summaries.map(\.frequency), recency: summaries.map(\.recency),
                      T: summaries.map(\.T))
    }

    /// The total weight (number of customers).
    public var totalWeight: Double { weight.reduce(0, +) }
}
