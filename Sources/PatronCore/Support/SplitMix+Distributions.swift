import Foundation

/// The continuous draws simulations need (the demo shop, the analytics benchmark's synthetic purchases), on the seeded
/// generator, so every run with the same seed draws the same numbers.
extension SplitMix {
    /// A uniform draw from the open interval (0, 1): 53 random bits, shifted by half a step so neither 0 nor 1 is drawn.
    public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    /// An exponential draw with `rate` (mean 1 / rate).
    public mutating func exponential(rate: Double) -> Double { -log(uniform()) / rate }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }

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
}
