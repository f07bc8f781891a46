import Foundation
import PatronCore

/// Draws from the distributions the demo's behaviour is stated in (uniform, exponential, normal, gamma, beta) on a
/// seeded generator, so every run with the same seed is the same shop.
public struct DemoRandom: Sendable {
    private var generator: SplitMix

    /// A stream of draws from `seed`.
    public init(seed: UInt64) { generator = SplitMix(seed: seed) }

    /// A uniform draw from the open interval (0, 1).
    public mutating func uniform() -> Double {
        // 53 random bits, shifted by half a step so that neither 0 nor 1 is drawn.
        (Double(generator.next() >> 11) + 0.5) / Double(1 << 53)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A uniform integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    /// A uniform pick from a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[integer(in: 0...(items.count - 1))] }

    /// An exponential draw with `rate` (mean 1 / rate).
    public mutating func exponential(rate: Double) -> Double { -log(uniform()) / rate }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// A gamma draw with `shape` and `rate` (mean shape / rate), by Marsaglia and Tsang's method.
    public mutating func gamma(shape: Double, rate: Double) -> Double {
        precondition(shape > 0 && rate > 0, "gamma needs a positive shape and rate")
        if shape < 1 {
            // Boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
            return gamma(shape: shape + 1, rate: rate) * pow(uniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v / rate }
        }
    }

    /// A beta(a, b) draw, as the share of one gamma draw in the sum of two.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, rate: 1), y = gamma(shape: b, rate: 1)
        return x / (x + y)
    }
}
