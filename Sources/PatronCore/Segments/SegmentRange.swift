/// An inclusive range of a number a segment condition compares with: `{ min: 2 }`, `{ max: 0.3 }`, `{ min: 1, max: 5 }`.
/// Money is held in minor units, probabilities and rates as they are written.
public struct SegmentRange: Sendable, Hashable, Codable {
    /// The smallest value that matches, if any.
    public var min: Double?
    /// The largest value that matches, if any.
    public var max: Double?

    /// A range; at least one bound should be given (the reader insists).
    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether every bound given lies in `bounds`.
    public func lies(in bounds: ClosedRange<Double>) -> Bool {
        (min.map(bounds.contains) ?? true) && (max.map(bounds.contains) ?? true)
    }

    /// Whether `value` lies in the range.
    public func contains(_ value: Double) -> Bool {
        (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
    }
}
