import Foundation
import Testing
@testable import PatronAnalytics

@Suite struct ProgramEconomicsTests {
    func months(_ n: Int, from year: Int = 2025, sales: Int64, issued: Int64, redeemed: Int64, expired: Int64)
        -> [LedgerPeriod] {
        (0..<n).map { k in
            let m = k % 12 + 1
            return LedgerPeriod(period: "\(year + k / 12)-\(m < 10 ? "0" : "")\(m)", sales: sales, issued: issued,
                                redeemed: redeemed, expired: expired)
        }
    }

    @Test func thinHistoryUsesTheFirstYearDefault() throws {
        let input = EconomicsInput(periods: [
            LedgerPeriod(period: "2026-01", sales: 1_000_000, issued: 10_000, redeemed: 2_000, expired: 0),
            LedgerPeriod(period: "2026-02", sales: 1_000_000, issued: 10_000, redeemed: 3_000, expired: 0),
            LedgerPeriod(period: "2026-03", sales: 2_000_000, issued: 20_000, redeemed: 5_000, expired: 0),
        ], outstandingPoints: 30_000, pointValue: 1.0, operationsShare: 0.2)
        let r = try ProgramEconomics.compute(input)
        #expect(r.periods.map(\.openingOutstanding) == [0, 8_000, 15_000])
        #expect(r.periods.map(\.closingOutstanding) == [8_000, 15_000, 30_000])
        #expect(r.issued == 40_000 && r.redeemed == 10_000 && r.expired == 0)
        #expect(r.redemption.source == .defaultYearOne)
        #expect(r.redemption.expectedRate == 0.3)
        #expect(r.redemption.historicalRate == 1)  // nothing has expired yet: the ratio says nothing
        #expect(r.redemption.historyMonths == 3)
        #expect(abs(r.breakage - 0.7) < 1e-12)
        #expect(abs(r.liability - 9_000) < 1e-9)           // 30,000 × 1 fen × 0.3
        // The cost is the expected redemption of what was issued, not what was redeemed so far.
        #expect(abs(r.cost.rewardCost - 12_000) < 1e-9)    // 40,000 issued × 1 fen × 0.3
        #expect(abs(r.cost.total - 14_400) < 1e-9)         // × 1.2
        #expect(abs(r.cost.shareOfSales! - 0.0036) < 1e-12) // 14,400 / 4,000,000
        #expect(r.cost.verdict == .below)
        #expect(abs(r.cost.redeemedSoFar - 12_000) < 1e-9)  // 10,000 redeemed × 1 × 1.2
        #expect(abs(r.periods[2].cost - 7_200) < 1e-9)      // 20,000 × 0.3 × 1.2
        #expect(abs(r.periods[2].costShareOfSales! - 0.0036) < 1e-12)
        #expect(r.redemption.explanation.contains("first year") && r.redemption.explanation.contains("3 of the 12 months"))
    }

    @Test func twelveMonthsWithExpiryEstimateTheRateFromHistory() throws {
        let input = EconomicsInput(
            periods: months(12, sales: 200_000, issued: 10_000, redeemed: 6_000, expired: 1_500),
            outstandingPoints: 50_000, pointValue: 0.5, operationsShare: 0.2)
        let r = try ProgramEconomics.compute(input)
        #expect(r.redemption.source == .history)
        #expect(abs(r.redemption.expectedRate - 0.8) < 1e-12)  // 72,000 / 90,000
        #expect(abs(r.breakage - 0.2) < 1e-12)
        #expect(abs(r.liability - 20_000) < 1e-9)             // 50,000 × 0.5 × 0.8
        #expect(abs(r.cost.total - 57_600) < 1e-9)            // 120,000 issued × 0.5 × 0.8 × 1.2
        #expect(abs(r.cost.shareOfSales! - 0.024) < 1e-12)    // / 2,400,000
        #expect(abs(r.cost.redeemedSoFar - 43_200) < 1e-9)    // 72,000 redeemed × 0.5 × 1.2
        #expect(r.cost.verdict == .above)
        #expect(r.periods.first!.openingOutstanding == 50_000 - 12 * 2_500)

        var cheap = input
        cheap.periods = months(12, sales: 400_000, issued: 10_000, redeemed: 6_000, expired: 1_500)
        #expect(try ProgramEconomics.compute(cheap).cost.verdict == .within)  // 1.2 %
        // one month short of the minimum history falls back to the default
        var short = input
        short.periods.removeLast()
        #expect(try ProgramEconomics.compute(short).redemption.source == .defaultYearOne)
    }

    @Test func defaultsFollowTheProgrammesAge() throws {
        let noExpiry = months(18, sales: 1_000, issued: 10, redeemed: 5, expired: 0)
        let input = EconomicsInput(periods: noExpiry, outstandingPoints: 90, pointValue: 1, operationsShare: 0.2)
        #expect(try ProgramEconomics.compute(input).redemption.source == .defaultYearTwo)
        #expect(try ProgramEconomics.compute(input).redemption.expectedRate == 0.5)
        var mature = input
        mature.periods = months(30, sales: 1_000, issued: 10, redeemed: 5, expired: 0)
        #expect(try ProgramEconomics.compute(mature).redemption.source == .defaultMature)
        #expect(try ProgramEconomics.compute(mature).redemption.expectedRate == 0.7)
        // a ledger that starts late: the stated age wins; a given rate wins over everything
        let old = try ProgramEconomics.compute(input, options: EconomicsOptions(programAgeMonths: 40))
        #expect(old.redemption.source == .defaultMature && old.redemption.programAgeMonths == 40)
        let given = try ProgramEconomics.compute(input, options: EconomicsOptions(redemptionRate: 0.65))
        #expect(given.redemption.source == .given && given.redemption.expectedRate == 0.65)
        // gaps between months count toward the history span
        let gappy = EconomicsInput(periods: [
            LedgerPeriod(period: "2024-01", sales: 10, issued: 10, redeemed: 5, expired: 1),
            LedgerPeriod(period: "2024-12", sales: 10, issued: 10, redeemed: 5, expired: 1),
        ], outstandingPoints: 8, pointValue: 1, operationsShare: 0)
        #expect(try ProgramEconomics.compute(gappy).redemption.historyMonths == 12)
        #expect(try ProgramEconomics.compute(gappy).redemption.source == .history)
    }

    @Test func reportIsCodable() throws {
        let input = EconomicsInput(periods: months(2, sales: 0, issued: 10, redeemed: 0, expired: 0),
                                   outstandingPoints: 20, pointValue: 1, operationsShare: 0.2)
        let r = try ProgramEconomics.compute(input)
        #expect(r.cost.shareOfSales == nil && r.cost.verdict == nil)
        let json = try JSONEncoder().encode(r)
        #expect(try JSONDecoder().decode(EconomicsReport.self, from: json) == r)
        #expect(String(decoding: json, as: UTF8.self).contains("\"default_year_one\""))
    }

    func code(_ input: EconomicsInput, _ options: EconomicsOptions = EconomicsOptions()) -> String? {
        do { _ = try ProgramEconomics.compute(input, options: options); return nil }
        catch let e as AnalyticsError { return e.code } catch { return "\(error)" }
    }

    @Test func badInputIsRefused() {
        let ok = EconomicsInput(periods: months(2, sales: 1, issued: 10, redeemed: 0, expired: 0),
                                outstandingPoints: 20, pointValue: 1, operationsShare: 0.2)
        #expect(code(ok) == nil)
        var e = ok; e.periods = []
        #expect(code(e) == AnalyticsError.emptyInput)
        e = ok; e.periods[1].period = "2025/02"
        #expect(code(e) == AnalyticsError.invalidPeriod)
        e = ok; e.periods[1].period = "2025-13"
        #expect(code(e) == AnalyticsError.invalidPeriod)
        e = ok; e.periods.reverse()
        #expect(code(e) == AnalyticsError.invalidPeriod)
        e = ok; e.periods[0].redeemed = -1
        #expect(code(e) == AnalyticsError.negativeAmount)
        e = ok; e.outstandingPoints = -5
        #expect(code(e) == AnalyticsError.negativeAmount)
        e = ok; e.pointValue = 0
        #expect(code(e) == AnalyticsError.invalidOption)
        e = ok; e.operationsShare = .nan
        #expect(code(e) == AnalyticsError.invalidOption)
        #expect(code(ok, EconomicsOptions(redemptionRate: 1.5)) == AnalyticsError.invalidOption)
        #expect(code(ok, EconomicsOptions(benchmarkLow: 0.03, benchmarkHigh: 0.02)) == AnalyticsError.invalidOption)
    }

    /// The demo's defect: 5.1 million points outstanding, nothing redeemed yet, and the report said cost 0.00,
    /// "below" the benchmark. Points issued are a promise: the cost is their expected redemption.
    @Test func nothingRedeemedYetStillCostsTheExpectedRedemptionOfWhatWasIssued() throws {
        let input = EconomicsInput(
            periods: months(12, sales: 10_000_000, issued: 430_000, redeemed: 0, expired: 0),
            outstandingPoints: 5_160_000, pointValue: 1.0, operationsShare: 0.2)
        let r = try ProgramEconomics.compute(input)
        #expect(r.redemption.source == .defaultYearOne)
        #expect(r.redemption.explanation.contains("no points have been redeemed yet"))
        #expect(abs(r.cost.total - 5_160_000 * 0.3 * 1.2) < 1e-6)       // 1,857,600 fen
        #expect(abs(r.cost.shareOfSales! - 0.01548) < 1e-9)             // of 120,000,000
        #expect(r.cost.verdict == .within)
        #expect(r.cost.redeemedSoFar == 0)
        #expect(r.periods.allSatisfy { $0.cost > 0 })
        // With expiries but no redemption the observed ratio is 0: too little to go on, not a free programme.
        var expiredOnly = input
        expiredOnly.periods = months(12, sales: 10_000_000, issued: 430_000, redeemed: 0, expired: 1_000)
        #expect(try ProgramEconomics.compute(expiredOnly).redemption.source == .defaultYearOne)
    }
}
