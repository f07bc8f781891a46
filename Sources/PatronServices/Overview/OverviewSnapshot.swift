import Foundation
import PatronAnalytics
import PatronCore

/// The overview's model-based parts, computed by a job from every order (the same inputs and definitions as
/// `patron analyze`) and kept, so that the page reads them instead of fitting models on each view.
public struct OverviewSnapshot: Sendable, Hashable, Codable {
    /// When it was computed.
    public var takenAt: Date
    /// The local day it describes (today when it was computed).
    public var asOfDay: Int
    /// Members who bought at least once.
    public var customers: Int
    /// Customers with an order in the 90 days up to `asOfDay`.
    public var activeIn90Days: Int
    /// Customers with a second purchase day ÷ customers (`RepeatPurchaseStats`), or `nil` with no customer.
    public var repeatPurchaseRate: Double?
    /// Customers by RFM score: `rfmGrid[r - 1][f - 1]` (`RFMAnalysis`, as of the last purchase day).
    public var rfmGrid: [[Int]]
    /// Customers and revenue by RFM segment.
    public var rfmSegments: [RFMSegmentSummary]
    /// Customers by predicted lifetime value (`CLVAnalysis`, BG/NBD with Gamma-Gamma), or empty with `clvWithheld`.
    public var clvBuckets: [Bucket]
    /// The mean predicted lifetime value, minor units.
    public var clvMean: Double?
    /// Why no lifetime values are shown (no repeat buyer yet, a model that did not converge).
    public var clvWithheld: String?
    /// The share of each month's active customers who bought the month before (`MonthlyRetention`).
    public var retention: [MonthlyRetention]
    /// Revenue of the last 365 days by the level each member holds now (minor units), level name → amount; no level
    /// is the empty name.
    public var revenueByLevel: [String: Int64]

    /// A range of lifetime values (minor units, `lower` included, `upper` excluded; `nil` is open) and its customers.
    public struct Bucket: Sendable, Hashable, Codable {
        /// The lower bound.
        public var lower: Double
        /// The upper bound, or `nil` for the last.
        public var upper: Double?
        /// How many customers.
        public var customers: Int
    }
}
