import Foundation

extension ParetoNBD {
    /// Fits r, α, s, β by maximum likelihood (BFGS on log-parameters with the exact gradient).
    /// - Throws: ``AnalyticsError`` `empty_input` or `fit_failed`.
    public static func fit(_ data: FrequencyRecencyData, options: FitOptions = FitOptions())
        throws -> ModelFit<ParetoNBD> {
        let rows = CompressedRows(data)
        guard rows.totalWeight > 0 else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no customers to fit")
        }
        // On large data a loose fit to a 1-in-10 sample of the rows gives a close starting point.
        let sample = rows.count > 20_000 && options.initialParameters == nil ? rows.subsample(stride: 10) : nil
        let warm = sample.map { sample in
            { (u: [Double]) in ParetoNBDLikelihood.meanNegativeLogLikelihood(sample, logParameters: u, threads: options.threads) }
        }
        let fit = try MaximumLikelihood.fit(start: [1, 1, 1, 1], totalWeight: rows.totalWeight, options: options,
                                            warmStart: warm) {
            u in ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: u, threads: options.threads)
        }
        let t = fit.theta, se = fit.standardErrors
        return ModelFit(model: ParetoNBD(r: t[0], alpha: t[1], s: t[2], beta: t[3]), logLikelihood: fit.logLikelihood,
                        standardErrors: ParetoNBD(r: se[0], alpha: se[1], s: se[2], beta: se[3]),
                        convergence: fit.convergence, customers: rows.totalWeight)
    }
}
