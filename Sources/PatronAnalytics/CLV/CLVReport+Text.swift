import Foundation

extension CLVReport {
    /// A plain-text rendering for a terminal: one table per section, numbers right-aligned.
    public var text: String {
        var lines: [String] = []
        func f(_ v: Double?, _ places: Int = 4) -> String {
            guard let v, v.isFinite else { return "n/a" }
            return String(format: "%.\(places)f", v)
        }
        func table(_ title: String, _ rows: [(String, String)]) {
            lines.append(title)
            let width = rows.map(\.0.count).max() ?? 0
            let valueWidth = rows.map(\.1.count).max() ?? 0
            for (k, v) in rows {
                lines.append("  " + k.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                             + String(repeating: " ", count: valueWidth - v.count) + v)
            }
            lines.append("")
        }
        table("Customers (period: \(period.rawValue))", [
            ("customers", String(customers)),
            ("calibration", "\(calibration.start) … \(calibration.end)"),
            ("repeat customers", String(calibration.repeatCustomers)),
            ("repeat purchases", String(calibration.repeatPurchases)),
        ])
        let bg = models.bgnbd, pn = models.paretoNbd, gg = models.gammaGamma
        func conv(_ c: Convergence, _ scaleFree: Double...) -> String {
            guard c.converged else { return "NO (\(c.iterations) it)" }
            return scaleFree.allSatisfy(CLVAnalysis.isIdentified) ? "yes (\(c.iterations) it)" : "NO: a limiting case (\(c.iterations) it)"
        }
        table("BG/NBD", [("r", f(bg.r)), ("alpha", f(bg.alpha)), ("a", f(bg.a)), ("b", f(bg.b)),
                         ("log-likelihood", f(bg.logLikelihood, 2)), ("converged", conv(bg.convergence, bg.r, bg.alpha, bg.a, bg.b))])
        table("Pareto/NBD", [("r", f(pn.r)), ("alpha", f(pn.alpha)), ("s", f(pn.s)), ("beta", f(pn.beta)),
                             ("log-likelihood", f(pn.logLikelihood, 2)), ("converged", conv(pn.convergence, pn.r, pn.alpha, pn.s, pn.beta))])
        table("Gamma-Gamma (\(gg.customers) repeat customers)", [
            ("p", f(gg.p)), ("q", f(gg.q)), ("v", f(gg.v)), ("log-likelihood", f(gg.logLikelihood, 2)),
            ("converged", conv(gg.convergence, gg.p, gg.q)),
        ])
        if let h = holdout {
            table("Holdout to \(h.end) (\(f(h.periods, 2)) \(period.rawValue)s)", [
                ("actual purchases", String(h.actualPurchases)),
                ("predicted, BG/NBD", f(h.predictedPurchases.bgnbd, 1)),
                ("predicted, Pareto/NBD", f(h.predictedPurchases.paretoNbd, 1)),
            ])
        }
        if let withheld = clv.withheld {
            lines.append("CLV over \(clv.horizonMonths) months: withheld — \(withheld)")
            lines.append("")
        } else {
            table("CLV over \(clv.horizonMonths) months at \(f(clv.monthlyDiscountRate * 100, 2)) %/month", [
                ("mean", f(clv.mean, 2)), ("median", f(clv.median, 2)), ("total", f(clv.total, 2)),
            ])
        }
        if !problems.isEmpty {
            lines.append("NOT CONVERGED — read these figures with care:")
            lines += problems.map { "  - " + $0 }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
