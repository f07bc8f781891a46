import Foundation
import Testing

@testable import PatronCore

@Suite struct OrderLedgerTests {
    let program = Program(
        name: "Test", currency: Currency(code: "CNY")!, timeZone: TimeZone(identifier: "Asia/Shanghai")!,
        earning: EarningPolicy(points: Rate(1, per: 1), perMinor: 100), pendingDays: 7, expiry: .afterDays(365))
    let start = Date(timeIntervalSince1970: 1_767_225_600)

    func placed(_ lines: [OrderLine]) throws -> (OrderLedger.Step, Account) {
        var account = Account(memberId: 1, balances: .zero, lots: [])
        let order = Order(id: "O1", member: try .customer("C1"), lines: lines)
        let step = try OrderLedger.place(order, memberId: 1, at: start, program: program, version: 1, account: &account)
        return (step, account)
    }

    @Test func placedPointsArePendingUntilThePendingPeriodEnds() throws {
        var (step, account) = try placed([OrderLine(sku: "A", quantity: 1, unitPrice: 10_000)])
        #expect(account.balances.pending == 100 && account.balances.active == 0)
        step = try OrderLedger.complete(step.record, at: start, program: program, account: &account)
        #expect(step.entries.isEmpty)
        #expect(step.record.activatesAt == start.addingTimeInterval(7 * 86_400))
        step = OrderLedger.activate(step.record, at: start.addingTimeInterval(8 * 86_400), program: program, account: &account)
        #expect(account.balances == Balances(active: 100, pending: 0, lifetimeEarned: 100, lifetimeSpent: 0))
        #expect(step.entries.first?.occurredAt == start.addingTimeInterval(7 * 86_400))
    }

    @Test func partialReturnsReverseInProportionWithoutDrift() throws {
        // 3 units of 33.33: 99 points. Returning one unit three times reverses 33, 33 and 33 — never 34 + 33 + 32.
        var (step, account) = try placed([OrderLine(id: "1", sku: "A", quantity: 3, unitPrice: 3_333)])
        #expect(step.record.points == 99)
        var reversed: [Int64] = []
        for index in 0..<3 {
            step = try OrderLedger.return(step.record, lines: [ReturnedLine(lineId: "1", quantity: 1)], ownLot: nil, at: start, account: &account)
            reversed.append(-step.entries.reduce(0) { $0 + $1.pendingDelta })
            #expect(step.record.reversedPoints == [33, 66, 99][index])
        }
        #expect(reversed == [33, 33, 33])
        #expect(account.balances.pending == 0)
    }

    @Test func returnsUseTheRecordedLineBases() throws {
        var (step, account) = try placed([
            OrderLine(id: "cheap", sku: "A", quantity: 1, unitPrice: 1_000), OrderLine(id: "dear", sku: "B", quantity: 1, unitPrice: 9_000),
        ])
        step = try OrderLedger.return(step.record, lines: [ReturnedLine(lineId: "dear", quantity: 1)], ownLot: nil, at: start, account: &account)
        #expect(step.record.reversedPoints == 90)
        #expect(account.balances.pending == 10)
    }

    @Test func aReturnOfMoreThanWasBoughtIsRefused() throws {
        var (step, account) = try placed([OrderLine(id: "1", sku: "A", quantity: 2, unitPrice: 1_000)])
        #expect {
            try OrderLedger.return(step.record, lines: [ReturnedLine(lineId: "1", quantity: 3)], ownLot: nil, at: start, account: &account)
        } throws: { ($0 as? PatronError)?.code == .returnExceedsOrder }
        #expect {
            try OrderLedger.return(step.record, lines: [ReturnedLine(lineId: "nope", quantity: 1)], ownLot: nil, at: start, account: &account)
        } throws: { ($0 as? PatronError)?.code == .notFound }
        step = try OrderLedger.return(step.record, lines: nil, ownLot: nil, at: start, account: &account)
        #expect { try OrderLedger.return(step.record, lines: nil, ownLot: nil, at: start, account: &account) } throws: { ($0 as? PatronError)?.code == .returnExceedsOrder }
    }

    @Test func cancellingVoidsPendingAndActiveOrdersMustBeReturned() throws {
        var (step, account) = try placed([OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        let cancelled = try OrderLedger.cancel(step.record, at: start, account: &account)
        #expect(account.balances.pending == 0)
        #expect(cancelled.entries.map(\.kind) == [.void])
        #expect { try OrderLedger.complete(cancelled.record, at: start, program: program, account: &account) } throws: { ($0 as? PatronError)?.code == .invalidTransition }

        (step, account) = try placed([OrderLine(sku: "A", quantity: 1, unitPrice: 5_000)])
        step = try OrderLedger.complete(step.record, at: start, program: program, account: &account)
        step = OrderLedger.activate(step.record, at: start, program: program, account: &account)
        #expect { try OrderLedger.cancel(step.record, at: start, account: &account) } throws: { ($0 as? PatronError)?.code == .invalidTransition }
    }
}
