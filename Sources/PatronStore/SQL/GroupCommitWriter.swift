import Foundation
import PatronCore
import Synchronization

/// The write path (README.md, "Architecture"): concurrent requests queue here; one writer applies a batch of them inside one
/// transaction, commits once, starts the next batch, and answers each request with its own result once the commit
/// is on disk (`SQLBackend.waitUntilDurable`). One request's failure
/// does not fail the others: a batch first runs without savepoints (a savepoint per request copies every page the
/// request touches into SQLite's statement journal, a quarter of the batch's CPU); if any request fails, that
/// transaction is rolled back and the batch runs again with each request in its own savepoint.
///
/// On PostgreSQL, where other processes write too, a batch that lost a deadlock or a serialization conflict is
/// rolled back and run again whole, a few times, before its requests see an error.
actor GroupCommitWriter {
    /// One queued request: `run` does its work (each item in a savepoint when `savepoints`, otherwise stopping at
    /// the first failure), keeps the results and tells whether every item succeeded; it throws only what must
    /// retry the whole batch. `finish` answers the caller once the batch's commit succeeded or failed.
    private struct Job {
        let run: @Sendable (SQLSession, _ savepoints: Bool) throws -> Bool
        let finish: @Sendable ((any Error)?) -> Void
        let lookahead: Lookahead
    }

    private let backend: any SQLBackend
    /// Each of the backend's writer connections' batch in flight (batches take turns on them), done once it has
    /// committed or failed.
    private var inFlight: [Task<Void, Never>?]
    /// The connection the next batch runs on.
    private var turn = 0
    private let maxBatch: Int
    private let maxQueue: Int
    private var queue: [Job] = []
    private var draining = false
    /// Transactions committed so far (each holding a batch of requests).
    private(set) var commits = 0
    /// Batches that had to run again with savepoints because a request failed.
    private(set) var retries = 0
    /// Batches run again whole after PostgreSQL broke a deadlock or a serialization conflict.
    private(set) var conflicts = 0
    /// Why commits can no longer be made durable (a failed sync): every later request gets this error.
    private var broken: (any Error)?
    /// Whether transactions keep the overview's daily totals (only a benchmark turns it off, to measure their cost).
    private var keepsDailyTotals = true

    /// Turns keeping the daily totals on or off (`SQLStore.stopKeepingDailyTotalsForBenchmark`).
    func keepDailyTotals(_ keep: Bool) { keepsDailyTotals = keep }

    /// Makes a writer. `maxBatch` 1 gives one commit per request, the baseline that benchmarks compare against.
    init(backend: any SQLBackend, connections: Int = 1, maxBatch: Int = 2_000, maxQueue: Int = 200_000) {
        self.backend = backend
        self.inFlight = Array(repeating: nil, count: connections)
        self.maxBatch = maxBatch
        self.maxQueue = maxQueue
    }

    /// Runs `work` in its own savepoint of the next batch and returns its result after the batch commits.
    /// A thrown error rolls back this request's savepoint only.
    func submit<T: Sendable>(_ work: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        try await submitEach([()]) { db, _ in try work(db) }[0].get()
    }

    /// Runs `work` for each item, in order, in the next batch, and returns each result after the batch commits.
    /// One item's error rolls back that item only: the batch then runs again with each item in its own savepoint.
    ///
    /// Savepoints are never nested: SQLite's statement journal then empties after each item instead of growing
    /// with the batch, which keeps a large batch linear in its size.
    ///
    /// `lookahead` names what the items will look up, for PostgreSQL to read it for the whole batch (`PostgresBatch`).
    func submitEach<Item: Sendable, T: Sendable>(
        _ items: [Item], lookahead: Lookahead = Lookahead(), _ work: @escaping @Sendable (SQLSession, Item) throws -> T
    ) async throws -> [Result<T, any Error>] {
        if let broken { throw broken }
        guard queue.count < maxQueue else {
            throw PatronError(.busy, "the write queue is full (\(maxQueue) requests); try again shortly")
        }
        let outcomes = Mutex<[Result<T, any Error>]>([])
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(
                Job(
                    run: { session, savepoints in
                        var results: [Result<T, any Error>] = []
                        results.reserveCapacity(items.count)
                        for item in items {
                            let result = Result { () throws -> T in
                                guard session.isInsideTransaction else {
                                    throw PatronError(.storage, "the batch's transaction was rolled back by the database")
                                }
                                guard savepoints else { return try work(session, item) }
                                do {
                                    return try session.inSavepoint { try work(session, item) }
                                } catch where session.isPostgres && Self.mayBeLostRace(error) {
                                    // Another process committed the same key (an idempotency key, an order, an identity)
                                    // after this request looked for it: once more, it finds it and replays or uses it.
                                    return try session.inSavepoint { try work(session, item) }
                                }
                            }
                            if case .failure(let error) = result {
                                if SQLFailure(error) == .retryable { throw error }
                                if !savepoints { return false }
                            }
                            results.append(result)
                        }
                        outcomes.withLock { $0 = results }
                        return true
                    },
                    finish: { commitError in
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(returning: outcomes.withLock { $0 })
                        }
                    }, lookahead: lookahead))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    /// Runs `body`; `false` when it fails with an error the savepoint pass may pin on one request (anything but a
    /// deadlock or serialization failure, which retries the whole batch).
    private static func tolerating(_ body: () throws -> Void) throws -> Bool {
        do {
            try body()
            return true
        } catch where SQLFailure(error) != .retryable {
            return false
        }
    }

    /// Whether a request's error may come from another process committing the same unique key first.
    private static func mayBeLostRace(_ error: any Error) -> Bool {
        if SQLFailure(error) == .duplicateKey { return true }
        guard let code = (error as? PatronError)?.code else { return false }
        return code == .orderExists || code == .duplicateIdentity
    }

    /// Takes batches off the queue and runs each on the next writer connection in turn. With one connection a batch
    /// starts once the last has committed. With several (PostgreSQL), the next batch starts as soon as the last one's
    /// requests have run, while PostgreSQL writes and commits that one: the database and Patron then work side by side,
    /// and each batch still takes everything that arrived meanwhile.
    private func drain() async {
        while !queue.isEmpty {
            let connection = turn
            turn = (turn + 1) % inFlight.count
            await inFlight[connection]?.value  // that connection's last batch has ended
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            if let broken {
                for job in batch { job.finish(broken) }
                continue
            }
            // Finished once the batch's requests have run (or it ended): from then on it only writes and commits.
            let (written, writing) = AsyncStream<Never>.makeStream()
            inFlight[connection] = Task {
                let failure = await self.commit(batch, on: connection, writing: writing)
                writing.finish()
                self.answer(batch, failure)
            }
            for await _ in written {}
        }
        draining = false
    }

    /// Answers a batch's callers once its commit is on disk (SQLite's WAL is synced meanwhile, `WALSync`), off the
    /// actor: resuming hundreds of them takes a while too.
    private func answer(_ batch: [Job], _ failure: (any Error)?) {
        let backend = self.backend
        Task.detached {
            var failure = failure
            if failure == nil {
                do {
                    try await backend.waitUntilDurable()
                } catch {
                    failure = error
                    await self.stop(error)
                }
            }
            for job in batch { job.finish(failure) }
        }
    }

    private func stop(_ error: any Error) {
        broken = broken ?? error
    }

    /// Runs and commits one batch; returns the error that fails all of it, if any.
    /// `writing` is finished once its requests have run, before its held rows are sent and it commits.
    private func commit(_ batch: [Job], on connection: Int, writing: AsyncStream<Never>.Continuation) async -> (any Error)? {
        let shard = connection
        let keep = keepsDailyTotals
        for attempt in 1... {
            do {
                // Optimistically, without savepoints: a failed request leaves partial writes, so the whole
                // transaction is rolled back, nothing of it having been answered, and the batch runs again.
                // On PostgreSQL the batch's lookups run at its start, and its hot rows go out in one statement at its end;
                // if either fails, the savepoint pass finds which request it was (one-row statements, no lookahead).
                let succeeded = try await backend.transaction(on: connection) { session in
                    session.tallies.reset(keeping: keep)
                    if session.isPostgres {
                        guard try Self.tolerating({ try PostgresBatch.start(session, batch.reduce(into: Lookahead()) { $0.add($1.lookahead) }) })
                        else { return false }
                    }
                    var succeeded = true
                    for job in batch where succeeded { succeeded = try job.run(session, false) }
                    writing.finish()
                    // The daily totals are held too (in a PostgreSQL batch): every held row goes out in one statement.
                    return try succeeded && Self.tolerating { try session.flushTallies(shard: shard); try session.sendHeldWrites() }
                }
                if !succeeded {
                    _ = try await backend.transaction(on: connection) { session in
                        session.tallies.reset(keeping: keep)
                        for job in batch { _ = try job.run(session, true) }
                        try session.flushTallies(shard: shard)
                        return true
                    }
                    retries += 1
                }
                commits += 1
                return nil
            } catch where SQLFailure(error) == .retryable && attempt < 8 {
                conflicts += 1
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << attempt))))
            } catch where SQLFailure(error) == .unavailable {
                return PatronError(.unavailable, "the database cannot take writes now (\(error)); nothing was acknowledged")
            } catch {
                return PatronError(.storage, "the database refused the write: \(error)")
            }
        }
        return nil
    }
}
