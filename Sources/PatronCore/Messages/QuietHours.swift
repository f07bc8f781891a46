import Foundation

/// Hours of the shop's day (its time zone) in which messages on some channels wait: a message due then is sent when
/// they end. `from` after `to` spans midnight (`21:00` to `08:00`).
public struct QuietHours: Sendable, Hashable {
    /// Minutes after local midnight at which quiet starts.
    public var from: Int
    /// Minutes after local midnight at which quiet ends.
    public var to: Int
    /// The channels that keep quiet (e-mail, SMS and push by default; the inbox does not ring).
    public var channels: Set<MessageChannel>

    /// Quiet hours from `from` to `to` (minutes after midnight, different from each other).
    public init(from: Int, to: Int, channels: Set<MessageChannel> = [.email, .sms, .push]) {
        self.from = from
        self.to = to
        self.channels = channels
    }

    /// Whether a minute of the day is quiet.
    public func isQuiet(minuteOfDay minute: Int) -> Bool {
        from < to ? (minute >= from && minute < to) : (minute >= from || minute < to)
    }

    /// When quiet hours end, if `instant` is in them; `nil` when it is not.
    public func end(ofQuietAt instant: Date, calendar: ShopCalendar) -> Date? {
        let day = calendar.localDate(of: instant)
        let midnight = calendar.startOfDay(day)
        let minute = Int(instant.timeIntervalSince(midnight) / 60)
        guard isQuiet(minuteOfDay: minute) else { return nil }
        let endDay = from > to && minute >= from ? day.adding(days: 1) : day
        return calendar.startOfDay(endDay).addingTimeInterval(TimeInterval(to * 60))
    }

    /// `HH:mm` as minutes after midnight, or nil.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...23).contains(hours), (0...59).contains(minutes)
        else { return nil }
        return hours * 60 + minutes
    }
}
