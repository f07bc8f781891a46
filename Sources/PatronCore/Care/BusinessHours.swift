import Foundation

/// The shop's service hours: weekly opening times per weekday, holidays, in the program's time zone. Response-time
/// targets count only time inside these hours.
///
/// Opening times are local wall times, so an interval keeps its wall-clock ends across daylight-saving changes: a day
/// open 00:00–24:00 on the night the clocks go forward holds 23 hours, on the night they go back 25. A wall time that
/// does not exist (02:30 as New York springs forward) is read as the first instant after the gap.
public struct BusinessHours: Sendable, Hashable {
    /// An opening interval of a day, in minutes after local midnight: `start` inclusive, `end` exclusive (1440 = 24:00).
    public struct Interval: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// Minutes after midnight when service opens.
        public var start: Int
        /// Minutes after midnight when service closes (up to 1440).
        public var end: Int

        /// Makes an interval; `nil` unless 0 ≤ start < end ≤ 1440.
        public init?(start: Int, end: Int) {
            guard start >= 0, start < end, end <= 1440 else { return nil }
            self.start = start
            self.end = end
        }

        /// Parses `09:00-18:00` (24:00 allowed as an end).
        public init?(text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]) else { return nil }
            self.init(start: start, end: end)
        }

        private static func minutes(_ text: String) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440
            else { return nil }
            return h * 60 + m
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.start, lhs.end) < (rhs.start, rhs.end) }

        /// `09:00-18:00`.
        public var description: String {
            String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
        }
    }

    /// The ISO weekday names, Monday first, as the program file spells them.
    public static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Opening intervals by ISO weekday (1 = Monday … 7 = Sunday), sorted and not overlapping; a missing day is closed.
    public private(set) var weekly: [Int: [Interval]]
    /// Days the shop's service is closed whatever the weekday.
    public var holidays: Set<LocalDate>
    /// The zone the hours are read in (the program's).
    public var timeZone: TimeZone { didSet { calendar.timeZone = timeZone } }
    private var calendar: Calendar

    /// Makes hours; `nil` when no weekday has an interval or a day's intervals overlap.
    public init?(weekly: [Int: [Interval]], holidays: Set<LocalDate> = [], timeZone: TimeZone) {
        var days: [Int: [Interval]] = [:]
        for (day, intervals) in weekly where !intervals.isEmpty {
            guard (1...7).contains(day) else { return nil }
            let sorted = intervals.sorted()
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end { return nil }
            days[day] = sorted
        }
        guard !days.isEmpty else { return nil }
        self.weekly = days
        self.holidays = holidays
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Monday to Friday, 09:00–18:00, no holidays: the hours of a program without a `care` section.
    public static func standard(timeZone: TimeZone) -> BusinessHours {
        let day = [Interval(start: 9 * 60, end: 18 * 60)!]
        return BusinessHours(weekly: [1: day, 2: day, 3: day, 4: day, 5: day], timeZone: timeZone)!
    }

    /// The ISO weekday of a date (1 = Monday … 7 = Sunday).
    public static func weekday(of date: LocalDate) -> Int {
        // 1970-01-01 was a Thursday.
        ((date.dayNumber % 7 + 7 + 3) % 7) + 1
    }

    /// The opening intervals of one local day, as instants: none on a holiday or a closed weekday.
    public func openings(on date: LocalDate) -> [Range<Date>] {
        guard !holidays.contains(date), let intervals = weekly[Self.weekday(of: date)] else { return [] }
        return intervals.compactMap { interval in
            let start = instant(date, minutes: interval.start), end = instant(date, minutes: interval.end)
            return start < end ? start..<end : nil
        }
    }

    /// Whether service is open at `instant`.
    public func isOpen(at instant: Date) -> Bool {
        let day = localDate(of: instant)
        return (openings(on: day.adding(days: -1)) + openings(on: day)).contains { $0.contains(instant) }
    }

    /// The instant `minutes` of service time after `start`: the clock runs only while service is open. With zero
    /// minutes, `start` itself if open, else the next opening.
    public func adding(minutes: Int, to start: Date) -> Date {
        adding(seconds: TimeInterval(max(0, minutes)) * 60, to: start)
    }

    /// The instant `seconds` of service time after `start` (a paused clock's remaining time, say); with zero seconds,
    /// `start` itself if open, else the next opening.
    public func adding(seconds: TimeInterval, to start: Date) -> Date {
        var remaining = max(0, seconds)
        var day = localDate(of: start).adding(days: -1)  // an interval of the previous local day may still be running
        // Terminates: at least one weekday has an interval and holidays are finite.
        while true {
            for opening in openings(on: day) where opening.upperBound > start {
                let from = max(opening.lowerBound, start)
                let length = opening.upperBound.timeIntervalSince(from)
                if remaining <= length { return from.addingTimeInterval(remaining) }
                remaining -= length
            }
            day = day.adding(days: 1)
        }
    }

    /// The service time between two instants, in seconds (0 when `end` is not after `start`).
    public func serviceSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var day = localDate(of: start).adding(days: -1)
        let last = localDate(of: end)
        while day <= last {
            for opening in openings(on: day) {
                let from = max(opening.lowerBound, start), to = min(opening.upperBound, end)
                if to > from { total += to.timeIntervalSince(from) }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    private func localDate(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The instant of a local wall time; 24:00 is the next day's start; a wall time skipped by a daylight-saving
    /// jump is the first instant after the gap.
    private func instant(_ date: LocalDate, minutes: Int) -> Date {
        if minutes >= 1440 { return instant(date.adding(days: 1), minutes: 0) }
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: minutes / 60, minute: minutes % 60)
        if let exact = calendar.date(from: components), calendar.dateComponents([.hour, .minute], from: exact) == DateComponents(hour: minutes / 60, minute: minutes % 60) {
            return exact
        }
        // In a gap: the wall time does not exist; take the first instant at or after it.
        let midnight = calendar.startOfDay(for: calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!)
        var probe = midnight
        while true {
            let parts = calendar.dateComponents([.hour, .minute], from: probe)
            if parts.hour! * 60 + parts.minute! >= minutes || localDate(of: probe) != date { return probe }
            probe = probe.addingTimeInterval(60)
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.weekly == rhs.weekly && lhs.holidays == rhs.holidays && lhs.timeZone == rhs.timeZone
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(weekly)
        hasher.combine(holidays)
        hasher.combine(timeZone)
    }
}
