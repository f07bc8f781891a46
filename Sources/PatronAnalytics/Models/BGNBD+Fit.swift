import Foundation

extension BGNBD {
    /// Fits r, α, a, b by maximum likelihood (BFGS on log-parameters with the analytic gradient).
    /// - Throws: ``AnalyticsError`` `empty_input` or `fit_failed`.
    public static func fit(_ data: FrequencyRecencyData, options: FitOptions = FitOptions()) throws -> ModelFit<BGNBD> {
        let rows = CompressedRows(data)
        guard rows.totalWeight > 0 else {
            throw AnalyticsError(code: AnalyticsError.emptyInput, message: "no customers to fit")
        }
        // On large data a loose fit to a 1-in-10 sample of the rows gives a close starting point.
        let sample = rows.count > 20_000 && options.initialParameters == nil ? rows.subsample(stride: 10) : nil
        let warm = sample.map { sample in
            { (u: [Double]) in meanNegativeLogLikelihood(sample, logParameters: u, threads: options.threads) }
        }
        let fit = try MaximumLikelihood.fit(start: [1, 1, 1, 1], totalWeight: rows.totalWeight, options: options,
                                            warmStart: warm) {
            u in meanNegativeLogLikelihood(rows, logParameters: u, threads: options.threads)
        }
        let t = fit.theta, se = fit.standardErrors
        return ModelFit(model: BGNBD(r: t[0], alpha: t[1], a: t[2], b: t[3]), logLikelihood: fit.logLikelihood,
                        standardErrors: BGNBD(r: se[0], alpha: se[1], a: se[2], b: se[3]),
                        convergence: fit.convergence, customers: rows.totalWeight)
    }

    /// −LL/W and its gradient with respect to (ln r, ln α, ln a, ln b).
    static func meanNegativeLogLikelihood(_ rows: CompressedRows, logParameters u: [Double], threads: Int)
        -> (value: Double, gradient: [Double]) {
        let r = exp(u[0]), alpha = exp(u[1]), a = exp(u[2]), b = exp(u[3])
        let g = SpecialFunctions.self
        // Terms that depend on x only, weighted by the number of customers with that x.
        var value = 0.0
        var gr = 0.0, galpha = 0.0, ga = 0.0, gb = 0.0
        let nx = rows.xValues.count
        var logB1 = [Double](repeating: 0, count: nx)  // ln(b + x − 1), x > 0
        var invB1 = [Double](repeating: 0, count: nx)
        var rx = [Double](repeating: 0, count: nx)
        let lgR = g.logGamma(r), psiR = g.digamma(r)
        let lgAB = g.logGamma(a + b), psiAB = g.digamma(a + b)
        let lgB = g.logGamma(b), psiB = g.digamma(b)
        for k in 0..<nx {
            let x = Double(rows.xValues[k]), w = rows.weightPerX[k]
            let a1 = g.logGamma(r + x) - lgR + r * log(alpha)
            let a2 = lgAB + g.logGamma(b + x) - lgB - g.logGamma(a + b + x)
            value += w * (a1 + a2)
            let psiABX = g.digamma(a + b + x)
            gr += w * (g.digamma(r + x) - psiR + log(alpha))
            galpha += w * r / alpha
            ga += w * (psiAB - psiABX)
            gb += w * (psiAB + g.digamma(b + x) - psiB - psiABX)
            rx[k] = r + x
            if rows.xValues[k] > 0 {
                logB1[k] = log(b + x - 1)
                invB1[k] = 1 / (b + x - 1)
            }
        }
        let logTs = rows.tValues.map { log(alpha + $0) }, invTs = rows.tValues.map { 1 / (alpha + $0) }
        let logTxs = rows.txValues.map { log(alpha + $0) }, invTxs = rows.txValues.map { 1 / (alpha + $0) }
        let logA = log(a), invA = 1 / a
        let partials = Parallel.map(count: rows.count, parts: max(1, threads) * 4, threads: threads) { range in
            var v = 0.0, dr = 0.0, dal = 0.0, da = 0.0, db = 0.0
            rows.weight.withUnsafeBufferPointer { weight in
            rows.xIndex.withUnsafeBufferPointer { xIndex in
            rows.tIndex.withUnsafeBufferPointer { tIndex in
            rows.txIndex.withUnsafeBufferPointer { txIndex in
                for i in range {
                    let w = weight[i], k = Int(xIndex[i]), ti = Int(tIndex[i])
                    let rxk = rx[k]
                    let a3 = -rxk * logTs[ti]
                    if rows.xValues[k] == 0 {
                        v += w * a3
                        dr -= w * logTs[ti]
                        dal -= w * rxk * invTs[ti]
                        continue
                    }
                    let xi = Int(txIndex[i])
                    let a4 = logA - logB1[k] - rxk * logTxs[xi]
                    // p = weight of the "dropped out after the last purchase" term
                    let lse: Double, p: Double
                    if a4 > a3 {
                        let e = exp(a3 - a4)
                        lse = a4 + log1p(e)
                        p = 1 / (1 + e)
                    } else {
                        let e = exp(a4 - a3)
                        lse = a3 + log1p(e)
                        p = e / (1 + e)
                    }
                    let q = 1 - p
                    v += w * lse
                    dr -= w * (q * logTs[ti] + p * logTxs[xi])
                    dal -= w * rxk * (q * invTs[ti] + p * invTxs[xi])
                    da += w * p * invA
                    db -= w * p * invB1[k]
                }
            }}}}
            return SIMD8<Double>(v, dr, dal, da, db, 0, 0, 0)
        }
        let total = partials.reduce(SIMD8<Double>.zero, +)
        value += total[0]
        gr += total[1]
        galpha += total[2]
        ga += total[3]
        gb += total[4]
        let w = rows.totalWeight
        return (-value / w, [-gr * r / w, -galpha * alpha / w, -ga * a / w, -gb * b / w])
    }
}
