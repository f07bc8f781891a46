import Foundation
import Testing
@testable import PatronAnalytics

@Suite struct RobustnessTests {
    /// Deterministic synthetic BG/NBD-like rows on a daily grid (weeks), enough distinct rows to trigger the warm start.
    func syntheticRows(_ n: Int) throws -> FrequencyRecencyData {
        var state: UInt64 = 42
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        var x: [Int] = [], tx: [Double] = [], t: [Double] = []
        for _ in 0..<n {
            let days = 182 + Int(uniform() * 365)
            let rate = -log(uniform()) * 0.15  // purchases per week: Gamma(1, 0.15) across customers
            let dropout = 1 - pow(uniform(), 1.0 / 3)  // Beta(1, 3) across customers
            var time = 0.0, count = 0, last = 0.0
            while true {
                time += -log(uniform()) / max(rate, 1e-9)
                if time > Double(days) / 7 || (count > 0 && uniform() < dropout) { break }
                count += 1
                last = time
            }
            x.append(count)
            tx.append(count > 0 ? (last * 7).rounded(.down) / 7 : 0)
            t.append(Double(days) / 7)
        }
        return try FrequencyRecencyData(frequency: x, recency: tx, T: t)
    }

    @Test func standardErrorsMatchLifetimesOnCDNOW() throws {
        let fit = try BGNBD.fit(try CDNOWFixture.summary())
        let se = fit.standardErrors
        // lifetimes 0.11.3 `standard_errors_` on the same file
        #expect(abs(se.r / 0.012557 - 1) < 0.01)
        #expect(abs(se.alpha / 0.378221 - 1) < 0.01)
        #expect(abs(se.a / 0.185719 - 1) < 0.01)
        #expect(abs(se.b / 0.705345 - 1) < 0.01)
    }

    @Test func twoThreadsGiveTheSameLikelihoodAsOne() throws {
        let rows = CompressedRows(try syntheticRows(40_000))
        let u = [log(0.3), log(4.0), log(0.8), log(2.5)]
        let one = BGNBD.meanNegativeLogLikelihood(rows, logParameters: u, threads: 1)
        let two = BGNBD.meanNegativeLogLikelihood(rows, logParameters: u, threads: 2)
        #expect(abs(one.value - two.value) < 1e-12)
        let p1 = ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: u, threads: 1)
        let p2 = ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: u, threads: 2)
        #expect(abs(p1.value - p2.value) < 1e-12)
        for i in 0..<4 { #expect(abs(p1.gradient[i] - p2.gradient[i]) < 1e-12) }
    }

    @Test func warmStartedFitOnManyDistinctRowsEqualsTheColdFit() throws {
        let data = try syntheticRows(40_000)
        #expect(CompressedRows(data).count > 20_000)  // the warm start is used
        let warm = try BGNBD.fit(data)
        // initialParameters disables the warm start
        let cold = try BGNBD.fit(data, options: FitOptions(initialParameters: [1, 1, 1, 1]))
        #expect(warm.convergence.converged && cold.convergence.converged)
        #expect(abs(warm.model.r / cold.model.r - 1) < 1e-6)
        #expect(abs(warm.model.b / cold.model.b - 1) < 1e-6)
        #expect(warm.convergence.evaluations < cold.convergence.evaluations)
    }

    @Test func paretoLikelihoodIsUndefinedNotStuckAtAbsurdParameters() {
        let rows = CompressedRows(try! CDNOWFixtureFree.smallData())
        for u in [[800.0, 800, 800, 800], [0, 800, 0, 0], [0, 0, 0, -800], [.nan, 0, 0, 0]] {
            let result = ParetoNBDLikelihood.meanNegativeLogLikelihood(rows, logParameters: u, threads: 1)
            #expect(!result.value.isFinite || result.gradient.allSatisfy(\.isFinite))
        }
    }

    @Test func paretoQuadratureBranchIsSmoothAndHasTheRightGradient() {
        // β ≪ α puts z(t_x) above the series limit for short recencies, so the quadrature branch is used.
        expectParetoGradientMatchesFiniteDifferences(at: [log(0.5), log(40.0), log(0.7), log(0.5)], tolerance: 1e-6)
    }
}
