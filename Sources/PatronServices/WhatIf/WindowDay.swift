import Foundation
import PatronCore

/// One local day of a rolling level window: when it starts and ends, when its window starts, and whether the window's
/// start at any instant of the day is that start moved by the time of day (the zone's offset holds all day at both ends).
struct WindowDay: Sendable {
    let start: Date, end: Date, since: Date
    let exact: Bool

    init(_ local: LocalDate, _ policy: LevelPolicy, _ program: Program) {
        let calendar = program.calendar
        start = calendar.startOfDay(local)
        end = calendar.startOfDay(local.adding(days: 1))
        since = policy.windowStart(at: start, calendar: calendar) ?? .distantPast
        let length = end.timeIntervalSince(start)
        let zone = program.timeZone
        exact = length == 86_400
            && zone.secondsFromGMT(for: start) == zone.secondsFromGMT(for: end.addingTimeInterval(-1))
            && zone.secondsFromGMT(for: since) == zone.secondsFromGMT(for: since.addingTimeInterval(length - 1))
            && calendar.localDate(of: since) == calendar.localDate(of: since.addingTimeInterval(length - 1))
    }
}
