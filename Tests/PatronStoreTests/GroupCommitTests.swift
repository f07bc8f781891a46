import Foundation
import PatronCore
@testable import PatronStore
import Testing

/// The group-commit writer runs a batch without savepoints first; a failed request makes it roll the batch back
/// and run it again with a savepoint per request. These tests guard what callers see either way.
@Suite struct GroupCommitTests {
    @Test func aRequestThatFailsAfterWritingLeavesNothingAndTheOthersCommit() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [1_000]), at: f.day(0)))
        let writes = [
            OrderEvent.placed(f.order("O2", "ann", [2_000]), at: f.day(1)),
            // Enrolls bob (writes), then finds O1 taken: bob's enrollment must go with the failed request.
            OrderEvent.placed(f.order("O1", "bob", [3_000]), at: f.day(1), id: "O1-again"),
            OrderEvent.placed(f.order("O3", "ann", [4_000]), at: f.day(1)),
        ]
        let results = await f.store.apply(writes, options: ApplyOptions(enrollUnknownMembers: true))
        #expect(try results[0].get().pendingDelta == 20)
        #expect { try results[1].get() } throws: { ($0 as? PatronError)?.code == .orderExists }
        if case .failure(let error) = results[1] { #expect(error.code == .orderExists) }
        #expect(try results[2].get().pendingDelta == 40)
        #expect(try await f.store.member(identity: .customer("bob")) == nil)
        #expect(try await f.balances(ann.id).pending == 70)
        #expect(await f.store.writer.retries == 1)
        #expect(try await f.store.check().isEmpty)

        // Replays answer the original outcomes; the failed event was not recorded, so it fails again the same way.
        let replay = await f.store.apply(writes, options: ApplyOptions(enrollUnknownMembers: true))
        #expect(try replay[0].get().replayed)
        #expect(try replay[2].get().replayed)
        if case .failure(let error) = replay[1] { #expect(error.code == .orderExists) } else { Issue.record("the failed event succeeded on replay") }
        #expect(try await f.balances(ann.id).pending == 70)
    }

    @Test func concurrentRequestsWithFailuresAmongThemEachGetTheirOwnAnswer() async throws {
        let f = try await Fixture()
        let ann = try await f.member("ann")
        let store = f.store
        let events = (0..<200).map { index in
            // Every tenth reuses the previous one's event id with a different payload: an idempotency conflict.
            index % 10 == 9
                ? OrderEvent.placed(f.order("X\(index)", "ann", [1_000]), at: f.day(0), id: "O\(index - 1):placed")
                : OrderEvent.placed(f.order("O\(index)", "ann", [1_000]), at: f.day(0))
        }
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, event) in events.enumerated() {
                group.addTask { (index, (try? await store.apply([event], options: ApplyOptions())[0].get()) != nil) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        // Of each pair sharing an event id, whichever was queued first wins and the other is refused.
        for index in stride(from: 9, to: 200, by: 10) {
            #expect(outcomes[index - 1] != outcomes[index], "events \(index - 1) and \(index)")
        }
        for index in 0..<200 where index % 10 < 8 {
            #expect(outcomes[index] == true, "event \(index)")
        }
        #expect(try await f.balances(ann.id).pending == 180 * 10)
        #expect(try await f.store.check().isEmpty)
    }
}
