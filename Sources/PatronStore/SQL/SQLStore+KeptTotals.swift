import Foundation
import PatronCore

extension SQLStore {
    public func dailyTotals(through day: Int) async throws -> [DailyTotal] {
        try await backend.read { db in
            try self.sql(
                db, "SELECT day, metric, key, sum(value) FROM daily_totals WHERE day <= ? GROUP BY day, metric, key ORDER BY day, metric, key"
            ).all(Int64(day)) { DailyTotal(day: Int($0.int(0)), metric: $0.text(1), key: $0.text(2), value: $0.int(3)) }
            .filter { $0.value != 0 }
        }
    }

    public func checkDailyTotals() async throws -> [DailyTotalMismatch] {
        try await backend.read { db in
            let recounted = try self.recountDailyTotals(db)
            var kept: [DailyTallies.Key: Int64] = [:]
            for row in try self.sql(db, "SELECT day, metric, key, sum(value) FROM daily_totals GROUP BY day, metric, key").all(read: {
                (DailyTallies.Key(day: Int($0.int(0)), metric: $0.text(1), key: $0.text(2)), $0.int(3))
            }) where row.1 != 0 {
                kept[row.0] = row.1
            }
            return Set(kept.keys).union(recounted.keys).compactMap { key -> DailyTotalMismatch? in
                let (a, b) = (kept[key] ?? 0, recounted[key] ?? 0)
                return a == b ? nil : DailyTotalMismatch(day: key.day, metric: key.metric, key: key.key, kept: a, recounted: b)
            }.sorted { ($0.day, $0.metric, $0.key) < ($1.day, $1.metric, $1.key) }
        }
    }

    @discardableResult
    public func rebuildDailyTotals() async throws -> Int {
        try await writer.submit { db -> Int in
            let recounted = try self.recountDailyTotals(db)
            // The recount includes what this batch's earlier requests wrote: their pending changes would count twice.
            db.tallies.reset()
            try self.sql(db, "DELETE FROM daily_totals").run()
            let insert = try self.sql(db, "INSERT INTO daily_totals (day, metric, key, shard, value) VALUES (?, ?, ?, 0, ?)")
            for (key, value) in recounted { _ = try insert.run(Int64(key.day), key.metric, key.key, value) }
            return recounted.count
        }
    }

    /// The kept aggregates computed from the tables they summarise, in the current program's time zone (none before a
    /// program is loaded: nothing is kept then either). Rows are grouped by quarter hour in SQL, and each quarter hour
    /// falls in one local day.
    func recountDailyTotals(_ db: SQLSession) throws -> [DailyTallies.Key: Int64] {
        guard let calendar = try currentProgram(db)?.program.calendar else { return [:] }
        var tallies = DailyTallies()
        func add(_ metric: String, _ key: String, _ quarter: Int64, _ value: Int64) {
            tallies.add(metric, key: key, value, at: Date(ms: quarter * 900_000), calendar: calendar)
        }
        for row in try sql(db, "SELECT enrolled_at / 900000, count(*) FROM members GROUP BY enrolled_at / 900000").all(read: { ($0.int(0), $0.int(1)) }) {
            add(DailyTotal.Metric.members, "", row.0, row.1)
        }
        for row in try sql(
            db,
            """
            SELECT placed_at / 900000, count(*), sum(CASE WHEN kept > 0 THEN kept ELSE 0 END) FROM orders
            WHERE status <> 'cancelled' AND lines <> '' GROUP BY placed_at / 900000
            """
        ).all(read: { ($0.int(0), $0.int(1), $0.int(2)) }) {
            add(DailyTotal.Metric.orders, "", row.0, row.1)
            add(DailyTotal.Metric.sales, "", row.0, row.2)
        }
        for row in try sql(db, "SELECT occurred_at / 900000, kind, sum(active_delta) FROM entries GROUP BY occurred_at / 900000, kind").all(read: {
            ($0.int(0), $0.text(1), $0.int(2))
        }) {
            add(DailyTotal.Metric.points, row.1, row.0, row.2)
        }
        for row in try sql(
            db,
            """
            SELECT occurred_at / 900000, from_level, to_level, count(*) FROM level_changes
            GROUP BY occurred_at / 900000, from_level, to_level
            """
        ).all(read: { ($0.int(0), $0.optionalText(1), $0.optionalText(2), $0.int(3)) }) {
            if let from = row.1 { add(DailyTotal.Metric.level, from, row.0, -row.3) }
            if let to = row.2 { add(DailyTotal.Metric.level, to, row.0, row.3) }
        }
        return tallies.values.filter { $0.value != 0 }
    }

    public func saveOverviewSnapshot(_ record: OverviewSnapshotRecord) async throws {
        try await writer.submit { db in
            let id = try self.sql(db, "INSERT INTO overview_snapshots (taken_at, body) VALUES (?, ?)").insert(record.takenAt.ms, record.body)
            // Only the newest is read; the one before stays for a reader that started before this one committed.
            try self.sql(db, "DELETE FROM overview_snapshots WHERE id < ?").run(id - 1)
        }
    }

    public func latestOverviewSnapshot() async throws -> OverviewSnapshotRecord? {
        try await backend.read { db in
            try self.sql(db, "SELECT taken_at, body FROM overview_snapshots ORDER BY id DESC LIMIT 1").one {
                OverviewSnapshotRecord(takenAt: Date(ms: $0.int(0)), body: $0.text(1))
            }
        }
    }

    public func memberLevels(at instant: Date) async throws -> [Int64: String] {
        try await backend.read { db in
            var levels: [Int64: String] = [:]
            for row in try self.sql(db, "SELECT id, level, override_level, override_until FROM members WHERE level IS NOT NULL OR override_level IS NOT NULL")
                .all(read: { ($0.int(0), $0.optionalText(1), $0.optionalText(2), $0.optionalInt(3)) })
            {
                let level = row.3.map { $0 > instant.ms } == true ? row.2 : row.1
                if let level { levels[row.0] = level }
            }
            return levels
        }
    }
}
