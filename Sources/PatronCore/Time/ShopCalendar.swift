import Foundation

/// Days and months in the program's time zone: expiry boundaries, pending periods and birthdays are computed here,
/// never in UTC or the machine's zone.
///
/// It works from the zone's UTC offset with day-number arithmetic, which is many times faster than `Calendar` on
/// the write path, and falls back to `Calendar` in the rare case of a daylight-saving jump across midnight.
public struct ShopCalendar: Sendable, Hashable {
    /// The program's time zone.
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// Makes a calendar for a time zone.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The local day an instant falls on.
    public func localDate(of instant: Date) -> LocalDate {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        return LocalDate(dayNumber: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// The instant a local day starts (local midnight, or the first instant of the day where midnight is skipped).
    public func startOfDay(_ date: LocalDate) -> Date {
        let midnight = date.dayNumber * 86_400
        let guess = midnight - timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(midnight)))
        let start = Date(timeIntervalSince1970: TimeInterval(midnight - timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))))
        if localDate(of: start) == date, localDate(of: start.addingTimeInterval(-1)) < date { return start }
        let components = DateComponents(year: date.year, month: date.month, day: date.day)
        return calendar.startOfDay(for: calendar.date(from: components)!)
    }

    /// The same local wall time `days` calendar days later (a pending period of 14 days ends at the same hour).
    public func adding(days: Int, to instant: Date) -> Date {
        let seconds = instant.timeIntervalSince1970
        let targetLocal = seconds + TimeInterval(timeZone.secondsFromGMT(for: instant) + days * 86_400)
        var result = targetLocal - TimeInterval(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: targetLocal)))
        result = targetLocal - TimeInterval(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: result)))
        return Date(timeIntervalSince1970: result)
    }

    /// The same local wall time `months` calendar months later (day clamped to the month's end).
    public func adding(months: Int, to instant: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: instant)!
    }

    public static func == (lhs: ShopCalendar, rhs: ShopCalendar) -> Bool { lhs.timeZone == rhs.timeZone }
    public func hash(into hasher: inout Hasher) { hasher.combine(timeZone) }
}
