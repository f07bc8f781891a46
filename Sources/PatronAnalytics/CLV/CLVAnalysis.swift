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
                    expectedSpend: spend[i], clv: clv[i], holdoutPurchases: s.holdoutFrequency)
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
                               mean: total / Double(max(1, clv.count)), median: median, total: total),
            customerPredictions: predictions)
    }
}
