import Foundation
import PatronCore
import PatronStore

/// The statistics of messages (`MessageStats`) that `patron messages stats`, `GET /v1/messages/stats` and the HTML
/// report show: messages queued from a day (the program's time zone) until now, and the orders and unsubscribes that
/// followed them, attributed last touch within a window.
public struct MessageStatsService: Sendable {
    let context: ServiceContext

    /// The service over a store and clock.
    public init(context: ServiceContext) {
        self.context = context
    }

    /// The longest attribution window accepted, in days.
    public static let maximumWindowDays = 90

    /// Messages queued from the start of `day` (default: 30 days ago) until now; orders and withdrawals of consent in
    /// the same period, attributed last touch within `windowDays` (1–90, default 7) of a message.
    public func stats(since day: LocalDate? = nil, windowDays: Int = MessageStats.defaultWindowDays) async throws -> MessageStats {
        try await stats(since: day, through: nil, windowDays: windowDays)
    }

    /// Messages queued from the start of day `first` (default: 30 days ago) to the end of day `last` (default: today),
    /// or now when that is earlier — days in the program's time zone; orders and withdrawals of consent in the same
    /// period, attributed last touch within `windowDays` (1–90) of a message.
    /// - Throws: `invalidInput` naming `window`, `since` (in the future) or `until` (before `since`).
    public func stats(since first: LocalDate?, through last: LocalDate?, windowDays: Int = MessageStats.defaultWindowDays) async throws -> MessageStats {
        guard (1...Self.maximumWindowDays).contains(windowDays) else {
            throw PatronError(.invalidInput, "window: \(windowDays) days; give 1 to \(Self.maximumWindowDays)")
        }
        let calendar = try await context.currentProgram().program.calendar
        let now = context.clock.now()
        let firstDay = first ?? calendar.localDate(of: now).adding(days: -30)
        let from = calendar.startOfDay(firstDay)
        guard from <= now else { throw PatronError(.invalidInput, "since: \(firstDay) is in the future") }
        var until = now
        if let last {
            guard last >= firstDay else { throw PatronError(.invalidInput, "until: \(last) is before since: \(firstDay)") }
            // The last millisecond of the day (instants are stored in milliseconds).
            until = min(now, calendar.startOfDay(last.adding(days: 1)).addingTimeInterval(-0.001))
        }
        let activity = try await context.store.messageActivity(since: from, until: until)
        return MessageStats(
            since: from, until: until, windowDays: windowDays, messages: activity.messages, orders: activity.orders, withdrawals: activity.withdrawals)
    }
}
