import Foundation

/// The Pareto/NBD likelihood with exact gradients (forward-mode differentiation) and numerically stable parts.
///
/// L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ], where A₀ uses ₂F₁(r+s+x, s+1 or r+x;
/// r+s+x+1; z) with z = |α−β| / (max(α,β) + t) ∈ [0, 1) (Fader & Hardie's choice of form by whether α ≥ β, so the
/// series always converges). Everything is done in log space. When z is close to 1 (one scale parameter much smaller
/// than the other) the series converges slowly; there s/(r+s+x) · A₀ is computed instead as its integral
/// s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ by composite Gauss–Legendre quadrature in ln(min(α,β)+τ).
enum ParetoNBDLikelihood {
    /// Above this z the quadrature replaces the series.
    static let seriesLimit = 0.95

    /// The parameters as dual numbers with respect to their logarithms.
    struct Parameters {
        var r, alpha, s, beta: Dual4
        init(r: Double, alpha: Double, s: Double, beta: Double) {
            self.r = Dual4(r, SIMD4(r, 0, 0, 0))
            self.alpha = Dual4(alpha, SIMD4(0, alpha, 0, 0))
            self.s = Dual4(s, SIMD4(0, 0, s, 0))
            self.beta = Dual4(beta, SIMD4(0, 0, 0, beta))
        }
    }

    /// ln Γ(r+x) − ln Γ(r) + r ln α + s ln β, which depends on x only.
    static func xTerm(_ p: Parameters, x: Int) -> Dual4 {
        let r = p.r.value, xd = Double(x)
        let g = SpecialFunctions.self
        let lg = Dual4(g.logGamma(r + xd) - g.logGamma(r), p.r.gradient * (g.digamma(r + xd) - g.digamma(r)))
        return lg + p.r * Dual4.log(p.alpha) + p.s * Dual4.log(p.beta)
    }

    /// The two terms inside the bracket, in logs: alive = −(r+x) ln(α+T) − s ln(β+T);
    /// dropped = ln(s/(r+s+x) · A₀) (−∞ when t_x = T).
    static func rowTerms(_ p: Parameters, x: Int, tx: Double, T: Double) -> (alive: Dual4, dropped: Dual4) {
        let rx = p.r + Double(x)
        let alive = -(rx * Dual4.log(p.alpha + T)) - p.s * Dual4.log(p.beta + T)
        guard p.r.value.isFinite, p.alpha.value.isFinite, p.s.value.isFinite, p.beta.value.isFinite,
              p.alpha.value > 0, p.beta.value > 0 else { return (Dual4(.nan), Dual4(.nan)) }
        guard T > tx else { return (alive, Dual4(-.infinity)) }
        let ah = rx + p.s
        let alphaIsMax = p.alpha.value >= p.beta.value
        let m = alphaIsMax ? p.alpha : p.beta
        let diff = alphaIsMax ? p.alpha - p.beta : p.beta - p.alpha
        let zTx = diff / (m + tx)
        if zTx.value > seriesLimit {
            return (alive, logDroppedByQuadrature(p, x: x, tx: tx, T: T))
        }
        let bh = alphaIsMax ? p.s + 1 : rx
        let zT = diff / (m + T)
        let l1 = logHyp2f1(ah, bh, zTx) - ah * Dual4.log(m + tx)
        let l2 = logHyp2f1(ah, bh, zT) - ah * Dual4.log(m + T)
        return (alive, Dual4.log(p.s) - Dual4.log(ah) + Dual4.logSubExp(l1, l2))
    }

    /// ln ₂F₁(a, b; a+1; z) for 0 ≤ z < 1 with its gradient.
    ///
    /// Summed after Euler's transformation ₂F₁(a, b; a+1; z) = (1−z)^(1−b) ₂F₁(1, a+1−b; a+1; z), whose terms
    /// tₙ = (a+1−b)ₙ / (a+1)ₙ · zⁿ shrink by a ratio below z from the first term on (the plain series' terms grow
    /// like n^b before they shrink, hundreds of terms for frequent buyers). Derivatives are summed in the same pass:
    /// ∂ln tₙ/∂a = Σ_{k<n} [1/(a+1−b+k) − 1/(a+1+k)], ∂ln tₙ/∂b = −Σ_{k<n} 1/(a+1−b+k), ∂ln tₙ/∂z = n/z.
    static func logHyp2f1(_ a: Dual4, _ b: Dual4, _ z: Dual4) -> Dual4 {
        let av = a.value, bv = b.value, zv = z.value
        let c = av + 1 - bv, d = av + 1
        // Outside the domain (non-finite parameters probed by a line search): undefined, never a long loop.
        guard zv >= 0, zv < 1, c > 0, d.isFinite, bv.isFinite else { return Dual4(.nan) }
        if zv == 0 {
            return Dual4(0, z.gradient * (av * bv / (av + 1)))
        }
        var term = 1.0, sum = 1.0
        var sumA = 0.0, sumB = 0.0, sumN = 0.0
        var sc = 0.0, sd = 0.0
        var n = 0.0
        let tail = zv / (1 - zv)
        while n < 100_000 {
            term *= (c + n) / (d + n) * zv
            sc += 1 / (c + n)
            sd += 1 / (d + n)
            n += 1
            sum += term
            sumA += term * (sc - sd)
            sumB -= term * sc
            sumN += term * n
            if abs(term) * tail <= 1e-17 * sum || !sum.isFinite { break }
        }
        let inv = 1 / sum
        let log1mz = log1p(-zv)
        let value = (1 - bv) * log1mz + log(sum)
        let gradient = a.gradient * (sumA * inv) + b.gradient * (sumB * inv - log1mz)
            + z.gradient * (sumN / zv * inv - (1 - bv) / (1 - zv))
        return Dual4(value, gradient)
    }

    private static let gaussNodes: [Double] = [
        0.148_874_338_981_631_2, 0.433_395_394_129_247_2, 0.679_409_568_299_024_4,
        0.865_063_366_688_984_5, 0.973_906_528_517_171_7,
    ]
    private static let gaussWeights: [Double] = [
        0.295_524_224_714_752_9, 0.269_266_719_309_996_3, 0.219_086_362_515_982_0,
        0.149_451_349_150_580_6, 0.066_671_344_308_688_1,
    ]

    /// ln(s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ) with its gradient (differentiated under the integral sign).
    static func logDroppedByQuadrature(_ p: Parameters, x: Int, tx: Double, T: Double) -> Dual4 {
        let r = p.r.value, alpha = p.alpha.value, s = p.s.value, beta = p.beta.value
        let rx = r + Double(x)
        let low = min(alpha, beta)
        let y0 = log(low + tx), y1 = log(low + T)
        // Parameters at the edge of the domain (a line search probing α or β → 0 or ∞): report "undefined" so the
        // optimiser backs away, instead of integrating over an infinite range.
        guard y0.isFinite, y1.isFinite, rx.isFinite, s.isFinite, y1 > y0 else { return Dual4(.nan) }
        let panels = min(400, max(1, Int(((y1 - y0) / 0.25).rounded(.up))))
        let width = (y1 - y0) / Double(panels)
        var logs: [Double] = []
        var grads: [SIMD4<Double>] = []
        logs.reserveCapacity(panels * 10)
        grads.reserveCapacity(panels * 10)
        for k in 0..<panels {
            let mid = y0 + (Double(k) + 0.5) * width
            for j in 0..<10 {
                let node = j < 5 ? gaussNodes[j] : -gaussNodes[j - 5]
                let weight = gaussWeights[j < 5 ? j : j - 5]
                let y = mid + node * width / 2
                let tau = exp(y) - low
                let la = alpha <= beta ? y : log(alpha + tau)
                let lb = beta < alpha ? y : log(beta + tau)
                // integrand in y: (α+τ)^−(r+x) (β+τ)^−(s+1) · e^y
                logs.append(log(weight * width / 2) - rx * la - (s + 1) * lb + y)
                grads.append(SIMD4(-la * r, -rx / exp(la) * alpha, -lb * s, -(s + 1) / exp(lb) * beta))
            }
        }
        let top = logs.max() ?? -.infinity
        var total = 0.0
        var gradient = SIMD4<Double>.zero
        for i in logs.indices {
            let e = exp(logs[i] - top)
            total += e
            gradient += grads[i] * e
        }
        let logIntegral = Dual4(top + log(total), gradient / total)
        return Dual4.log(p.s) + logIntegral
    }

    /// −LL/W and its gradient with respect to (ln r, ln α, ln s, ln β).
    static func meanNegativeLogLikelihood(_ rows: CompressedRows, logParameters u: [Double], threads: Int)
        -> (value: Double, gradient: [Double]) {
        let p = Parameters(r: exp(u[0]), alpha: exp(u[1]), s: exp(u[2]), beta: exp(u[3]))
        var total = Dual4(0)
        for k in rows.xValues.indices {
            total = total + xTerm(p, x: rows.xValues[k]) * rows.weightPerX[k]
        }
        let partials = Parallel.map(count: rows.count, parts: max(1, threads) * 4, threads: threads) { range in
            var sum = Dual4(0)
            for i in range {
                let x = rows.xValues[Int(rows.xIndex[i])]
                let terms = rowTerms(p, x: x, tx: rows.txValues[Int(rows.txIndex[i])],
                                     T: rows.tValues[Int(rows.tIndex[i])])
                sum = sum + Dual4.logAddExp(terms.alive, terms.dropped) * rows.weight[i]
            }
            return sum
        }
        for part in partials { total = total + part }
        let w = rows.totalWeight
        return (-total.value / w, (0..<4).map { -total.gradient[$0] / w })
    }
}
