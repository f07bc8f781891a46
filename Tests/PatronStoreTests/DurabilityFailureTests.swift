import Foundation
import PatronCore
import Synchronization
import Testing

@testable import PatronStore

/// When a commit cannot be made durable, nobody is told it succeeded, and nothing more is written.
@Suite struct DurabilityFailureTests {
    @Test func aFailedWALSyncIsFinalEvenOnceTheFileIsThere() async throws {
        let folder = NSTemporaryDirectory() + "patron-walsync-\(UUID().uuidString)"
        let sync = WALSync(walPath: folder + "/db.sqlite-wal")
        sync.committed()
        await #expect { try await sync.sync() } throws: { ($0 as? PatronError)?.code == .storage }
        // The WAL exists now, but the kernel may have dropped what the failed sync should have written.
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/db.sqlite-wal", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        sync.committed()
        await #expect { try await sync.sync() } throws: { ($0 as? PatronError)?.code == .storage }
    }

    @Test func aWriterWhoseCommitCannotBeSyncedRefusesEverythingAfter() async throws {
        let path = NSTemporaryDirectory() + "patron-unsyncable-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let sqlite = try SQLiteBackend(path: path, syncAfterCommit: false)
        try await sqlite.migrate()
        let writer = GroupCommitWriter(backend: UnsyncableBackend(committing: sqlite))
        let runs = Mutex(0)
        let work: @Sendable (SQLSession) throws -> Void = { _ in runs.withLock { $0 += 1 } }
        await #expect { try await writer.submit(work) } throws: { ($0 as? PatronError)?.code == .storage }
        await #expect { try await writer.submit(work) } throws: { ($0 as? PatronError)?.code == .storage }
        #expect(runs.withLock { $0 } == 1)
    }
}

/// A backend whose commits succeed but never reach the disk.
private struct UnsyncableBackend: SQLBackend {
    let committing: SQLiteBackend
    var writerCount: Int { 1 }
    func migrate() async throws { try await committing.migrate() }
    func transaction(on writer: Int, _ body: @escaping @Sendable (SQLSession) throws -> Bool) async throws -> Bool {
        try await committing.transaction(on: writer, body)
    }
    func waitUntilDurable() async throws { throw PatronError(.storage, "the disk refused to sync") }
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T { try await committing.read(body) }
}
