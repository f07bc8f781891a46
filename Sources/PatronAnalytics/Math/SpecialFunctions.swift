import Foundation

/// Special functions needed by the customer-base models, for positive real arguments.
///
/// Implemented here (rather than taken from the C library) so that they are pure, thread-safe (`lgamma` writes the
/// global `signgam`) and identical on every platform.
public enum SpecialFunctions {
    private static let halfLogTwoPi = 0.918_938_533_204_672_741_78

    /// ln Γ(x) for x > 0, accurate to about 1e-15 relative (Stirling series after shifting x to ≥ 10).
    public static func logGamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
        var z = x
        var shift = 0.0
        if z < 10 {
            var product = 1.0
            while z < 10 {
                product *= z
                z += 1
            }
            shift = log(product)
        }
        let inv = 1 / z
        let inv2 = inv * inv
        let series = inv * (1.0 / 12 + inv2 * (-1.0 / 360 + inv2 * (1.0 / 1260 + inv2 * (-1.0 / 1680
            + inv2 * (1.0 / 1188 + inv2 * (-691.0 / 360_360 + inv2 * (1.0 / 156)))))))
        return (z - 0.5) * log(z) - z + halfLogTwoPi + series - shift
    }

    /// ψ(x) = d ln Γ(x) / dx for x > 0 (asymptotic series after shifting x to ≥ 10).
    public static func digamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
        var z = x
        var result = 0.0
        while z < 10 {
            result -= 1 / z
            z += 1
        }
        let inv2 = 1 / (z * z)
        let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
            - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))))
        return result + log(z) - 0.5 / z - series
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// ln Γ(x + n) − ln Γ(x), the log of the rising factorial (x)ₙ, without cancellation for small n.
    public static func logRisingFactorial(_ x: Double, _ n: Int) -> Double {
        if n <= 8 {
            var product = 1.0
            for k in 0..<n { product *= x + Double(k) }
            return log(product)
        }
        return logGamma(x + Double(n)) - logGamma(x)
    }

    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series.
    ///
    /// The series converges for |z| < 1; for z < 0 the Pfaff transformation
    /// ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)) is applied when it lands closer to 0.
    /// Returns `nan` when z ≥ 1 or the series does not settle within `maxTerms`.
    public static func hyp2f1(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int = 100_000) -> Double {
        if z == 0 { return 1 }
        guard z < 1, z.isFinite else { return .nan }
        if z < -0.5 {
            let w = z / (z - 1)
            return pow(1 - z, -a) * hyp2f1(a, c - b, c, w, maxTerms: maxTerms)
        }
        var term = 1.0
        var sum = 1.0
        var n = 0.0
        for _ in 0..<maxTerms {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            sum += term
            n += 1
            if !sum.isFinite { return .nan }
            if abs(term) <= 1e-16 * abs(sum) { return sum }
            if term == 0 { return sum }
        }
        return .nan
    }
}
