import Dispatch
import Foundation
import Synchronization
import Testing

@testable import PatronStore

/// A lookup reads on the caller's thread, one of Swift's few shared threads; it must never wait for a reader that an
/// ordinary (asynchronous) read keeps while it waits for one of those same threads to resume it.
@Suite struct LookupTests {
    @Test func lookupsAmongManyReadsNeverWaitForeverAndSeeTheLastCommit() async throws {
        let path = NSTemporaryDirectory() + "patron-lookup-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let sqlite = try SQLiteBackend(path: path)
        _ = try await sqlite.transaction(on: 0) { db in
            try db.prepare(dynamic: "CREATE TABLE probe (x INTEGER)").run()
            try db.prepare(dynamic: "INSERT INTO probe VALUES (1)").run()
            return true
        }
        let count: @Sendable (SQLSession) throws -> Int64 = { db in try db.prepare(dynamic: "SELECT count(*) FROM probe").one { $0.int(0) } ?? -1 }
        // A hang here would hold every thread the test runner has, so a watchdog off Swift's pool ends the process.
        let finished = Atomic(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) {
            if !finished.load(ordering: .relaxed) {
                fatalError("lookups and reads did not finish in 120 s: a lookup waits for a reader an asynchronous read holds")
            }
        }
        // Readers that linger (as a statement of many entries would) while lookups hold all of Swift's threads; with
        // lookups on the same readers as `read`, this stopped within the first few hundred (the server did, under wrk).
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
        _ = try await sqlite.transaction(on: 0) { db in
            try db.prepare(dynamic: "INSERT INTO probe VALUES (2)").run()
            return true
        }
        #expect(try await sqlite.lookup(count) == 2)
    }
}
