import Foundation
import PatronAnalytics
import PatronCore
import Testing

@testable import PatronServices

@Suite struct DemoSimulationTests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Within `tolerance` (a share) of `truth`.
    static func near(_ estimate: Double, _ truth: Double, _ tolerance: Double) -> Bool {
        abs(estimate - truth) <= tolerance * truth
    }

    @Test func fittingTheSimulatedOrdersRecoversTheStatedBGNBDAndGammaGammaParameters() throws {
        var stated = DemoParameters()
        stated.members = 8_000
        stated.seed = 2_025
        let simulation = DemoSimulation(stated)
        let lastDay = stated.firstDay.dayNumber + stated.days - 1
        let summaries = try CustomerSummary.build(
            from: simulation.purchases, options: SummaryOptions(period: .day, calibrationEnd: lastDay, minorUnitsPerMajor: 100))
        let bgnbd = try BGNBD.fit(try FrequencyRecencyData(summaries)).model
        // Tolerances: what 8,000 members (about 6,800 buyers, a third of a year each on average) pin down; the buyers
        // of habit (regular gaps) and whole days bias α by about a tenth (seed 2025 finds r 0.86, α 56.4, a 0.70,
        // b 3.68, p 4.02, q 5.05, γ 151).
        #expect(Self.near(bgnbd.r, stated.r, 0.20), "r \(bgnbd.r) vs \(stated.r)")
        #expect(Self.near(bgnbd.alpha, stated.alpha, 0.20), "α \(bgnbd.alpha) vs \(stated.alpha)")
        #expect(Self.near(bgnbd.a, stated.a, 0.25), "a \(bgnbd.a) vs \(stated.a)")
        #expect(Self.near(bgnbd.b, stated.b, 0.25), "b \(bgnbd.b) vs \(stated.b)")

        let gg = try GammaGamma.fit(frequency: summaries.map(\.frequency), monetaryValue: summaries.map(\.monetaryValue)).model
        #expect(Self.near(gg.p, stated.p, 0.10), "p \(gg.p) vs \(stated.p)")
        #expect(Self.near(gg.q, stated.q, 0.20), "q \(gg.q) vs \(stated.q)")
        #expect(Self.near(gg.v, stated.gamma, 0.20), "γ \(gg.v) vs \(stated.gamma)")
        #expect(Self.near(gg.populationMeanSpend, stated.p * stated.gamma / (stated.q - 1), 0.05))
    }

    @Test func membersLapseArriveOverTheYearAndComeForEachCause() {
        let simulation = DemoSimulation(DemoParameters())
        let buyers = simulation.customers.filter(\.buys)
        let lapsed = buyers.filter { $0.lapsedDay != nil }.count
        #expect(lapsed > buyers.count / 10, "\(lapsed) of \(buyers.count) buyers lapsed")
        let joinDays = Set(simulation.customers.map { $0.joinDay / 30 })
        #expect(joinDays.count >= 12, "members enrol in every month")
        for motive in DemoMotive.allCases { #expect(buyers.contains { $0.motive == motive }) }
        let referred = simulation.customers.filter { $0.referrer != nil }
        #expect(!referred.isEmpty)
        #expect(referred.allSatisfy { simulation.customers[$0.referrer!].advocate && simulation.customers[$0.referrer!].joinDay < $0.joinDay })
    }

    @Test func theSameSeedGivesTheSameShopAndAnotherSeedAnotherOne() {
        var stated = DemoParameters()
        stated.members = 300
        let first = DemoSimulation(stated).customers, again = DemoSimulation(stated).customers
        #expect(first == again)
        stated.seed += 1
        #expect(DemoSimulation(stated).customers != first)
    }

    @Test func theDocsPrintTheStatedParameters() throws {
        let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/demo.md"), encoding: .utf8)
        #expect(docs.contains(DemoParameters().table), "docs/demo.md must show `patron demo --parameters` as it prints")
    }
}
