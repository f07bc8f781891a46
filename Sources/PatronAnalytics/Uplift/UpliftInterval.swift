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

    enum CodingKeys: String, CodingKey { case estimate, lower, upper }

    /// Decodes an interval; a missing bound is unbounded.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        estimate = try c.decode(Double.self, forKey: .estimate)
        lower = try c.decodeIfPresent(Double.self, forKey: .lower) ?? -.infinity
        upper = try c.decodeIfPresent(Double.self, forKey: .upper) ?? .infinity
    }

    /// Encodes the interval; an unbounded side (no control group) is `null`, since JSON has no infinity.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(estimate, forKey: .estimate)
        try c.encode(lower.isFinite ? lower : nil, forKey: .lower)
        try c.encode(upper.isFinite ? upper : nil, forKey: .upper)
    }

    /// The interval multiplied by `factor` (to scale a per-member difference to the treated group).
    public func scaled(by factor: Double) -> UpliftInterval {
        let a = lower * factor, b = upper * factor
        return UpliftInterval(estimate: estimate * factor, lower: min(a, b), upper: max(a, b))
    }
}
