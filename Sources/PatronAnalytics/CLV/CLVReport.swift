/// The result of ``CLVAnalysis/run(purchases:options:)``: what `patron analyze clv --json` prints.
public struct CLVReport: Sendable, Hashable, Codable {
    /// Customers whose first purchase is in the calibration period.
    public var customers: Int
    /// The period unit of every model parameter (`day` or `week`).
    public var period: PeriodUnit
    /// Facts about the calibration period.
    public var calibration: Calibration
    /// The fitted models.
    public var models: Models
    /// Actual and predicted purchases in the holdout period; nil when there is none.
    public var holdout: Holdout?
    /// Customer lifetime value.
    public var clv: CLV
    /// Per-customer predictions, when asked for.
    public var customerPredictions: [CustomerPrediction]?
    /// True when all three models converged and every figure is finite; false means read ``problems``.
    public var converged: Bool
    /// Why a figure is missing or should not be trusted, one sentence each (empty when `converged`).
    public var problems: [String]

    /// The calibration period.
    public struct Calibration: Sendable, Hashable, Codable {
        /// First purchase day in the data, `yyyy-MM-dd`.
        public var start: String
        /// Calibration end (inclusive), `yyyy-MM-dd`.
        public var end: String
        /// Customers with at least one repeat purchase day.
        public var repeatCustomers: Int
        /// Repeat purchase days summed over customers (Σ x).
        public var repeatPurchases: Int
    }

    /// The three fitted models.
    public struct Models: Sendable, Hashable, Codable {
        /// BG/NBD.
        public var bgnbd: BGNBDReport
        /// Pareto/NBD.
        public var paretoNbd: ParetoNBDReport
        /// Gamma-Gamma.
        public var gammaGamma: GammaGammaReport
    }

    /// BG/NBD parameters and fit statistics.
    public struct BGNBDReport: Sendable, Hashable, Codable {
        /// r, α, a, b.
        public var r, alpha, a, b: Double
        /// Log-likelihood at the maximum.
        public var logLikelihood: Double
        /// Standard errors of r, α, a, b (a non-finite one is written as null).
        public var standardErrors: BGNBD
        /// How the optimiser ended.
        public var convergence: Convergence
    }

    /// Pareto/NBD parameters and fit statistics.
    public struct ParetoNBDReport: Sendable, Hashable, Codable {
        /// r, α, s, β.
        public var r, alpha, s, beta: Double
        /// Log-likelihood at the maximum.
        public var logLikelihood: Double
        /// Standard errors of r, α, s, β (a non-finite one is written as null).
        public var standardErrors: ParetoNBD
        /// How the optimiser ended.
        public var convergence: Convergence
    }

    /// Gamma-Gamma parameters and fit statistics.
    public struct GammaGammaReport: Sendable, Hashable, Codable {
        /// p, q, v (γ).
        public var p, q, v: Double
        /// Log-likelihood at the maximum.
        public var logLikelihood: Double
        /// Repeat customers it was fitted on.
        public var customers: Int
        /// Standard errors of p, q, v (a non-finite one is written as null).
        public var standardErrors: GammaGamma
        /// How the optimiser ended.
        public var convergence: Convergence
    }

    /// The holdout period's actual and predicted purchase days.
    public struct Holdout: Sendable, Hashable, Codable {
        /// Observation end (inclusive), `yyyy-MM-dd`.
        public var end: String
        /// Holdout length in periods.
        public var periods: Double
        /// Purchase days observed in the holdout period, summed over calibration customers.
        public var actualPurchases: Int
        /// Σ E[Y(holdout length)] per model.
        public var predictedPurchases: Predicted
    }

    /// A prediction by each transaction model.
    public struct Predicted: Sendable, Hashable, Codable {
        /// Under BG/NBD.
        public var bgnbd: Double
        /// Under Pareto/NBD.
        public var paretoNbd: Double
    }

    /// Lifetime value over the horizon (BG/NBD purchases × Gamma-Gamma spend), in major units of currency.
    public struct CLV: Sendable, Hashable, Codable {
        /// H, months.
        public var horizonMonths: Int
        /// d, per month.
        public var monthlyDiscountRate: Double
        /// The transaction model used (`bgnbd`).
        public var model: String
        /// Mean CLV per customer; nil when ``withheld``.
        public var mean: Double?
        /// Median CLV; nil when ``withheld``.
        public var median: Double?
        /// Sum over customers; nil when ``withheld``.
        public var total: Double?
        /// Why no lifetime value is given (a model it needs did not converge, or its values are not finite); nil
        /// when the values are given.
        public var withheld: String?
    }

    /// One customer's predictions.
    public struct CustomerPrediction: Sendable, Hashable, Codable {
        /// The customer.
        public var customer: String
        /// x.
        public var frequency: Int
        /// t_x, periods.
        public var recency: Double
        /// T, periods.
        public var T: Double
        /// Mean repeat spend, major units.
        public var monetaryValue: Double
        /// P(alive) under BG/NBD and Pareto/NBD.
        public var probabilityAlive: Predicted
        /// Expected purchases over the CLV horizon under BG/NBD and Pareto/NBD.
        public var expectedPurchases: Predicted
        /// Gamma-Gamma expected spend per purchase, major units; nil when it is not finite.
        public var expectedSpend: Double?
        /// CLV over the horizon, major units; nil when the report's CLV is withheld.
        public var clv: Double?
        /// Holdout purchase days actually observed.
        public var holdoutPurchases: Int
    }
}
