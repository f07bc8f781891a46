import Foundation
import PatronCore

/// Draws from the distributions the demo's behaviour is stated in (uniform, exponential, normal, gamma, beta) on a
/// seeded generator, so every run with the same seed is the same shop.
public struct DemoRandom: Sendable {
    private var generator: SplitMix

    /// A stream of draws from `seed`.
    public init(seed: UInt64) { generator = SplitMix(seed: seed) }

    /// A uniform draw from the open interval (0, 1).
    public mutating func uniform() -> Double { generator.uniform() }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A uniform integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    /// A uniform pick from a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[integer(in: 0...(items.count - 1))] }

    /// An exponential draw with `rate` (mean 1 / rate).
    public mutating func exponential(rate: Double) -> Double { generator.exponential(rate: rate) }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double { generator.normal() }

    /// A gamma draw with `shape` and `rate` (mean shape / rate).
    public mutating func gamma(shape: Double, rate: Double) -> Double { generator.gamma(shape: shape, rate: rate) }

    /// A beta(a, b) draw, as the share of one gamma draw in the sum of two.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, rate: 1), y = gamma(shape: b, rate: 1)
        return x / (x + y)
    }
}
