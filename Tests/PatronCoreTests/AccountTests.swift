import Foundation
import Testing

@testable import PatronCore

@Suite struct AccountTests {
    let day: TimeInterval = 86_400

    func lot(_ id: Int64, _ remaining: Int64, expiresInDays: Double?) -> Lot {
        Lot(id: id, memberId: 1, points: remaining, remaining: remaining, createdAt: Date(timeIntervalSince1970: 0),
            expiresAt: expiresInDays.map { Date(timeIntervalSince1970: $0 * day) }, orderId: nil)
    }

    func account(_ lots: [Lot]) -> Account {
        let total = lots.reduce(0) { $0 + $1.remaining }
        return Account(memberId: 1, balances: Balances(active: total, pending: 0, lifetimeEarned: total, lifetimeSpent: 0), lots: lots)
    }

    @Test func spendingTakesTheEarliestExpiringLotFirstAndNeverExpiringLast() throws {
        var account = account([lot(1, 100, expiresInDays: nil), lot(2, 50, expiresInDays: 30), lot(3, 70, expiresInDays: 10)])
        let entry = try account.take(.redeem, points: 100, allowNegative: false, at: Date(timeIntervalSince1970: 0)).last!
        #expect(entry.allocations == [Allocation(lotId: 3, points: -70), Allocation(lotId: 2, points: -30)])
        #expect(account.balances.active == 120)
        #expect(account.balances.lifetimeSpent == 100)
        #expect(account.lots.map(\.remaining).sorted() == [20, 100])
    }

    @Test func preferredLotsGoFirst() throws {
        var account = account([lot(1, 100, expiresInDays: 5), lot(2, 50, expiresInDays: 30)])
        let entry = try account.take(.reverse, points: 60, preferring: [2], allowNegative: true, at: Date(timeIntervalSince1970: 0)).last!
        #expect(entry.allocations == [Allocation(lotId: 2, points: -50), Allocation(lotId: 1, points: -10)])
    }

    @Test func notEnoughPointsChangesNothing() {
        var account = account([lot(1, 40, expiresInDays: 5)])
        let before = account
        #expect { try account.take(.adjust, points: 41, allowNegative: false, at: Date(timeIntervalSince1970: 0)) } throws: { ($0 as? PatronError)?.code == .insufficientPoints }
        #expect(account == before)
    }

    @Test func aReversalBeyondTheBalanceIsADebtThatTheNextCreditPaysFirst() throws {
        var account = account([lot(1, 40, expiresInDays: 5)])
        _ = try account.take(.reverse, points: 100, allowNegative: true, at: Date(timeIntervalSince1970: 0))
        #expect(account.balances.active == -60)
        #expect(account.lots.isEmpty)
        let credit = account.credit(.activate, points: 100, pendingDelta: -100, expiresAt: nil)
        #expect(credit.newLot?.points == 100)
        #expect(credit.newLot?.remaining == 40)
        #expect(account.balances.active == 40)
        let small = account.credit(.earn, points: 10, expiresAt: nil)
        #expect(small.newLot?.remaining == 10)
    }

    @Test func takingExpiresDueLotsFirstAndNeverSpendsThem() throws {
        var account = account([lot(1, 40, expiresInDays: 5), lot(2, 50, expiresInDays: 30)])
        let before = account
        // On day 6 only lot 2 is spendable: 60 is too many, and nothing changes.
        #expect { try account.take(.redeem, points: 60, allowNegative: false, at: Date(timeIntervalSince1970: 6 * day)) } throws: { ($0 as? PatronError)?.code == .insufficientPoints }
        #expect(account == before)
        let entries = try account.take(.redeem, points: 30, allowNegative: false, at: Date(timeIntervalSince1970: 6 * day))
        #expect(entries.map(\.kind) == [.expire, .redeem])
        #expect(entries.last?.allocations == [Allocation(lotId: 2, points: -30)])
        #expect(account.balances.active == 20)
    }

    @Test func expiryTakesWhatRemainsOfEachDueLot() {
        var account = account([lot(1, 40, expiresInDays: 5), lot(2, 50, expiresInDays: 6), lot(3, 60, expiresInDays: nil)])
        let entries = account.expire(asOf: Date(timeIntervalSince1970: 6 * day))
        #expect(entries.map(\.activeDelta) == [-40, -50])
        #expect(entries.map(\.occurredAt) == [Date(timeIntervalSince1970: 5 * day), Date(timeIntervalSince1970: 6 * day)])
        #expect(account.balances.active == 60)
        #expect(account.expire(asOf: Date(timeIntervalSince1970: 6 * day)).isEmpty)
    }

    @Test func lotsExpiringAtTheSameInstantMakeOneEntryWithAnAllocationEach() {
        var account = account([lot(1, 40, expiresInDays: 5), lot(2, 50, expiresInDays: 5), lot(3, 60, expiresInDays: 6)])
        let entries = account.expire(asOf: Date(timeIntervalSince1970: 6 * day))
        #expect(entries.map(\.activeDelta) == [-90, -60])
        #expect(entries[0].allocations == [Allocation(lotId: 1, points: -40), Allocation(lotId: 2, points: -50)])
        #expect(entries[0].orderId == nil && entries[1].allocations == [Allocation(lotId: 3, points: -60)])
        #expect(account.balances.active == 0 && account.lots.isEmpty)
    }
}
