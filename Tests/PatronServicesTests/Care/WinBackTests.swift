import Foundation
import PatronAnalytics
import PatronCore
import PatronStore
import Testing
@testable import PatronServices

/// The win-back follow-up on CDNOW's 1/10 sample (`shared/data/cdnow/CDNOW_sample.txt` beside the package folder):
/// the at-risk list as of 1997-09-30 from BG/NBD, offers made that day, and who came back in the next 90 days.
@Suite struct WinBackTests {
    /// The purchases of `CDNOW_sample.txt` (customer id, unused id, yyyyMMdd, CDs, dollars).
    static func purchases() throws -> [Purchase] {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let root = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/data/cdnow/CDNOW_sample.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { line in
            let f = line.split(separator: " ")
            let date = LocalDate(year: Int(f[2].prefix(4))!, month: Int(f[2].dropFirst(4).prefix(2))!, day: Int(f[2].suffix(2))!)!
            return Purchase(customer: String(Int(f[0])!), day: date.dayNumber, amount: Int64((Double(f[4])! * 100).rounded()))
        }
    }

    static let asOf = LocalDate(year: 1997, month: 9, day: 30)!.dayNumber

    @Test("the at-risk list holds repeat buyers with P(alive) < 0.5 and 60+ idle days, highest CLV first, causes from history")
    func atRiskListOnCDNOW() throws {
        let purchases = try Self.purchases()
        // Customer 4's history shows a complaint; customer 18's a return.
        let histories = ["4": WinBackHistory(complaints: 1, orders: 3), "18": WinBackHistory(returns: 1, orders: 2)]
        let list = try WinBackList.atRisk(
            purchases: purchases, histories: histories, options: WinBackOptions(asOfDay: Self.asOf, limit: 10_000), minorUnitsPerMajor: 100)
        #expect(list.customers == Set(purchases.filter { $0.day <= Self.asOf }.map(\.customer)).count)
        #expect(list.atRisk == list.candidates.count)
        #expect(list.atRisk > 100)
        var lastDay: [String: Int] = [:]
        for p in purchases where p.day <= Self.asOf { lastDay[p.customer] = max(lastDay[p.customer] ?? p.day, p.day) }
        for c in list.candidates {
            #expect(c.probabilityAlive < 0.5)
            #expect(c.daysSinceLastOrder == Self.asOf - lastDay[c.customer]!)
            #expect(c.daysSinceLastOrder >= 60)
            // BG/NBD holds a buyer without a repeat purchase alive (P = 1): only repeat buyers can lapse.
            #expect(c.orders >= 2)
        }
        #expect(zip(list.candidates, list.candidates.dropFirst()).allSatisfy { $0.clv >= $1.clv })
        if let four = list.candidates.first(where: { $0.customer == "4" }) { #expect(four.cause == .complaint) }
        #expect(list.candidates.filter { $0.customer != "4" && $0.customer != "18" }.allSatisfy { $0.cause == .unknown })
        #expect(list.causes.values.reduce(0, +) == list.atRisk)
    }

    @Test("the list predicts: at-risk buyers come back within 90 days less often than the other repeat buyers")
    func atRiskBuyersComeBackLessOften() throws {
        let purchases = try Self.purchases()
        let list = try WinBackList.atRisk(purchases: purchases, histories: [:], options: WinBackOptions(asOfDay: Self.asOf, limit: 10_000), minorUnitsPerMajor: 100)
        let atRisk = Set(list.candidates.map(\.customer))
        var days: [String: Set<Int>] = [:]
        for p in purchases where p.day <= Self.asOf { days[p.customer, default: []].insert(p.day) }
        let returned = Set(purchases.filter { $0.day > Self.asOf && $0.day <= Self.asOf + 90 }.map(\.customer))
        let others = Set(days.filter { $0.value.count >= 2 }.keys).subtracting(atRisk)
        let atRiskRate = Double(atRisk.intersection(returned).count) / Double(atRisk.count)
        let otherRate = Double(others.intersection(returned).count) / Double(others.count)
        #expect(atRiskRate < otherRate / 2)
    }

    @Test("offers to the top 100 at-risk buyers are followed for 90 days: who came back, what they spent, rates per offer and cause")
    func recoveryFollowsOffers() throws {
        let purchases = try Self.purchases()
        let list = try WinBackList.atRisk(purchases: purchases, histories: [:], options: WinBackOptions(asOfDay: Self.asOf, limit: 100), minorUnitsPerMajor: 100)
        let calendar = ShopCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let offeredAt = calendar.startOfDay(LocalDate(dayNumber: Self.asOf)).addingTimeInterval(12 * 3_600)
        let offers = list.candidates.enumerated().map { index, c in
            WinBackOffer(id: Int64(index + 1), memberId: Int64(c.customer)!, offer: index.isMultiple(of: 2) ? "coupon" : "call",
                         cause: index < 30 ? "price" : "unknown", offeredAt: offeredAt, actor: "test")
        }
        // The data ends on 1998-06-30, so every window has ended.
        let end = LocalDate(year: 1998, month: 6, day: 30)!.dayNumber
        let recovery = WinBackRecovery(offers: offers, purchases: purchases, calendar: calendar, asOfDay: end)
        let window = purchases.filter { $0.day > Self.asOf && $0.day <= Self.asOf + 90 }
        let offered = Set(offers.map { String($0.memberId) })
        let back = Set(window.map(\.customer)).intersection(offered)
        #expect(recovery.overall.offers == 100)
        #expect(recovery.overall.decided == 100)
        #expect(recovery.overall.recovered == back.count)
        #expect(recovery.overall.spend == window.filter { back.contains($0.customer) }.reduce(0) { $0 + $1.amount })
        #expect(recovery.overall.rate == Double(back.count) / 100)
        #expect(recovery.byOffer.map(\.key) == ["call", "coupon"])
        #expect(recovery.byOffer.map(\.offers) == [50, 50])
        #expect(recovery.byOffer.map(\.recovered).reduce(0, +) == back.count)
        #expect(recovery.byCause.map(\.key) == ["price", "unknown"])
        #expect(recovery.byCause.map(\.offers) == [30, 70])
        for outcome in recovery.outcomes where outcome.cameBack {
            #expect(outcome.daysToReturn! >= 1 && outcome.daysToReturn! <= 90)
        }
        // Before the windows end, members who have not come back yet are not counted as lost.
        let early = WinBackRecovery(offers: offers, purchases: purchases, calendar: calendar, asOfDay: Self.asOf + 30)
        let backBy30 = Set(purchases.filter { $0.day > Self.asOf && $0.day <= Self.asOf + 30 }.map(\.customer)).intersection(offered)
        #expect(early.overall.decided == backBy30.count)
        #expect(early.overall.rate == (backBy30.isEmpty ? nil : 1))
    }

    @Test("a cause is read in order: complaint, return, mostly discounted, mostly campaign, else unknown")
    func causeOrder() {
        #expect(WinBackCause(WinBackHistory(complaints: 1, returns: 2, orders: 4, discountedOrders: 4)) == .complaint)
        #expect(WinBackCause(WinBackHistory(returns: 1, orders: 4, discountedOrders: 4)) == .returns)
        #expect(WinBackCause(WinBackHistory(orders: 4, discountedOrders: 3, campaignOrders: 4)) == .price)
        #expect(WinBackCause(WinBackHistory(orders: 4, discountedOrders: 2, campaignOrders: 3)) == .incentive)
        #expect(WinBackCause(WinBackHistory(orders: 4, discountedOrders: 2, campaignOrders: 2)) == .unknown)
    }
}
