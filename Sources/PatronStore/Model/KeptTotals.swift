import Foundation
import PatronCore

/// One kept aggregate: a figure of one local day (the program's time zone), for one metric and key, summed over the
/// writers that kept it. The write path keeps them in the same transaction as the change they count, so reading a
/// period's figures never scans members, orders or the ledger (docs/console.md, "Overview").
public struct DailyTotal: Sendable, Hashable, Codable {
    /// The local day, as `LocalDate.dayNumber`.
    public var day: Int
    /// What is counted (`DailyTotal.Metric`).
    public var metric: String
    /// The level name for `level`, the entry kind for `points`; empty otherwise.
    public var key: String
    /// The day's change of the figure.
    public var value: Int64

    /// Makes a total.
    public init(day: Int, metric: String, key: String, value: Int64) {
        self.day = day
        self.metric = metric
        self.key = key
        self.value = value
    }

    /// The metrics kept.
    public enum Metric {
        /// +1 on the day a member enrolled.
        public static let members = "members"
        /// Orders that analytics counts (not cancelled, with lines), on the day they were placed.
        public static let orders = "orders"
        /// Their goods' value after discounts and returns (minor units), on the day they were placed.
        public static let sales = "sales"
        /// The sum of ledger entries' active deltas, keyed by entry kind, on the day they occurred.
        public static let points = "points"
        /// +1 for the level a member moved to and −1 for the one they left (keyed by level), on the day of the change.
        public static let level = "level"
    }
}

/// A kept aggregate that differs from a recount of the tables it summarises.
public struct DailyTotalMismatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The local day, as `LocalDate.dayNumber`.
    public var day: Int
    /// The metric.
    public var metric: String
    /// The key.
    public var key: String
    /// What the aggregates hold.
    public var kept: Int64
    /// What a recount gives.
    public var recounted: Int64

    /// Makes a mismatch.
    public init(day: Int, metric: String, key: String, kept: Int64, recounted: Int64) {
        self.day = day
        self.metric = metric
        self.key = key
        self.kept = kept
        self.recounted = recounted
    }

    public var description: String {
        "day \(LocalDate(dayNumber: day)) \(metric)\(key.isEmpty ? "" : "[\(key)]"): kept \(kept), recount \(recounted)"
    }
}

/// A stored snapshot of the model-based parts of the overview, as the job that made it encoded them.
public struct OverviewSnapshotRecord: Sendable, Hashable {
    /// When it was computed.
    public var takenAt: Date
    /// Its JSON text.
    public var body: String

    /// Makes a record.
    public init(takenAt: Date, body: String) {
        self.takenAt = takenAt
        self.body = body
    }
}
