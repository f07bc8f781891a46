import Foundation
import PatronCore

/// Options of ``CLVAnalysis/run(purchases:options:)``.
public struct CLVAnalysisOptions: Sendable, Hashable {
    /// Period unit of the models.
    public var period: PeriodUnit
    /// Last day of the calibration period (days since 1970-01-01); nil = the last purchase day (no holdout).
    public var calibrationEnd: Int?
    /// Last day of the holdout period; nil = the last purchase day.
    public var observationEnd: Int?
    /// Minor units per major unit of the currency.
    public var minorUnitsPerMajor: Int64
    /// Lifetime value horizon, discount rate and month length.
    public var clv: CLVOptions
    /// Whether to include ``CLVReport/customerPredictions``.
    public var includeCustomers: Bool
    /// Optimiser settings for every model.
    public var fit: FitOptions

    /// Creates options.
    public init(period: PeriodUnit = .week, calibrationEnd: Int? = nil, observationEnd: Int? = nil,
                minorUnitsPerMajor: Int64 = 100, clv: CLVOptions = CLVOptions(), includeCustomers: Bool = false,
                fit: FitOptions = FitOptions()) {
        self.period = period
        self.calibrationEnd = calibrationEnd
        self.observationEnd = observationEnd
        self.minorUnitsPerMajor = minorUnitsPerMajor
        self.clv = clv
        self.includeCustomers = includeCustomers
        self.fit = fit
    }
}

/// The whole CLV analysis in one call: summary, BG/NBD, Pareto/NBD, Gamma-Gamma, holdout check, lifetime value.
public enum CLVAnalysis {
    /// Values of the scale-free parameters (all but Gamma-Gamma's v) that a fit to real data stays within; outside,
    /// the report lists the parameter as running off to a limiting case and is not ``CLVReport/converged``.
    public static let identifiedRange: ClosedRange<Double> = 1e-6...1e6

    /// Whether a scale-free parameter lies in ``identifiedRange`` (NaN does not).
    public static func isIdentified(_ value: Double) -> Bool { identifiedRange.contains(value) }

    /// Summarises `purchases`, fits the three models and predicts.
    /// - Throws: ``AnalyticsError`` from the summary (empty input, negative amounts, bad periods), `insufficient_data`
    ///   when no customer has a repeat purchase, `fit_failed`.
    public static func run(purchases: [Purchase], options: CLVAnalysisOptions) throws -> CLVReport {
        try options.clv.validate()
        guard let firstDay = purchases.map(\.day).min(), let lastDay = purchases.map(\.day).max() else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no purchases to analyse")
        }
        let calibrationEnd = options.calibrationEnd ?? lastDay
        let summaries = try CustomerSummary.build(from: purchases, options: SummaryOptions(
            period: options.period, calibrationEnd: calibrationEnd, observationEnd: options.observationEnd,
            minorUnitsPerMajor: options.minorUnitsPerMajor))
        let observationEnd = options.observationEnd ?? max(lastDay, calibrationEnd)
        let repeatCustomers = summaries.filter { $0.frequency > 0 }.count
        guard repeatCustomers > 0 else {
            throw AnalyticsError(code: AnalyticsError.insufficientData,
                                 message: "no customer has a repeat purchase day before the calibration end")
        }
        let data = try FrequencyRecencyData(summaries)
        let bg = try BGNBD.fit(data, options: options.fit)
        let pareto = try ParetoNBD.fit(data, options: options.fit)
        let gg = try GammaGamma.fit(frequency: data.frequency, monetaryValue: summaries.map(\.monetaryValue),
                                    options: options.fit)
        let spend = summaries.map { gg.model.expectedAverageSpend(frequency: $0.frequency, monetaryValue: $0.monetaryValue) }
        let clv = try CustomerLifetimeValue.values(model: bg.model, data: data, expectedSpend: spend,
                                                    period: options.period, options: options.clv)
        var holdout: CLVReport.Holdout?
        if observationEnd > calibrationEnd {
            let t = Double(observationEnd - calibrationEnd) / options.period.days
            var bgSum = 0.0, paretoSum = 0.0
            for s in summaries {
                bgSum += bg.model.expectedPurchases(in: t, frequency: s.frequency, recency: s.recency, T: s.T)
                paretoSum += pareto.model.expectedPurchases(in: t, frequency: s.frequency, recency: s.recency, T: s.T)
            }
            holdout = CLVReport.Holdout(
                end: LocalDate(dayNumber: observationEnd).description, periods: t,
                actualPurchases: summaries.reduce(0) { $0 + $1.holdoutFrequency },
                predictedPurchases: CLVReport.Predicted(bgnbd: bgSum, paretoNbd: paretoSum))
        }
        // A fit that did not converge, or figures that are not finite, are said so; CLV needs BG/NBD and
        // Gamma-Gamma, so it is withheld when either failed.
        var problems: [String] = []
        func check(_ name: String, _ c: Convergence, _ standardErrors: [Double]) {
            if !c.converged { problems.append("\(name) did not converge: \(c.reason)") }
            if standardErrors.contains(where: { !$0.isFinite }) {
                problems.append("\(name): some standard errors are not finite (the likelihood is flat there), shown as null")
            }
        }
        check("BG/NBD", bg.convergence, [bg.standardErrors.r, bg.standardErrors.alpha, bg.standardErrors.a, bg.standardErrors.b])
        check("Pareto/NBD", pareto.convergence, [pareto.standardErrors.r, pareto.standardErrors.alpha,
                                                 pareto.standardErrors.s, pareto.standardErrors.beta])
        check("Gamma-Gamma", gg.convergence, [gg.standardErrors.p, gg.standardErrors.q, gg.standardErrors.v])
        // A "converged" fit whose parameter ran off towards 0 or ∞ fits a limiting case of the model (nobody ever
        // lapses: BG/NBD's a → 0; everyone spends alike: Gamma-Gamma's q → ∞); its estimates are not identified.
        // Scale-free parameters only (v is in money and may be large).
        func runOff(_ name: String, _ parameters: [(String, Double)]) {
            let off = parameters.filter { !Self.isIdentified($0.1) }
            guard !off.isEmpty else { return }
            problems.append("\(name): " + off.map { "\($0.0) = \(String(format: "%.3g", $0.1))" }.joined(separator: ", ")
                + " ran off towards 0 or ∞: the data fit a limiting case of the model (e.g. nobody lapses, or every"
                + " customer spends alike), so its parameters are not identified")
        }
        runOff("BG/NBD", [("r", bg.model.r), ("alpha", bg.model.alpha), ("a", bg.model.a), ("b", bg.model.b)])
        runOff("Pareto/NBD", [("r", pareto.model.r), ("alpha", pareto.model.alpha), ("s", pareto.model.s),
                              ("beta", pareto.model.beta)])
        runOff("Gamma-Gamma", [("p", gg.model.p), ("q", gg.model.q)])
        var withheld: String?
        if !bg.convergence.converged || !gg.convergence.converged {
            withheld = "lifetime value needs BG/NBD and Gamma-Gamma, and "
                + (!bg.convergence.converged ? "BG/NBD" : "Gamma-Gamma") + " did not converge"
        } else if let bad = clv.firstIndex(where: { !$0.isFinite }) {
            withheld = "customer \(summaries[bad].customer)'s lifetime value is not finite"
                + (gg.model.q <= 1 ? " (Gamma-Gamma q ≤ 1: the mean spend is unbounded)" : "")
        }
        if let withheld { problems.append("CLV withheld: \(withheld)") }
        var predictions: [CLVReport.CustomerPrediction]?
        if options.includeCustomers {
            let horizon = Double(options.clv.horizonMonths) * options.clv.daysPerMonth / options.period.days
            predictions = summaries.indices.map { i in
                let s = summaries[i]
                return CLVReport.CustomerPrediction(
                    customer: s.customer, frequency: s.frequency, recency: s.recency, T: s.T,
                    monetaryValue: s.monetaryValue,
                    probabilityAlive: CLVReport.Predicted(
                        bgnbd: bg.model.probabilityAlive(frequency: s.frequency, recency: s.recency, T: s.T),
                        paretoNbd: pareto.model.probabilityAlive(frequency: s.frequency, recency: s.recency, T: s.T)),
                    expectedPurchases: CLVReport.Predicted(
                        bgnbd: bg.model.expectedPurchases(in: horizon, frequency: s.frequency, recency: s.recency, T: s.T),
                        paretoNbd: pareto.model.expectedPurchases(
                            in: horizon, frequency: s.frequency, recency: s.recency, T: s.T)),
                    expectedSpend: spend[i].isFinite ? spend[i] : nil, clv: withheld == nil ? clv[i] : nil,
                    holdoutPurchases: s.holdoutFrequency)
            }
        }
        let sorted = clv.sorted()
        let median = sorted.isEmpty ? 0 : (sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2)
        let total = clv.reduce(0, +)
        return CLVReport(
            customers: summaries.count, period: options.period,
            calibration: CLVReport.Calibration(
                start: LocalDate(dayNumber: firstDay).description, end: LocalDate(dayNumber: calibrationEnd).description,
                repeatCustomers: repeatCustomers, repeatPurchases: data.frequency.reduce(0, +)),
            models: CLVReport.Models(
                bgnbd: CLVReport.BGNBDReport(r: bg.model.r, alpha: bg.model.alpha, a: bg.model.a, b: bg.model.b,
                                             logLikelihood: bg.logLikelihood, standardErrors: bg.standardErrors,
                                             convergence: bg.convergence),
                paretoNbd: CLVReport.ParetoNBDReport(
                    r: pareto.model.r, alpha: pareto.model.alpha, s: pareto.model.s, beta: pareto.model.beta,
                    logLikelihood: pareto.logLikelihood, standardErrors: pareto.standardErrors,
                    convergence: pareto.convergence),
                gammaGamma: CLVReport.GammaGammaReport(
                    p: gg.model.p, q: gg.model.q, v: gg.model.v, logLikelihood: gg.logLikelihood,
                    customers: Int(gg.customers), standardErrors: gg.standardErrors, convergence: gg.convergence)),
            holdout: holdout,
            clv: CLVReport.CLV(horizonMonths: options.clv.horizonMonths,
                               monthlyDiscountRate: options.clv.monthlyDiscountRate, model: "bgnbd",
                               mean: withheld == nil ? total / Double(max(1, clv.count)) : nil,
                               median: withheld == nil ? median : nil, total: withheld == nil ? total : nil,
                               withheld: withheld),
            customerPredictions: predictions, converged: problems.isEmpty, problems: problems)
    }
}
