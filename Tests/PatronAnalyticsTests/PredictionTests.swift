import Foundation
import Testing
@testable import PatronAnalytics

@Suite struct PredictionTests {
    let bg = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let pareto = ParetoNBD(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)

    @Test func probabilityAliveStaysBetweenZeroAndOne() {
        for x in [0, 1, 2, 10, 100, 1000] {
            for tx in [0.0, 1, 20, 38.86] where x > 0 || tx == 0 {
                for T in [38.86, 100, 1000] {
                    let pb = bg.probabilityAlive(frequency: x, recency: tx, T: T)
                    let pp = pareto.probabilityAlive(frequency: x, recency: tx, T: T)
                    #expect(pb >= 0 && pb <= 1)
                    #expect(pp >= 0 && pp <= 1)
                }
            }
        }
        // A customer who bought often and then stopped long ago is probably gone; a recent buyer probably is not.
        #expect(bg.probabilityAlive(frequency: 10, recency: 5, T: 60) < 0.1)
        #expect(pareto.probabilityAlive(frequency: 10, recency: 5, T: 60) < 0.1)
        #expect(bg.probabilityAlive(frequency: 10, recency: 59, T: 60) > 0.9)
        #expect(bg.probabilityAlive(frequency: 0, recency: 0, T: 60) == 1)
    }

    @Test func expectedPurchasesGrowWithTheHorizon() {
        var previous = 0.0
        for t in [1.0, 5, 20, 52, 200] {
            let e = bg.expectedPurchases(in: t, frequency: 3, recency: 30, T: 38.86)
            #expect(e > previous)
            previous = e
        }
        #expect(bg.expectedPurchases(in: 0, frequency: 3, recency: 30, T: 38.86) == 0)
        #expect(pareto.expectedPurchases(in: 39, frequency: 2, recency: 30.43, T: 38.86) > 0.5)
    }

    @Test func bgnbdExpectationMatchesTheUntransformedFormulaAndSurvivesHeavyBuyers() {
        // FHL eq. 10 summed directly (fine for small x) against the Euler-transformed implementation
        for (x, tx, T, t) in [(0, 0.0, 38.86, 39.0), (2, 30.43, 38.86, 39), (7, 20, 30, 52), (3, 5, 70, 200)] {
            let xd = Double(x)
            let z = t / (bg.alpha + T + t)
            let f = SpecialFunctions.hyp2f1(bg.r + xd, bg.b + xd, bg.a + bg.b + xd - 1, z)
            var direct = (bg.a + bg.b + xd - 1) / (bg.a - 1)
                * (1 - pow((bg.alpha + T) / (bg.alpha + T + t), bg.r + xd) * f)
            if x > 0 { direct /= 1 + bg.a / (bg.b + xd - 1) * pow((bg.alpha + T) / (bg.alpha + tx), bg.r + xd) }
            let ours = bg.expectedPurchases(in: t, frequency: x, recency: tx, T: T)
            #expect(abs(ours - direct) < 1e-10 * max(1, direct))
        }
        let newCustomer = bg.expectedPurchasesOfNewCustomer(in: 39)
        let direct = (bg.a + bg.b - 1) / (bg.a - 1) * (1 - pow(bg.alpha / (bg.alpha + 39), bg.r)
            * SpecialFunctions.hyp2f1(bg.r, bg.b, bg.a + bg.b - 1, 39 / (bg.alpha + 39)))
        #expect(abs(newCustomer - direct) < 1e-10)
        // 2,000 purchase days in daily units over ten years: the untransformed series would overflow.
        let heavy = BGNBD(r: 0.243, alpha: 30.9, a: 0.793, b: 2.426)
        let e = heavy.expectedPurchases(in: 3650, frequency: 2000, recency: 2999, T: 3000)
        #expect(e.isFinite && e > 1000 && e < 3650)
    }

    @Test func gammaGammaShrinksACustomersMeanTowardsThePopulation() {
        let gg = GammaGamma(p: 6.25, q: 3.74, v: 15.44)
        let mean = gg.populationMeanSpend
        #expect(abs(mean - 6.25 * 15.44 / 2.74) < 1e-12)
        let spend = gg.expectedAverageSpend(frequency: 2, monetaryValue: 100)
        #expect(spend > mean && spend < 100)
        #expect(gg.expectedAverageSpend(frequency: 0, monetaryValue: 0) == mean)
    }

    /// A model with known cumulative purchases: E[Y(t)] = 0.5 t for every customer.
    struct Linear: TransactionModel {
        func expectedPurchases(in t: Double, frequency: Int, recency: Double, T: Double) -> Double { 0.5 * t }
        func probabilityAlive(frequency: Int, recency: Double, T: Double) -> Double { 1 }
    }

    @Test func lifetimeValueMatchesAHandComputedCase() throws {
        // Days: a month is 30 days here, so each month adds 15 purchases; spend 2, d = 10 %, 3 months:
        // 2·15/1.1 + 2·15/1.21 + 2·15/1.331 = 27.2727… + 24.7934… + 22.5394… = 74.6055…
        let value = try CustomerLifetimeValue.value(
            model: Linear(), expectedSpend: 2, frequency: 1, recency: 1, T: 2, period: .day,
            options: CLVOptions(horizonMonths: 3, monthlyDiscountRate: 0.1, daysPerMonth: 30))
        let expected = 30 / 1.1 + 30 / 1.21 + 30 / 1.331
        #expect(abs(value - expected) < 1e-12)
        // In weeks the month is 30/7 weeks, the same calendar time, so the same value.
        let weekly = try CustomerLifetimeValue.value(
            model: Linear(), expectedSpend: 2, frequency: 1, recency: 1, T: 2, period: .week,
            options: CLVOptions(horizonMonths: 3, monthlyDiscountRate: 0.1, daysPerMonth: 30))
        #expect(abs(weekly - expected / 7) < 1e-12)  // E is per period: 0.5 per week is 1/7 as many
    }

    @Test func fastBGNBDLifetimeValuesEqualTheGeneralFormula() throws {
        let data = try CDNOWFixtureFree.smallData()
        let spend = (0..<data.count).map { 10 + Double($0) }
        let options = CLVOptions(horizonMonths: 12, monthlyDiscountRate: 0.01)
        let fast = try CustomerLifetimeValue.values(model: bg, data: data, expectedSpend: spend, period: .week,
                                                    options: options)
        for i in 0..<data.count {
            let slow = try CustomerLifetimeValue.value(
                model: bg, expectedSpend: spend[i], frequency: data.frequency[i], recency: data.recency[i],
                T: data.T[i], period: .week, options: options)
            #expect(abs(fast[i] - slow) < 1e-9 * max(1, slow))
        }
    }
}
