import Foundation

/// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie, "The
/// Gamma-Gamma model of monetary value"): a customer's transactions are Gamma(p, ν) with ν ~ Gamma(q, γ); `v` is γ.
/// Fitted on repeat customers only, from their number of repeat transactions and mean repeat spend.
public struct GammaGamma: Sendable, Hashable, Codable {
    /// Shape of each transaction's spend.
    public var p: Double
    /// Shape of the distribution of ν across customers.
    public var q: Double
    /// Scale γ of the distribution of ν across customers (in money, major units).
    public var v: Double

    /// Creates a model from its parameters.
    public init(p: Double, q: Double, v: Double) {
        self.p = p
        self.q = q
        self.v = v
    }

    /// The population mean spend per transaction, p·v/(q−1) (infinite when q ≤ 1).
    public var populationMeanSpend: Double { q > 1 ? p * v / (q - 1) : .infinity }

    /// E[M | x, m̄]: the expected spend per future transaction of a customer with x repeat transactions of mean m̄
    /// (a weighted mean of the population mean and the customer's own mean); the population mean when x = 0.
    public func expectedAverageSpend(frequency x: Int, monetaryValue m: Double) -> Double {
        guard x > 0 else { return populationMeanSpend }
        let px = p * Double(x)
        return (p * v + px * m) / (px + q - 1)
    }

    /// The log-likelihood of one repeat customer's x transactions with mean spend m̄ (x > 0, m̄ > 0).
    public func logLikelihood(frequency x: Int, monetaryValue m: Double) -> Double {
        let g = SpecialFunctions.self
        let xd = Double(x), px = p * xd
        return g.logGamma(px + q) - g.logGamma(px) - g.logGamma(q) + q * log(v) + (px - 1) * log(m)
            + px * log(xd) - (px + q) * log(xd * m + v)
    }
}

extension GammaGamma {
    /// Fits p, q, v by maximum likelihood on the customers with x > 0 and m̄ > 0 (others are ignored).
    /// - Throws: ``AnalyticsError`` `insufficient_data` when no customer qualifies, `fit_failed`.
    public static func fit(frequency: [Int], monetaryValue: [Double], options: FitOptions = FitOptions())
        throws -> ModelFit<GammaGamma> {
        // Rows grouped by x: the gamma-function terms depend on x only and are computed once per distinct x.
        var xTable = IndexTable(capacity: 256)
        var xValues: [Double] = []
        var xIndex: [Int32] = [], logM: [Double] = [], ms: [Double] = []
        for (x, m) in zip(frequency, monetaryValue) where x > 0 && m > 0 {
            let k = xTable.index(of: UInt64(x))
            if k.isNew { xValues.append(Double(x)) }
            xIndex.append(k.index)
            ms.append(m)
            logM.append(log(m))
        }
        guard !ms.isEmpty else {
            throw AnalyticsError(code: AnalyticsError.insufficientData,
                                 message: "Gamma-Gamma needs customers with repeat purchases and positive spend")
        }
        let n = Double(ms.count)
        var countPerX = [Double](repeating: 0, count: xValues.count)
        var sumLogMPerX = [Double](repeating: 0, count: xValues.count)
        for i in ms.indices {
            countPerX[Int(xIndex[i])] += 1
            sumLogMPerX[Int(xIndex[i])] += logM[i]
        }
        let threads = options.threads
        let objective: ([Double]) -> (value: Double, gradient: [Double]) = { u in
            let p = exp(u[0]), q = exp(u[1]), v = exp(u[2])
            let g = SpecialFunctions.self
            var ll = 0.0, dp = 0.0, dq = 0.0, dv = 0.0
            let lgq = g.logGamma(q), psiq = g.digamma(q), logv = log(v)
            // Terms that depend on x only: ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x − ln m̄ … per customer.
            for k in xValues.indices {
                let x = xValues[k], c = countPerX[k], px = p * x
                let psipxq = g.digamma(px + q)
                ll += c * (g.logGamma(px + q) - g.logGamma(px) - lgq + q * logv + px * log(x))
                    + (px - 1) * sumLogMPerX[k]
                dp += x * (c * (psipxq - g.digamma(px) + log(x)) + sumLogMPerX[k])
                dq += c * (psipxq - psiq + logv)
            }
            let parts = Parallel.map(count: ms.count, parts: max(1, threads) * 4, threads: threads) { range in
                var l = 0.0, a = 0.0, b = 0.0, c = 0.0
                for i in range {
                    let x = xValues[Int(xIndex[i])], px = p * x
                    let xmv = x * ms[i] + v, lxmv = log(xmv)
                    l -= (px + q) * lxmv
                    a -= x * lxmv
                    b -= lxmv
                    c += q / v - (px + q) / xmv
                }
                return SIMD4<Double>(l, a, b, c)
            }
            let sum = parts.reduce(SIMD4<Double>.zero, +)
            ll += sum[0]
            dp += sum[1]
            dq += sum[2]
            dv += sum[3]
            return (-ll / n, [-dp * p / n, -dq * q / n, -dv * v / n])
        }
        let fit = try MaximumLikelihood.fit(start: [1, 1, 1], totalWeight: n, options: options, meanNegLL: objective)
        let t = fit.theta, se = fit.standardErrors
        return ModelFit(model: GammaGamma(p: t[0], q: t[1], v: t[2]), logLikelihood: fit.logLikelihood,
                        standardErrors: GammaGamma(p: se[0], q: se[1], v: se[2]), convergence: fit.convergence,
                        customers: n)
    }
}
