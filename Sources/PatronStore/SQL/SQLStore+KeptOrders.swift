import Foundation
import PatronCore

extension SQLStore {
    /// What an order adds to the kept `orders` and `sales`: analytics' definition (`purchases()`) — an order that is
    /// not cancelled and has lines counts once, with its goods' value after returns (never below zero).
    struct OrderCount: Equatable {
        var orders: Int64
        var sales: Int64

        static let none = OrderCount(status: .cancelled, kept: 0, hasLines: false)

        init(status: OrderRecord.Status, kept: Int64, hasLines: Bool) {
            (orders, sales) = status == .cancelled || !hasLines ? (0, 0) : (1, max(0, kept))
        }

        /// What a record read with its lines counts.
        init(_ record: OrderRecord) {
            self.init(status: record.status, kept: record.keptAmount, hasLines: !record.lines.isEmpty)
        }
    }

    /// Moves the kept figures of an order cancelled or returned from what it counted (`old`) to what it counts now
    /// (`new`). Without its lines read (a cancellation), the row's kept value and whether it has lines are read: an
    /// indexed lookup of a row this transaction already holds.
    func tallyOrderChange(_ db: SQLSession, from old: OrderRecord, to new: OrderRecord, linesRead: Bool, calendar: ShopCalendar) throws {
        if linesRead {
            tallyOrder(db, new.placedAt, from: OrderCount(old), to: OrderCount(new), calendar: calendar)
            return
        }
        let row = try sql(db, "SELECT kept, CASE WHEN lines = '' THEN 0 ELSE 1 END FROM orders WHERE id = ?").one(new.orderId) {
            (kept: $0.int(0), hasLines: $0.int(1) == 1)
        }
        guard let row else { return }
        tallyOrder(
            db, new.placedAt, from: OrderCount(status: old.status, kept: row.kept, hasLines: row.hasLines),
            to: OrderCount(status: new.status, kept: row.kept, hasLines: row.hasLines), calendar: calendar)
    }

    /// Moves the kept `orders` and `sales` of the order's placing day by the difference.
    func tallyOrder(_ db: SQLSession, _ placedAt: Date, from before: OrderCount, to after: OrderCount, calendar: ShopCalendar) {
        db.tallies.add(DailyTotal.Metric.orders, after.orders - before.orders, at: placedAt, calendar: calendar)
        db.tallies.add(DailyTotal.Metric.sales, after.sales - before.sales, at: placedAt, calendar: calendar)
    }
}
