import Foundation
import Testing
@testable import PatronAnalytics

@Suite struct SpecialFunctionsTests {
    func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

    @Test(arguments: [0.001, 0.243, 0.5, 1, 1.5, 2.426, 7.3, 10, 33.3, 171, 1e5])
    func logGammaMatchesTheCLibrary(x: Double) {
        #expect(abs(SpecialFunctions.logGamma(x) - lgamma(x)) <= 2e-14 * max(1, abs(lgamma(x))))
    }

    @Test func logGammaDifferencesAreExactForSmallAndLargeSteps() {
        // ln Γ(r+x) − ln Γ(r) = ln((r)(r+1)…(r+x−1))
        let r = 0.243
        #expect(relative(SpecialFunctions.logRisingFactorial(r, 3), log(r * (r + 1) * (r + 2))) < 1e-14)
        var product = 0.0
        for k in 0..<50 { product += log(r + Double(k)) }
        #expect(relative(SpecialFunctions.logRisingFactorial(r, 50), product) < 1e-12)
        #expect(SpecialFunctions.logRisingFactorial(r, 0) == 0)
        #expect(abs(SpecialFunctions.logBeta(2, 3) - log(1.0 / 12)) < 1e-14)
    }

    @Test func digammaMatchesKnownValuesAndTheDerivativeOfLogGamma() {
        let eulerGamma = 0.577_215_664_901_532_9
        #expect(abs(SpecialFunctions.digamma(1) + eulerGamma) < 1e-14)
        #expect(abs(SpecialFunctions.digamma(0.5) - (-eulerGamma - 2 * log(2))) < 1e-13)
        for x in [0.3, 2.5, 12.0] {
            let h = 1e-5
            let numeric = (SpecialFunctions.logGamma(x + h) - SpecialFunctions.logGamma(x - h)) / (2 * h)
            #expect(abs(SpecialFunctions.digamma(x) - numeric) < 1e-8)
        }
    }

    @Test func hypergeometricMatchesClosedForms() {
        // 2F1(1,1;2;z) = −ln(1−z)/z
        for z in [0.1, 0.5, 0.9, 0.99] {
            #expect(relative(SpecialFunctions.hyp2f1(1, 1, 2, z), -log(1 - z) / z) < 1e-12)
        }
        // 2F1(a,b;b;z) = (1−z)^−a
        #expect(relative(SpecialFunctions.hyp2f1(0.7, 3.2, 3.2, 0.6), pow(0.4, -0.7)) < 1e-13)
        // 2F1(1/2,1;3/2;−z²) = arctan(z)/z, negative argument via Pfaff
        #expect(relative(SpecialFunctions.hyp2f1(0.5, 1, 1.5, -4), atan(2.0) / 2) < 1e-12)
        // 2F1(1/2,1/2;3/2;z²) = arcsin(z)/z
        #expect(relative(SpecialFunctions.hyp2f1(0.5, 0.5, 1.5, 0.25), asin(0.5) / 0.5) < 1e-13)
        // Gauss's theorem at z → 1 is outside the domain: reported as nan
        #expect(SpecialFunctions.hyp2f1(1, 1, 3, 1).isNaN)
    }

    @Test func paretoSeriesAndQuadratureAgreeWhereBothApply() {
        // z = (α−β)/(α+t) ≈ 0.9 at t_x = 0: the series still converges and the quadrature is also accurate.
        let p = ParetoNBDLikelihood.Parameters(r: 0.55, alpha: 10, s: 0.6, beta: 1)
        let series = ParetoNBDLikelihood.rowTerms(p, x: 3, tx: 0.5, T: 38).dropped
        let quadrature = ParetoNBDLikelihood.logDroppedByQuadrature(p, x: 3, tx: 0.5, T: 38)
        #expect(abs(series.value - quadrature.value) < 1e-10)
        for i in 0..<4 { #expect(abs(series.gradient[i] - quadrature.gradient[i]) < 1e-8) }
    }

    @Test func paretoLikelihoodGradientMatchesFiniteDifferences() {
        expectParetoGradientMatchesFiniteDifferences(at: [log(0.5), log(9.0), log(0.7), log(13.0)], tolerance: 1e-7)
    }

    @Test func bgnbdLikelihoodGradientMatchesFiniteDifferences() {
        let rows = CompressedRows(try! CDNOWFixtureFree.smallData())
        let u = [log(0.3), log(4.0), log(0.8), log(2.5)]
        let (value, g) = BGNBD.meanNegativeLogLikelihood(rows, logParameters: u, threads: 1)
        let model = BGNBD(r: 0.3, alpha: 4, a: 0.8, b: 2.5)
        let data = try! CDNOWFixtureFree.smallData()
        let direct = (0..<data.count).map {
            model.logLikelihood(frequency: data.frequency[$0], recency: data.recency[$0], T: data.T[$0])
        }.reduce(0, +)
        #expect(abs(-value * Double(data.count) - direct) < 1e-9)
        for i in 0..<4 {
            var up = u, down = u
            up[i] += 1e-6
            down[i] -= 1e-6
            let numeric = (BGNBD.meanNegativeLogLikelihood(rows, logParameters: up, threads: 1).value
                - BGNBD.meanNegativeLogLikelihood(rows, logParameters: down, threads: 1).value) / 2e-6
            #expect(abs(numeric - g[i]) < 1e-7)
        }
    }
}

/// A few hand-made customers, so likelihood checks do not need the CDNOW files.
enum CDNOWFixtureFree {
    static func smallData() throws -> FrequencyRecencyData {
        try FrequencyRecencyData(frequency: [0, 0, 1, 2, 5, 12, 3],
                                 recency: [0, 0, 3.5, 20.1, 30, 38, 38.86],
                                 T: [38.86, 20, 38.86, 38.86, 31, 39, 38.86])
    }
}

/// Checks the analytic Pareto/NBD gradient against central finite differences at log-parameters `u`.
func expectParetoGradientMatchesFiniteDifferences(at u: [Double], tolerance: Double) {
    let rows = CompressedRows(try! CDNOWFixtureFree.smallData())
    let (value, g) = ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: u, threads: 1)
    #expect(value.isFinite)
    for i in 0..<4 {
        var up = u, down = u
        up[i] += 1e-6
        down[i] -= 1e-6
        let numeric = (ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: up, threads: 1).value
            - ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: down, threads: 1).value) / 2e-6
        #expect(abs(numeric - g[i]) < tolerance)
    }
}
