import Foundation

/// Days and months in the program's time zone: expiry boundaries, pending periods and birthdays are computed here,
/// never in UTC or the machine's zone.
public struct ShopCalendar: Sendable {
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
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The instant a local day starts (local midnight, or the first instant of the day where midnight is skipped).
    public func startOfDay(_ date: LocalDate) -> Date {
        let components = DateComponents(year: date.year, month: date.month, day: date.day)
        return calendar.startOfDay(for: calendar.date(from: components)!)
    }

    /// The same local wall time `days` calendar days later (a pending period of 14 days ends at the same hour).
    public func adding(days: Int, to instant: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: instant)!
    }
}
