/// How a maximum-likelihood fit ended: reported with every fitted model.
public struct Convergence: Sendable, Hashable, Codable {
    /// BFGS iterations taken.
    public var iterations: Int
    /// Objective evaluations (value and gradient together).
    public var evaluations: Int
    /// The largest absolute component of the gradient of the mean negative log-likelihood with respect to the
    /// log-parameters, at the end.
    public var gradientNorm: Double
    /// True when the gradient test (or a stalled, already tiny step) was met before the iteration limit.
    public var converged: Bool
    /// Why the optimiser stopped, in words.
    public var reason: String

    /// Creates a report.
    public init(iterations: Int, evaluations: Int, gradientNorm: Double, converged: Bool, reason: String) {
        self.iterations = iterations
        self.evaluations = evaluations
        self.gradientNorm = gradientNorm
        self.converged = converged
        self.reason = reason
    }
}

/// Options of the maximum-likelihood optimiser.
public struct FitOptions: Sendable, Hashable {
    /// Stop when every component of the gradient (mean log-likelihood per unit weight, log-parameters) is below this.
    public var gradientTolerance: Double
    /// The most BFGS iterations.
    public var maxIterations: Int
    /// Starting values; nil uses each model's default (all parameters 1).
    public var initialParameters: [Double]?
    /// Threads used to evaluate the likelihood (1 = the calling thread only).
    public var threads: Int

    /// Creates options; the defaults suit every model here.
    public init(gradientTolerance: Double = 1e-9, maxIterations: Int = 500, initialParameters: [Double]? = nil,
                threads: Int = 2) {
        self.gradientTolerance = gradientTolerance
        self.maxIterations = maxIterations
        self.initialParameters = initialParameters
        self.threads = threads
    }
}
