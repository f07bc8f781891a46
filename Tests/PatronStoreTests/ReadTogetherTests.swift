import Dispatch
import Foundation
import Testing

@testable import PatronStore

/// Two reads side by side see one snapshot: what a what-if reads on two connections (the orders and the ledger's
/// account of them) must agree, even while the shop goes on writing.
@Suite struct ReadTogetherTests {
    @Test func bothReadsSeeTheCommitBeforeThemEvenWhenTheSecondStartsAfterAWrite() async throws {
        let probe = try await ProbeDatabase()
        defer { probe.remove() }
        let sqlite = probe.sqlite, count = ProbeDatabase.count
        let firstStarted = DispatchSemaphore(value: 0)
        let writtenForFirst = DispatchSemaphore(value: 0)
        let writtenForSecond = DispatchSemaphore(value: 0)
        // The first read counts, then waits for a commit and counts again; the second reads nothing before that
        // commit, so only a snapshot taken for it when both began keeps the commit out of its count.
        async let together = sqlite.readTogether(
            { db in
                let before = try count(db)
                firstStarted.signal()
                writtenForFirst.wait()
                return [before, try count(db)]
            },
            { db in
                writtenForSecond.wait()
                return try count(db)
            })
        await Self.waitOffTheCooperativePool(firstStarted)
        try await probe.insert(2)
        writtenForFirst.signal()
        writtenForSecond.signal()
        let (first, second) = try await together
        #expect(first == [1, 1])
        #expect(second == 1)
        #expect(try await sqlite.read(count) == 2)
    }

    @Test func anErrorInEitherReadIsThrownAfterBothEnd() async throws {
        let path = NSTemporaryDirectory() + "patron-read-together-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let sqlite = try SQLiteBackend(path: path)
        await #expect(throws: Error.self) {
            _ = try await sqlite.readTogether({ _ in 1 }, { db in try db.prepare(dynamic: "SELECT * FROM no_such_table").one { $0.int(0) } })
        }
        let (a, b) = try await sqlite.readTogether({ _ in "a" }, { _ in "b" })
        #expect(a == "a" && b == "b")
    }

    private static func waitOffTheCooperativePool(_ semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }
}
