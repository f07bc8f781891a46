import Foundation
import Testing
@testable import PatronAnalytics

@Suite struct LoyaltyAnalysisTests {
    func o(_ c: String, _ day: Int, discount: Int64 = 0, campaign: Bool = false) -> OrderFact {
        OrderFact(customer: c, day: day, amount: 1_000, discount: discount, inCampaign: campaign)
    }

    var orders: [OrderFact] {
        [
            o("once", 5),
            o("twice", 1), o("twice", 1), o("twice", 40),                      // same day counts once
            o("bargain", 1, discount: 100), o("bargain", 9, discount: 50), o("bargain", 30),
            o("promo", 2, campaign: true), o("promo", 50, campaign: true), o("promo", 51),
            o("both", 3, discount: 10, campaign: true), o("both", 70, discount: 10, campaign: true),
            o("clockwork", 0), o("clockwork", 30), o("clockwork", 61), o("clockwork", 90),
            o("fan", 10), o("fan", 100),
            o("referrer", 7),
        ]
    }

    @Test func stagesFollowPurchaseDaysAndReferrals() throws {
        let r = try LoyaltyAnalysis.run(orders: orders, members: ["ghost", "browser"], referrals: ["referrer": 2],
                                        engaged: ["browser"])
        let stage = Dictionary(uniqueKeysWithValues: r.customers.map { ($0.customer, $0.stage) })
        #expect(stage["ghost"] == .suspect)
        #expect(stage["browser"] == .prospect)
        #expect(stage["once"] == .firstTimeBuyer)
        #expect(stage["twice"] == .repeatBuyer)
        #expect(stage["referrer"] == .advocate)
        #expect(r.customers.first { $0.customer == "twice" }!.purchaseDays == 2)
        #expect(r.customers.first { $0.customer == "twice" }!.orders == 3)
        #expect(r.customers.prefix(2).map(\.customer) == ["ghost", "browser"])
        let counts = Dictionary(uniqueKeysWithValues: r.stages.map { ($0.key, $0.customers) })
        #expect(counts == [.suspect: 1, .prospect: 1, .suspectOrProspect: 0, .firstTimeBuyer: 1, .repeatBuyer: 6,
                           .advocate: 1])
        #expect(abs(r.stages.map(\.share).reduce(0, +) - 1) < 1e-12)
        #expect(r.quadrants == nil)

        // without engagement data, non-buyers are not split
        let merged = try LoyaltyAnalysis.run(orders: orders, members: ["ghost", "browser"])
        #expect(merged.stages.first { $0.key == .suspectOrProspect }!.customers == 2)
        #expect(merged.stages.first { $0.key == .suspect }!.customers == 0)
    }

    @Test func causesOfRepeatBuying() throws {
        let r = try LoyaltyAnalysis.run(orders: orders, nps: ["fan": 10, "bargain": 9])
        let causes = Dictionary(uniqueKeysWithValues: r.customers.map { ($0.customer, $0.causes) })
        #expect(causes["once"] == [])
        #expect(causes["twice"] == [.unclassified])
        #expect(causes["bargain"] == [.price])          // 2 of 3 discounted; a promoter, but price-loyal
        #expect(causes["promo"] == [.incentive])        // 2 of 3 in campaigns
        #expect(causes["both"] == [.price, .incentive])
        #expect(causes["clockwork"] == [.habitual])     // gaps 30, 31, 29
        #expect(causes["fan"] == [.superValue])
        #expect(r.repeatBuyers == 6)
        let counts = Dictionary(uniqueKeysWithValues: r.causes.map { ($0.key, $0.customers) })
        #expect(counts == [.price: 2, .incentive: 2, .habitual: 1, .superValue: 1, .unclassified: 1])
        #expect(abs(r.customers.first { $0.customer == "bargain" }!.discountedShare - 2.0 / 3) < 1e-12)
        // exactly half is not "most"
        let half = try LoyaltyAnalysis.run(orders: [o("h", 1, discount: 5), o("h", 2)])
        #expect(half.customers[0].causes == [.unclassified])
        // irregular gaps are not habitual
        let irregular = try LoyaltyAnalysis.run(orders: [o("i", 0), o("i", 2), o("i", 60), o("i", 61)])
        #expect(irregular.customers[0].causes == [.unclassified])
    }

    @Test func attitudeTimesBehaviourQuadrants() throws {
        let nps = ["once": 10, "twice": 3, "clockwork": 9, "promo": 8, "ghost": 0]
        let r = try LoyaltyAnalysis.run(orders: orders, members: ["ghost"], nps: nps)
        let q = Dictionary(uniqueKeysWithValues: r.customers.compactMap { c in c.quadrant.map { (c.customer, $0) } })
        #expect(q == ["once": .latent, "twice": .inertial, "clockwork": .absolute, "promo": .inertial,
                      "ghost": .nonLoyal])
        #expect(r.surveyed == 5)
        let counts = Dictionary(uniqueKeysWithValues: r.quadrants!.map { ($0.key, $0.customers) })
        #expect(counts == [.nonLoyal: 1, .inertial: 2, .latent: 1, .absolute: 1])
        #expect(abs(r.quadrants!.first { $0.key == .inertial }!.share - 0.4) < 1e-12)

        // RFM behaviour: only champions and loyal count as high behaviour
        let rfm = try LoyaltyAnalysis.run(orders: orders, nps: nps, options: LoyaltyOptions(behaviour: .rfm))
        #expect(rfm.behaviour == .rfm)
        let report = try RFMAnalysis.run(purchases: orders.map { Purchase(customer: $0.customer, day: $0.day, amount: $0.amount) })
        for c in rfm.customers where c.quadrant != nil {
            let seg = report.customers.first { $0.customer == c.customer }!.segment
            let high = seg == .champions || seg == .loyal
            let promoter = nps[c.customer]! >= 9
            #expect(c.quadrant == (promoter ? (high ? .absolute : .latent) : (high ? .inertial : .nonLoyal)))
        }
    }

    @Test func ordersAfterTheAnalysisDayAreIgnored() throws {
        let r = try LoyaltyAnalysis.run(orders: orders, options: LoyaltyOptions(asOfDay: 20))
        #expect(r.customers.first { $0.customer == "twice" }!.stage == .firstTimeBuyer)
        #expect(r.customers.first { $0.customer == "bargain" }!.stage == .repeatBuyer)
        let json = try JSONEncoder().encode(r)
        #expect(try JSONDecoder().decode(LoyaltyReport.self, from: json) == r)
    }

    func code(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as AnalyticsError { return e.code } catch { return "\(error)" }
    }

    @Test func badInputIsRefused() {
        #expect(code { _ = try LoyaltyAnalysis.run(orders: []) } == AnalyticsError.emptyInput)
        #expect(code { _ = try LoyaltyAnalysis.run(orders: [], members: ["m"]) } == nil)
        #expect(code { _ = try LoyaltyAnalysis.run(orders: [OrderFact(customer: "a", day: 1, amount: 5, discount: -1, inCampaign: false)]) }
                == AnalyticsError.negativeAmount)
        #expect(code { _ = try LoyaltyAnalysis.run(orders: orders, nps: ["a": 11]) } == AnalyticsError.invalidOption)
        #expect(code { _ = try LoyaltyAnalysis.run(orders: orders, referrals: ["a": -1]) } == AnalyticsError.invalidOption)
        #expect(code { _ = try LoyaltyAnalysis.run(orders: orders, options: LoyaltyOptions(majorityShare: 1)) }
                == AnalyticsError.invalidOption)
    }
}
