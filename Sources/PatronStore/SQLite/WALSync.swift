import Foundation
import PatronCore
import Synchronization

/// Makes commits durable off the writer's thread. The writer commits with `synchronous=NORMAL` (SQLite writes the
/// batch's frames to the WAL but does not wait for the disk), counts the commit here and goes on with its next batch,
/// while this syncs the WAL file; a batch's callers are answered only after a sync that began after its commit, so what
/// they were told is committed survives a power cut, as with `synchronous=FULL`. One sync covers every commit before
/// it: callers that queued behind it return at once.
///
/// A failed sync is final: the kernel may have dropped the unsynced pages and reports that only once, and the WAL's
/// frames only count up to the first lost one, so no later commit could be called durable either.
final class WALSync: Sendable {
    private let path: String
    private let queue = DispatchQueue(label: "patron.sqlite.wal-sync")
    private let commits = Atomic<Int>(0)
    // Touched only on `queue`.
    nonisolated(unsafe) private var descriptor: Int32 = -1
    nonisolated(unsafe) private var durableCommits = 0
    nonisolated(unsafe) private var syncs = 0
    nonisolated(unsafe) private var failure: PatronError?

    /// Syncs `walPath`, the WAL file as SQLite names it (`sqlite3_filename_wal`).
    init(walPath: String) {
        path = walPath
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Counts a commit the writer made; called on the writer's thread right after it.
    func committed() {
        commits.add(1, ordering: .releasing)
    }

    /// Returns once every commit counted so far is on disk.
    func sync() async throws {
        let needed = commits.load(ordering: .acquiring)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try self.sync(through: needed) }) }
        }
    }

    private func sync(through needed: Int) throws {
        if let failure { throw failure }
        guard durableCommits < needed else { return }
        let covered = commits.load(ordering: .acquiring)
        do {
            try syncFile()
        } catch let error as PatronError {
            failure = error
            throw error
        }
        durableCommits = covered
        syncs += 1
    }

    private func syncFile() throws {
        if descriptor < 0 {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw Self.failure("cannot open \(path) to sync it") }
            // The WAL file's own name must survive a power cut too.
            let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
            guard folder >= 0, fsync(folder) == 0 else {
                close(opened)
                if folder >= 0 { close(folder) }
                throw Self.failure("cannot sync the folder of \(path)")
            }
            close(folder)
            descriptor = opened
        }
        guard fsync(descriptor) == 0 else { throw Self.failure("cannot sync \(path) to disk") }
    }

    private static func failure(_ what: String) -> PatronError {
        PatronError(
            .storage,
            "\(what): \(String(cString: strerror(errno))). Writes committed since the last sync may not be on disk, so their "
                + "outcome is unknown; this store accepts no more writes until it is restarted (replaying with the same "
                + "idempotency keys then tells which were kept)")
    }

    /// How many syncs have completed, for tests that guard durability.
    func completedSyncs() -> Int { queue.sync { syncs } }
}
