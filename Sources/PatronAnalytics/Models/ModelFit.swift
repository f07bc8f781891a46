import Foundation

/// A model fitted by maximum likelihood, with its fit statistics.
public struct ModelFit<Model: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    /// The maximum-likelihood parameters.
    public var model: Model
    /// The log-likelihood at the maximum, summed over customers (constant terms included, as in the literature).
    public var logLikelihood: Double
    /// Standard errors of each parameter, in the same shape as the model (from the inverse Hessian, delta method).
    public var standardErrors: Model
    /// How the optimiser ended.
    public var convergence: Convergence
    /// The number of customers fitted.
    public var customers: Double

    /// Creates a fit.
    public init(model: Model, logLikelihood: Double, standardErrors: Model, convergence: Convergence,
                customers: Double) {
        self.model = model
        self.logLikelihood = logLikelihood
        self.standardErrors = standardErrors
        self.convergence = convergence
        self.customers = customers
    }
}

/// A model of repeat-purchase counts that predicts each customer's future purchases (BG/NBD, Pareto/NBD).
public protocol TransactionModel: Sendable {
    /// Expected purchases in the next `t` periods by a customer with history (x, t_x, T).
    func expectedPurchases(in t: Double, frequency: Int, recency: Double, T: Double) -> Double
    /// The probability that a customer with history (x, t_x, T) is still active at T.
    func probabilityAlive(frequency: Int, recency: Double, T: Double) -> Double
}

/// Runs BFGS on the mean negative log-likelihood in log-parameters and packages the result.
enum MaximumLikelihood {
    /// `meanNegLL(u)` returns (−LL/W, −∇LL/W) with respect to u = log θ. When `warmStart` is given (a cheaper
    /// objective on a sample of the data) the optimiser first runs on it, loosely, and starts from its answer.
    static func fit(start: [Double], totalWeight: Double, options: FitOptions,
                    warmStart: (([Double]) -> (value: Double, gradient: [Double]))? = nil,
                    meanNegLL: ([Double]) -> (value: Double, gradient: [Double]))
        throws -> (theta: [Double], logLikelihood: Double, standardErrors: [Double], convergence: Convergence) {
        var u0 = (options.initialParameters ?? start).map { $0 > 0 ? log($0) : 0 }
        var h0: [[Double]]?
        if let warmStart {
            let rough = BFGS(gradientTolerance: 1e-7, maxIterations: options.maxIterations).minimize(warmStart, from: u0)
            if rough.value.isFinite, rough.point.allSatisfy(\.isFinite) {
                u0 = rough.point
                h0 = rough.inverseHessian  // both objectives are means, so their curvatures have the same scale
            }
        }
        let optimiser = BFGS(gradientTolerance: options.gradientTolerance, maxIterations: options.maxIterations)
        var result = optimiser.minimize(meanNegLL, from: u0, inverseHessian: h0)
        if h0 != nil && !result.convergence.converged {  // a poor warm start: run again from the plain start
            result = optimiser.minimize(meanNegLL, from: (options.initialParameters ?? start).map { $0 > 0 ? log($0) : 0 })
        }
        if !result.convergence.converged, result.point.contains(where: { abs($0) > 10 }) {
            result.convergence.reason += "; a parameter is running off to 0 or ∞ (the data fit a limiting case of the"
                + " model, e.g. the same rate for every customer)"
        }
        guard result.value.isFinite else {
            throw AnalyticsError(code: AnalyticsError.fitFailed,
                                 message: "the likelihood could not be evaluated: \(result.convergence.reason)")
        }
        let se = Hessian.standardErrors(
            gradient: { u in meanNegLL(u).gradient.map { $0 * totalWeight } }, atLog: result.point,
            gradientAtPoint: result.gradient.map { $0 * totalWeight })
        return (result.point.map { exp($0) }, -result.value * totalWeight, se, result.convergence)
    }
}
