import Foundation

/// A minimiser for smooth functions of a few variables: BFGS with a strong-Wolfe line search
/// (Nocedal & Wright, algorithms 6.1, 3.5 and 3.6). Non-finite values are treated as +∞ so the line search backs
/// away from regions where a likelihood cannot be evaluated.
struct BFGS {
    /// Returns the value and the gradient at a point.
    typealias Objective = ([Double]) -> (value: Double, gradient: [Double])

    var gradientTolerance = 1e-9
    var maxIterations = 500
    /// When the objective no longer changes in floating point, the point counts as a minimum if the gradient is
    /// below this (changes of f below ~1e-15 relative cannot be resolved, so the gradient test alone may never pass).
    var flatGradientTolerance: Double { max(gradientTolerance, 1e-6) }

    struct Result {
        var point: [Double]
        var value: Double
        var gradient: [Double]
        var convergence: Convergence
        /// The final inverse-Hessian approximation.
        var inverseHessian: [[Double]]
    }

    /// Minimises `f` from `start`; `inverseHessian` (e.g. from a fit to a sample) replaces the identity start.
    func minimize(_ f: Objective, from start: [Double], inverseHessian: [[Double]]? = nil) -> Result {
        let n = start.count
        var evaluations = 0
        func evaluate(_ x: [Double]) -> (Double, [Double]) {
            evaluations += 1
            let (v, g) = f(x)
            if !v.isFinite || g.contains(where: { !$0.isFinite }) { return (.infinity, g) }
            return (v, g)
        }
        var x = start
        var (fx, gx) = evaluate(x)
        guard fx.isFinite else {
            return Result(point: x, value: fx, gradient: gx, convergence: Convergence(
                iterations: 0, evaluations: evaluations, gradientNorm: .nan, converged: false,
                reason: "the objective is not finite at the starting point"), inverseHessian: identity(n))
        }
        let warm = inverseHessian != nil
        var h = inverseHessian ?? identity(n)
        var iteration = 0
        var reason = "iteration limit reached"
        var converged = false
        var stalls = 0
        while iteration < maxIterations {
            let gnorm = gx.map(abs).max() ?? 0
            if gnorm < gradientTolerance {
                converged = true
                reason = "gradient below tolerance"
                break
            }
            var p = multiply(h, gx).map { -$0 }
            if dot(p, gx) >= 0 {  // not a descent direction: restart from steepest descent
                h = identity(n)
                p = gx.map { -$0 }
            }
            let step = lineSearch(evaluate, x: x, fx: fx, gx: gx, p: p, first: iteration == 0 && !warm)
            guard let step else {
                // No acceptable step: the objective is flat to rounding; a minimum if the gradient is small.
                converged = gnorm < flatGradientTolerance
                reason = converged ? "objective flat to rounding (gradient small)" : "line search failed"
                break
            }
            iteration += 1
            let s = zip(step.x, x).map { $0 - $1 }
            let y = zip(step.g, gx).map { $0 - $1 }
            let decrease = fx - step.f
            x = step.x
            fx = step.f
            gx = step.g
            let sy = dot(s, y)
            if sy > 1e-12 * sqrt(dot(s, s) * dot(y, y)) {
                if iteration == 1 && !warm {  // scale the initial inverse Hessian (Nocedal & Wright 6.20)
                    let scale = sy / dot(y, y)
                    h = identity(n).map { $0.map { $0 * scale } }
                }
                let rho = 1 / sy
                let hy = multiply(h, y)
                let yhy = dot(y, hy)
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                    }
                }
            }
            if decrease <= 1e-15 * max(1, abs(fx)) {
                stalls += 1
                if stalls >= 2 {
                    converged = (gx.map(abs).max() ?? 0) < flatGradientTolerance
                    reason = converged ? "objective flat to rounding (gradient small)" : "objective stalled"
                    break
                }
            } else {
                stalls = 0
            }
        }
        let gnorm = gx.map(abs).max() ?? 0
        return Result(point: x, value: fx, gradient: gx, convergence: Convergence(
            iterations: iteration, evaluations: evaluations, gradientNorm: gnorm, converged: converged,
            reason: reason), inverseHessian: h)
    }

    private struct Step {
        var x: [Double]
        var f: Double
        var g: [Double]
    }

    /// Strong-Wolfe line search with bracketing and bisection-safeguarded cubic zoom.
    private func lineSearch(_ evaluate: ([Double]) -> (Double, [Double]), x: [Double], fx: Double, gx: [Double],
                            p: [Double], first: Bool) -> Step? {
        let c1 = 1e-4, c2 = 0.9
        let d0 = dot(gx, p)
        let pnorm = sqrt(dot(p, p))
        // On the first iteration cap the step at length 1 in log-parameter space.
        var alpha = first ? min(1, 1 / pnorm) : 1.0
        var alphaPrev = 0.0
        var fPrev = fx
        var dPrev = d0
        func at(_ a: Double) -> Step {
            let xn = zip(x, p).map { $0 + a * $1 }
            let (f, g) = evaluate(xn)
            return Step(x: xn, f: f, g: g)
        }
        /// A point that meets the gradient test and is no worse than the current one to rounding ends the search:
        /// near the minimum f differences drown in rounding and the Wolfe tests become noise.
        func isFinal(_ s: Step) -> Bool {
            s.f.isFinite && s.f <= fx + 1e-14 * max(1, abs(fx)) && (s.g.map(abs).max() ?? 0) < gradientTolerance
        }
        func zoom(_ lo0: Double, _ hi0: Double, _ flo0: Double, _ dlo0: Double, _ fhi0: Double) -> Step? {
            var lo = lo0, hi = hi0, flo = flo0, dlo = dlo0, fhi = fhi0
            var best: Step?
            for _ in 0..<20 {
                var a: Double
                // cubic-free safeguarded quadratic interpolation, else bisection
                let denom = 2 * (fhi - flo - dlo * (hi - lo))
                if fhi.isFinite, denom > 0 {
                    a = lo - dlo * (hi - lo) * (hi - lo) / denom
                } else {
                    a = (lo + hi) / 2
                }
                let lower = min(lo, hi), upper = max(lo, hi), width = upper - lower
                if !(a > lower + 0.1 * width && a < upper - 0.1 * width) { a = (lo + hi) / 2 }
                let s = at(a)
                if isFinal(s) { return s }
                let da = dot(s.g, p)
                if !s.f.isFinite || s.f > fx + c1 * a * d0 || s.f >= flo {
                    hi = a
                    fhi = s.f
                } else {
                    if abs(da) <= -c2 * d0 { return s }
                    if da * (hi - lo) >= 0 {
                        hi = lo
                        fhi = flo
                    }
                    lo = a
                    flo = s.f
                    dlo = da
                    best = s
                }
                if abs(hi - lo) < 1e-16 * max(1, abs(lo)) { break }
            }
            return best
        }
        for i in 0..<60 {
            let s = at(alpha)
            if isFinal(s) { return s }
            if !s.f.isFinite {
                alpha = alphaPrev + (alpha - alphaPrev) / 4  // back off from an undefined region
                if alpha - alphaPrev < 1e-14 { return nil }
                continue
            }
            let da = dot(s.g, p)
            if s.f > fx + c1 * alpha * d0 || (i > 0 && s.f >= fPrev) {
                return zoom(alphaPrev, alpha, fPrev, dPrev, s.f)
            }
            if abs(da) <= -c2 * d0 { return s }
            if da >= 0 { return zoom(alpha, alphaPrev, s.f, da, fPrev) }
            alphaPrev = alpha
            fPrev = s.f
            dPrev = da
            alpha *= 2
        }
        return nil
    }

    private func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
    }

    private func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] {
        m.map { dot($0, v) }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }
}
