import Foundation

/// An estimate with its two-sided confidence interval.
public struct UpliftInterval: Sendable, Hashable, Codable {
    /// The point estimate.
    public var estimate: Double
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    /// An interval.
    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    /// Whether the interval leaves out zero: the difference is significant at the interval's level.
    public var isSignificant: Bool { lower > 0 || upper < 0 }

    /// Whether `value` lies inside the interval (bounds included).
    public func covers(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// The interval multiplied by `factor` (to scale a per-member difference to the treated group).
    public func scaled(by factor: Double) -> UpliftInterval {
        let a = lower * factor, b = upper * factor
        return UpliftInterval(estimate: estimate * factor, lower: min(a, b), upper: max(a, b))
    }
}
