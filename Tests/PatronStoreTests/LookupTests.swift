import Dispatch
import Foundation
import Synchronization
import Testing

@testable import PatronStore

/// A lookup reads on the caller's thread, one of Swift's few shared threads; it must never wait for a reader that an
/// ordinary (asynchronous) read keeps while it waits for one of those same threads to resume it.
@Suite struct LookupTests {
    @Test func lookupsAmongManyReadsNeverWaitForeverAndSeeTheLastCommit() async throws {
        let probe = try await ProbeDatabase()
        defer { probe.remove() }
        let sqlite = probe.sqlite, count = ProbeDatabase.count
        // A hang here would hold every thread the test runner has, so a watchdog off Swift's pool ends the process.
        let finished = Atomic(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) {
            if !finished.load(ordering: .relaxed) {
                fatalError("lookups and reads did not finish in 120 s: a lookup waits for a reader an asynchronous read holds")
            }
        }
        // Readers that linger (as a statement of many entries would) while lookups hold all of Swift's threads; with
        // lookups on the same readers as `read` this never finished (checked), as the server stopped under wrk.
        let counts = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 0..<2_000 {
                group.addTask {
                    n % 2 == 0
                        ? try await sqlite.read { db in usleep(50); return try count(db) }
                        : try await sqlite.lookup(count)
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        finished.store(true, ordering: .relaxed)
        #expect(counts.count == 2_000 && counts.allSatisfy { $0 == 1 })
        // A lookup sees what was committed just before it, on its own connections.
        try await probe.insert(2)
        #expect(try await sqlite.lookup(count) == 2)
    }
}
