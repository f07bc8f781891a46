import Foundation
import PatronCore
import Synchronization
import Testing

@testable import PatronStore

/// With several writer connections (PostgreSQL), the next batch starts while the last one commits: the database
/// writes one batch while Patron runs the next one's requests.
@Suite struct PipelinedWriterTests {
    @Test func theNextBatchRunsWhileTheLastOneCommits() async throws {
        let backend = try await TwoWriterBackend()
        defer { backend.remove() }
        let writer = GroupCommitWriter(backend: backend, connections: 2)
        let (firstRan, running) = AsyncStream<Never>.makeStream()
        // The first batch's commit does not return until a batch has committed on the other connection (or 10 s have
        // passed): a writer that waited for each commit before starting the next batch would commit them in turn.
        async let first = writer.submit { _ in running.finish() }
        for await _ in firstRan {}
        try await writer.submit { _ in }
        try await first
        #expect(backend.committed.withLock { $0 } == [1, 0])
    }

    @Test func oneConnectionRunsOneBatchAtATime() async throws {
        let backend = try await TwoWriterBackend()
        defer { backend.remove() }
        backend.secondCommitted.withLock { $0 = true }  // commits on connection 0 return at once
        let writer = GroupCommitWriter(backend: backend, connections: 1, maxBatch: 1)
        let running = Mutex((now: 0, most: 0))
        let work: @Sendable (SQLSession) throws -> Void = { _ in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            usleep(1_000)
            running.withLock { $0.now -= 1 }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { try await writer.submit(work) } }
            try await group.waitForAll()
        }
        #expect(running.withLock { $0.most } == 1)
        #expect(backend.committed.withLock { $0 }.allSatisfy { $0 == 0 })
    }
}

/// Two SQLite files as two writer connections. A commit on connection 0 returns only once one on connection 1 has,
/// or after 10 s; each commit is recorded by its connection.
private final class TwoWriterBackend: SQLBackend {
    let folder: String
    let files: [SQLiteBackend]
    let secondCommitted = Mutex(false)
    let committed = Mutex<[Int]>([])

    init() async throws {
        let folder = NSTemporaryDirectory() + "patron-pipelined-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        files = try [0, 1].map { try SQLiteBackend(path: "\(folder)/\($0).sqlite", syncAfterCommit: false) }
        for file in files { try await file.migrate() }
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    var writerCount: Int { 2 }
    func migrate() async throws {}
    func transaction(on writer: Int, _ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool {
        let result = try await files[writer].transaction(on: 0, body)
        if writer == 1 { secondCommitted.withLock { $0 = true } }
        for _ in 0..<1_000 where !secondCommitted.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        committed.withLock { $0.append(writer) }
        return result
    }
    func waitUntilDurable() async throws {}
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T { try await files[0].read(body) }
}
