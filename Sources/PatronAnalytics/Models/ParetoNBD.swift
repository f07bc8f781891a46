import Foundation

/// The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987), in the formulation of Fader & Hardie
/// (2005), "A note on deriving the Pareto/NBD model and related expressions".
///
/// While active a customer buys at rate λ ~ Gamma(r, α); their lifetime is exponential with rate μ ~ Gamma(s, β).
public struct ParetoNBD: Sendable, Hashable, Codable, TransactionModel {
    /// Shape of the purchase-rate distribution.
    public var r: Double
    /// Scale of the purchase-rate distribution (in periods).
    public var alpha: Double
    /// Shape of the dropout-rate distribution.
    public var s: Double
    /// Scale of the dropout-rate distribution (in periods).
    public var beta: Double

    /// Creates a model from its parameters.
    public init(r: Double, alpha: Double, s: Double, beta: Double) {
        self.r = r
        self.alpha = alpha
        self.s = s
        self.beta = beta
    }

    var duals: ParetoNBDLikelihood.Parameters {
        ParetoNBDLikelihood.Parameters(r: r, alpha: alpha, s: s, beta: beta)
    }

    /// The log-likelihood of one customer's (x, t_x, T).
    public func logLikelihood(frequency x: Int, recency tx: Double, T: Double) -> Double {
        let p = duals
        let terms = ParetoNBDLikelihood.rowTerms(p, x: x, tx: tx, T: T)
        return (ParetoNBDLikelihood.xTerm(p, x: x) + Dual4.logAddExp(terms.alive, terms.dropped)).value
    }

    /// P(alive | x, t_x, T) (Fader & Hardie 2005, equation 18).
    public func probabilityAlive(frequency x: Int, recency tx: Double, T: Double) -> Double {
        let terms = ParetoNBDLikelihood.rowTerms(duals, x: x, tx: tx, T: T)
        guard terms.dropped.value > -.infinity else { return 1 }
        return 1 / (1 + exp(terms.dropped.value - terms.alive.value))
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` periods (Fader & Hardie 2005, equation 22).
    public func expectedPurchases(in t: Double, frequency x: Int, recency tx: Double, T: Double) -> Double {
        guard t > 0 else { return 0 }
        let ratio = log((beta + T) / (beta + T + t))
        let sm1 = s - 1
        // (1 − ((β+T)/(β+T+t))^(s−1)) / (s − 1), with its limit −ln((β+T)/(β+T+t)) at s = 1
        let factor = abs(sm1) < 1e-10 ? -ratio : -expm1(sm1 * ratio) / sm1
        return (r + Double(x)) * (beta + T) / (alpha + T) * factor
            * probabilityAlive(frequency: x, recency: tx, T: T)
    }
}
