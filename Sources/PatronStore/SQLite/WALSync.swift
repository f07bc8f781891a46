import Foundation
import PatronCore

/// Makes commits durable off the writer's thread. The writer commits with `synchronous=NORMAL` (SQLite writes the
/// batch's frames to the WAL but does not wait for the disk) and goes on with its next batch, while this syncs the WAL
/// file; a batch's callers are answered only after a sync that began after its commit, so what they were told is
/// committed survives a power cut, as with `synchronous=FULL`. One sync per commit, in order of request: a commit
/// never waits for a later one's.
final class WALSync: Sendable {
    private let path: String
    private let queue = DispatchQueue(label: "patron.sqlite.wal-sync")
    // Touched only on `queue`.
    nonisolated(unsafe) private var descriptor: Int32 = -1
    nonisolated(unsafe) private var syncs = 0

    /// Syncs the WAL of the database at `databasePath`.
    init(databasePath: String) {
        path = databasePath + "-wal"
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Returns once everything the writer has committed so far is on disk.
    func sync() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try self.syncNow() }) }
        }
    }

    private func syncNow() throws {
        if descriptor < 0 {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw PatronError(.storage, "cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
            // The WAL file's own name must survive a power cut too.
            let folder = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
            if folder >= 0 {
                _ = fsync(folder)
                close(folder)
            }
            descriptor = opened
        }
        guard fsync(descriptor) == 0 else {
            throw PatronError(.storage, "cannot sync \(path) to disk: \(String(cString: strerror(errno)))")
        }
        syncs += 1
    }

    /// How many syncs have completed, for tests that guard durability.
    func completedSyncs() -> Int { queue.sync { syncs } }
}
