import Foundation

/// Standard errors from the curvature of the log-likelihood at its maximum.
enum Hessian {
    /// The Hessian of a function whose analytic gradient is given, by differences of that gradient: forward
    /// differences from `g0` (the gradient at x) when given, n evaluations; central differences otherwise, 2n.
    static func numeric(gradient: ([Double]) -> [Double], at x: [Double], g0: [Double]? = nil) -> [[Double]] {
        let n = x.count
        var h = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for j in 0..<n {
            let step = (g0 == nil ? 1e-5 : 1e-6) * max(1, abs(x[j]))
            var up = x, down = x
            up[j] += step
            down[j] -= step
            let gu = gradient(up)
            if let g0 {
                for i in 0..<n { h[i][j] = (gu[i] - g0[i]) / step }
            } else {
                let gd = gradient(down)
                for i in 0..<n { h[i][j] = (gu[i] - gd[i]) / (2 * step) }
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where j < n {
                let m = (h[i][j] + h[j][i]) / 2
                h[i][j] = m
                h[j][i] = m
            }
        }
        return h
    }

    /// The inverse of a small symmetric matrix by Gauss–Jordan elimination with partial pivoting; nil if singular.
    static func inverse(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        var a = m
        var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            var pivot = col
            for row in col..<n where abs(a[row][col]) > abs(a[pivot][col]) { pivot = row }
            guard abs(a[pivot][col]) > 1e-300 else { return nil }
            a.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = a[col][col]
            for k in 0..<n {
                a[col][k] /= d
                inv[col][k] /= d
            }
            for row in 0..<n where row != col {
                let factor = a[row][col]
                if factor == 0 { continue }
                for k in 0..<n {
                    a[row][k] -= factor * a[col][k]
                    inv[row][k] -= factor * inv[col][k]
                }
            }
        }
        return inv
    }

    /// Standard errors of the parameters θ = exp(u) from the Hessian of the *total* negative log-likelihood in u
    /// (delta method: se(θᵢ) = θᵢ √(H⁻¹)ᵢᵢ). Entries are `nan` when the Hessian is singular or not positive.
    static func standardErrors(gradient: ([Double]) -> [Double], atLog u: [Double],
                               gradientAtPoint: [Double]? = nil) -> [Double] {
        let h = numeric(gradient: gradient, at: u, g0: gradientAtPoint)
        guard let cov = inverse(h) else { return u.map { _ in .nan } }
        return u.indices.map { i in cov[i][i] > 0 ? exp(u[i]) * sqrt(cov[i][i]) : .nan }
    }
}
