import Foundation
import PatronCore

/// The overview's figures computed by scanning the tables, for `patron bench console` to set beside the kept
/// aggregates: what the aggregates save.
public struct OverviewScan: Sendable, Hashable {
    /// Members enrolled before the period's end.
    public var members: Int64
    /// Orders placed in the period that analytics counts (not cancelled, with lines).
    public var orders: Int64
    /// Their goods' value after returns.
    public var sales: Int64
    /// Active points of every entry before the period's end (the liability).
    public var liabilityPoints: Int64
    /// Active points issued (activate, earn, reverse, adjust) in the period.
    public var issued: Int64
    /// Members by level now.
    public var levels: [String: Int64]
}

extension SQLStore {
    /// Scans members, orders, entries and levels for the overview's figures of the instants `start` ..< `end`: the
    /// hand-written peer of `OverviewService` in `patron bench console`.
    public func overviewScan(start: Date, end: Date) async throws -> OverviewScan {
        try await backend.read { db in
            let members = try self.sql(db, "SELECT count(*) FROM members WHERE enrolled_at < ?").one(end.ms) { $0.int(0) } ?? 0
            let orders = try self.sql(
                db,
                """
                SELECT count(*), coalesce(sum(CASE WHEN kept > 0 THEN kept ELSE 0 END), 0) FROM orders
                WHERE status <> 'cancelled' AND lines <> '' AND placed_at >= ? AND placed_at < ?
                """
            ).one(start.ms, end.ms) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            let points = try self.sql(
                db,
                """
                SELECT coalesce(sum(active_delta), 0),
                       coalesce(sum(CASE WHEN occurred_at >= ? AND kind IN ('activate', 'earn', 'reverse', 'adjust') THEN active_delta ELSE 0 END), 0)
                FROM entries WHERE occurred_at < ?
                """
            ).one(start.ms, end.ms) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            var levels: [String: Int64] = [:]
            for row in try self.sql(db, "SELECT coalesce(level, ''), count(*) FROM members GROUP BY level").all(read: { ($0.text(0), $0.int(1)) }) {
                levels[row.0] = row.1
            }
            return OverviewScan(members: members, orders: orders.0, sales: orders.1, liabilityPoints: points.0, issued: points.1, levels: levels)
        }
    }

    /// Stops keeping the daily totals in the write path, so that `patron bench ingest --without-kept-aggregates` can
    /// measure what keeping them costs. Nothing else should call it: `check` then reports the missing totals.
    public func stopKeepingDailyTotalsForBenchmark() async {
        await writer.keepDailyTotals(false)
    }
}
