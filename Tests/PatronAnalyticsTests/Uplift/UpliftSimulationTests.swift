import Foundation
import PatronCore
import Testing

@testable import PatronAnalytics

/// Synthetic shops with a planted campaign effect: 2,000 members, 10 % held out, a base purchase probability of 20 %
/// and the treated members' probability raised by `effect`. Buyers place 1–3 orders of gamma-distributed value.
@Suite struct UpliftSimulationTests {
    struct Run {
        var uplift: CampaignUplift
        /// The planted revenue per member difference (effect × the expected revenue of a buyer).
        var plantedRevenuePerMember: Double
    }

    static let meanOrderValue = 12_000.0  // minor units
    static let meanOrdersPerBuyer = 2.0  // 1, 2 or 3 with equal chance

    static func shop(seed: UInt64, effect: Double, members: Int = 2_000, holdout: Double = 0.1) -> Run {
        var random = SplitMix(seed: seed)
        var treated = UpliftGroup(), control = UpliftGroup()
        for _ in 0..<members {
            let isControl = random.uniform() < holdout
            let probability = 0.2 + (isControl ? 0 : effect)
            var outcome = MemberOutcome(orders: 0, revenue: 0)
            if random.uniform() < probability {
                outcome.orders = 1 + Int(random.uniform() * 3)
                for _ in 0..<outcome.orders {
                    outcome.revenue += Int64(random.gamma(shape: 2, rate: 2 / meanOrderValue).rounded())
                }
            }
            if isControl { control.add(outcome) } else { treated.add(outcome) }
        }
        let uplift = CampaignUplift.compare(treated: treated, control: control, pointsCost: 0, couponCost: 0, pointValue: nil)
        return Run(uplift: uplift, plantedRevenuePerMember: effect * meanOrdersPerBuyer * meanOrderValue)
    }

    static let seeds: [UInt64] = Array(1...100)

    @Test("the buyers' interval covers a planted +10 pp effect in at least 93 of 100 shops")
    func buyersIntervalCoversPlantedEffect() {
        let covered = Self.seeds.filter { Self.shop(seed: $0, effect: 0.10).uplift.buyerRateDifference.covers(0.10) }.count
        #expect(covered >= 93, "covered in \(covered) of 100")
    }

    @Test("the buyers' interval covers a planted +0 effect in at least 93 of 100 shops")
    func buyersIntervalCoversNoEffect() {
        let covered = Self.seeds.filter { Self.shop(seed: $0, effect: 0).uplift.buyerRateDifference.covers(0) }.count
        #expect(covered >= 93, "covered in \(covered) of 100")
    }

    /// At a true 5 % false-positive rate, 100 runs call at most 9 significant with 96 % probability (binomial 95th
    /// percentile is 9): that is the slack allowed.
    @Test("with no planted effect at most 9 of 100 shops are called significant, for buyers and for revenue")
    func noEffectIsRarelySignificant() {
        let runs = Self.seeds.map { Self.shop(seed: $0, effect: 0).uplift }
        let buyers = runs.filter(\.buyerRateDifference.isSignificant).count
        let revenue = runs.filter(\.incrementalRevenue.isSignificant).count
        #expect(buyers <= 9, "buyers significant in \(buyers) of 100")
        #expect(revenue <= 9, "revenue significant in \(revenue) of 100")
    }

    @Test("the revenue interval covers the planted revenue per member in at least 93 of 100 shops, for +0 and +10 pp")
    func revenueIntervalCoversPlantedEffect() {
        for effect in [0.0, 0.10] {
            let covered = Self.seeds.filter { seed in
                let run = Self.shop(seed: seed, effect: effect)
                return run.uplift.revenuePerMemberDifference.covers(run.plantedRevenuePerMember)
            }.count
            #expect(covered >= 93, "effect \(effect): covered in \(covered) of 100")
        }
    }

    @Test("a planted +10 pp effect is detected in most shops (the test has power)")
    func plantedEffectIsDetected() {
        let detected = Self.seeds.filter { Self.shop(seed: $0, effect: 0.10).uplift.buyerRateDifference.lower > 0 }.count
        #expect(detected >= 80, "detected in \(detected) of 100")
    }
}
