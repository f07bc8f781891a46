import Foundation
import PatronCore

extension SQLSession {
    /// Adds the kept aggregates' changes of this transaction to `daily_totals`, one row per day, metric and key in
    /// `shard` (the writer's connection: two writers of one process never wait on each other's rows), then forgets
    /// them. The group-commit writer calls it once per transaction, after the batch's requests and before their held
    /// rows are sent.
    func flushTallies(shard: Int) throws {
        guard !tallies.isEmpty else { return }
        // In a fixed order, so that two processes' transactions lock shared rows in the same order (no deadlock).
        let rows = tallies.values.filter { $0.value != 0 }.sorted {
            ($0.key.day, $0.key.metric, $0.key.key) < ($1.key.day, $1.key.metric, $1.key.key)
        }
        tallies.reset()
        // In a PostgreSQL batch the rows are held and go out with the batch's other rows in its one statement.
        for (key, value) in rows {
            try write(.dailyTotal, Int64(key.day), key.metric, key.key, Int64(shard), value)
        }
    }
}
