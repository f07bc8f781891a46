import Foundation
import PatronCore

/// The kept aggregates' changes made by one transaction, added up in memory and written once at its end
/// (`SQLSession.flushTallies`): a batch of thousands of events then writes a handful of rows, not one per event.
/// A request that fails inside its savepoint takes its changes back with it (`SQLSession.inSavepoint`).
struct DailyTallies {
    struct Key: Hashable {
        var day: Int
        var metric: String
        var key: String
    }

    private(set) var values: [Key: Int64] = [:]
    /// Local day of each quarter hour met (every time zone's days start on a quarter hour), for the calendar below.
    private var days: [Int64: Int] = [:]
    private var calendar: ShopCalendar?
    /// False only while a benchmark measures the write path without the totals.
    private var keeping = true

    var isEmpty: Bool { values.isEmpty }

    /// Adds `value` to `metric`/`key` on the local day of `instant` in `calendar`.
    mutating func add(_ metric: String, key: String = "", _ value: Int64, at instant: Date, calendar: ShopCalendar) {
        guard value != 0, keeping else { return }
        values[Key(day: day(of: instant, calendar), metric: metric, key: key), default: 0] += value
    }

    /// The local day of `instant`, looked up once per quarter hour.
    mutating func day(of instant: Date, _ calendar: ShopCalendar) -> Int {
        if self.calendar != calendar {
            self.calendar = calendar
            days = [:]
        }
        let quarter = Self.quarter(of: instant)
        if let day = days[quarter] { return day }
        let day = calendar.localDate(of: Date(ms: quarter * 900_000)).dayNumber
        days[quarter] = day
        return day
    }

    /// Forgets every change (the day cache stays: it depends on the calendar only).
    mutating func reset() { values = [:] }

    /// Forgets every change and, from now on, keeps them or not.
    mutating func reset(keeping: Bool) {
        values = [:]
        self.keeping = keeping
    }

    /// Puts back the changes as they were (a savepoint rolled back).
    mutating func restore(_ saved: [Key: Int64]) { values = saved }

    /// The quarter hour of `instant` as the recount's SQL computes it (`occurred_at / 900000`, stored milliseconds).
    static func quarter(of instant: Date) -> Int64 {
        instant.ms / 900_000
    }
}
