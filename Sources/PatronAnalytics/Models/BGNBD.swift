import Foundation

/// The beta-geometric/negative-binomial model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers
/// the easy way").
///
/// While active a customer buys at rate λ ~ Gamma(r, α); after each purchase they become inactive with probability
/// p ~ Beta(a, b).
public struct BGNBD: Sendable, Hashable, Codable, TransactionModel {
    /// Shape of the purchase-rate distribution.
    public var r: Double
    /// Scale of the purchase-rate distribution (in periods).
    public var alpha: Double
    /// First shape of the dropout-probability distribution.
    public var a: Double
    /// Second shape of the dropout-probability distribution.
    public var b: Double

    /// Creates a model from its parameters.
    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// ln of the odds term a/(b+x−1) · ((α+T)/(α+t_x))^(r+x) that separates "alive" from "dropped out".
    private func logDropoutOdds(frequency x: Int, recency tx: Double, T: Double) -> Double {
        let xd = Double(x)
        return log(a) - log(b + xd - 1) + (r + xd) * (log(alpha + T) - log(alpha + tx))
    }

    /// P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
    public func probabilityAlive(frequency x: Int, recency tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        return 1 / (1 + exp(logDropoutOdds(frequency: x, recency: tx, T: T)))
    }

    /// The numerator of E[Y(t) | x, t_x, T], which depends on x and T only:
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t).
    ///
    /// Euler's transformation ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1−r−x) ₂F₁(a+b−1−r, a−1; a+b+x−1; z) cancels the
    /// power, leaving (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z): no overflow for heavy buyers (the plain series
    /// grows like (1−z)^−(r+x) before the power brings it back) and fast convergence for large x.
    func expectedPurchasesNumerator(in t: Double, frequency x: Int, T: Double) -> Double {
        guard t > 0 else { return 0 }
        let xd = Double(x)
        let z = t / (alpha + T + t)
        let f = SpecialFunctions.hyp2f1(a + b - 1 - r, a - 1, a + b + xd - 1, z)
        return (a + b + xd - 1) / (a - 1) * (1 - exp((a - 1) * log1p(-z)) * f)
    }

    /// The denominator of E[Y(t) | x, t_x, T]: 1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x).
    func expectedPurchasesDenominator(frequency x: Int, recency tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        return 1 + exp(logDropoutOdds(frequency: x, recency: tx, T: T))
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` periods (FHL 2005, equation 10).
    public func expectedPurchases(in t: Double, frequency x: Int, recency tx: Double, T: Double) -> Double {
        expectedPurchasesNumerator(in: t, frequency: x, T: T)
            / expectedPurchasesDenominator(frequency: x, recency: tx, T: T)
    }

    /// E[X(t)]: expected purchases in the first `t` periods of a newly acquired customer (FHL 2005, equation 9).
    public func expectedPurchasesOfNewCustomer(in t: Double) -> Double {
        guard t > 0 else { return 0 }
        let z = t / (alpha + t)
        let f = SpecialFunctions.hyp2f1(a + b - 1 - r, a - 1, a + b - 1, z)  // Euler-transformed, as above
        return (a + b - 1) / (a - 1) * (1 - exp((a - 1) * log1p(-z)) * f)
    }

    /// The log-likelihood of one customer's (x, t_x, T) (FHL 2005, equation 6).
    public func logLikelihood(frequency x: Int, recency tx: Double, T: Double) -> Double {
        let xd = Double(x)
        let g = SpecialFunctions.self
        let a1 = g.logGamma(r + xd) - g.logGamma(r) + r * log(alpha)
        let a2 = g.logGamma(a + b) + g.logGamma(b + xd) - g.logGamma(b) - g.logGamma(a + b + xd)
        let a3 = -(r + xd) * log(alpha + T)
        guard x > 0 else { return a1 + a2 + a3 }
        let a4 = log(a) - log(b + xd - 1) - (r + xd) * log(alpha + tx)
        let hi = max(a3, a4), lo = min(a3, a4)
        return a1 + a2 + hi + log1p(exp(lo - hi))
    }
}
