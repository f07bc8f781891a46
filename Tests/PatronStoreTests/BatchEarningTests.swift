import Foundation
import PatronCore
import PatronFiles
import PatronTestSupport
import Testing

@testable import PatronStore

/// A group-commit batch earns exactly what the same events earn one call at a time. On PostgreSQL the batch reads the
/// earning rules' facts (level, first order, limited rules' uses) for all its members at once, and must not use them
/// for a member an earlier event of the batch changed: a second order is not a first order, a rule limited to one
/// use a month applies once, and a completion's writes make every later event read for itself.
@Suite struct BatchEarningTests {
    static func store() async throws -> SQLStore {
        // One writer connection on PostgreSQL, so that one call is one batch.
        let location = TestDatabase.fresh() + (TestDatabase.isPostgres ? "&writers=1" : "")
        let store = try SQLStore.open(location, clock: ManualClock(Fixture.start))
        try await store.migrate()
        let source = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
        _ = try await store.loadProgram(try ProgramFile.parse(source), source: source)
        for customer in ["a", "b", "c", "d"] { _ = try await store.enroll(EnrollmentRequest(identities: [try .customer(customer)]), key: nil) }
        return store
    }

    /// A one-line order of $350.00 (gold-club's "big basket" bonus, limited to one a month, needs $300.00), or of
    /// $100.00 (`small`, no limited rule).
    static func big(_ id: String, _ customer: String, small: Bool = false) -> Order {
        Order(id: id, member: try! .customer(customer), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: small ? 10_000 : 35_000)])
    }

    @Test func aBatchEarnsWhatTheSameEventsEarnOneAtATime() async throws {
        let at = Fixture.start.addingTimeInterval(3_600)
        let earlier: [OrderEvent] = [.placed(Self.big("c-0", "c"), at: at)]
        let batch: [OrderEvent] = [
            .placed(Self.big("d-1", "d", small: true), at: at),
            .placed(Self.big("d-2", "d", small: true), at: at),  // not a first order, though no limited rule marked it
            .placed(Self.big("a-1", "a"), at: at),
            .placed(Self.big("e-1", "e"), at: at),  // enrols e: its writes leave what was read about the others standing
            .placed(Self.big("a-2", "a"), at: at),  // not a first order; the month's big-basket bonus is taken
            .placed(Self.big("e-2", "e"), at: at),  // not e's first order, nor their first big basket of the month
            .placed(Self.big("b-1", "b"), at: at),
            .completed("c-0", at: at),  // a level change the batch does not follow: later events read for themselves
            .placed(Self.big("c-1", "c"), at: at),
            .placed(Self.big("b-2", "b"), at: at),
        ]
        let batched = try await Self.store()
        let oneByOne = try await Self.store()
        for store in [batched, oneByOne] {
            for result in await store.apply(earlier, options: ApplyOptions()) { _ = try result.get() }
        }
        let options = ApplyOptions(enrollUnknownMembers: true)
        let together = try await batched.apply(batch, options: options).map { try $0.get().pendingDelta }
        var alone: [Int64] = []
        for event in batch { alone.append(try await oneByOne.apply([event], options: options)[0].get().pendingDelta) }
        #expect(together == alone)
        // 350 points each, the first order of a member 50 more and the first big basket of the month 100 more; c is
        // Silver once c-0 is completed ($350 of the $250 needed), so c-1 earns 1.25 × 350, rounded down.
        #expect(alone == [150, 100, 500, 500, 350, 350, 500, 0, 437, 350])
        #expect(try await batched.check().isEmpty)
        await batched.close()
        await oneByOne.close()
    }
}
