import Foundation
import PatronCore

/// The days an overview covers, in the program's time zone: the last 30, 90 or 365 days up to today, a calendar
/// month, or a custom range (at most ten years).
public struct OverviewPeriod: Sendable, Hashable {
    /// How the period was chosen.
    public enum Choice: Sendable, Hashable {
        /// The last `days` days, today included.
        case last(days: Int)
        /// A calendar month (`yyyy-MM`).
        case month(year: Int, month: Int)
        /// A range of days.
        case custom
    }

    /// The first day.
    public let from: LocalDate
    /// The last day, inclusive.
    public let to: LocalDate
    /// How it was chosen.
    public let choice: Choice

    /// The lengths offered as "last N days".
    public static let lastDays = [30, 90, 365]

    /// The last `days` days up to `today`.
    public static func last(_ days: Int, today: LocalDate) -> OverviewPeriod {
        OverviewPeriod(from: today.adding(days: -(days - 1)), to: today, choice: .last(days: days))
    }

    /// Reads a period from a request's parameters: `period` (`30`, `90`, `365`, `month` or `custom`, default `30`),
    /// `month` (`yyyy-MM`) for a month, `from` and `to` (`yyyy-MM-dd`) for a custom range.
    /// - Throws: `invalidInput` naming the parameter and what is wrong with it.
    public static func parse(period: String?, month: String?, from: String?, to: String?, today: LocalDate) throws -> OverviewPeriod {
        switch period ?? "30" {
        case let text where Int(text).map(lastDays.contains) == true:
            return last(Int(text)!, today: today)
        case "month":
            let text = month ?? ""
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let number = Int(parts[1]),
                let first = LocalDate(year: year, month: number, day: 1)
            else {
                throw PatronError(.invalidInput, "month: '\(text)' is not a month written yyyy-MM")
            }
            let last = first.adding(months: 1).adding(days: -1)
            return OverviewPeriod(from: first, to: last, choice: .month(year: year, month: number))
        case "custom":
            guard let fromText = from, let start = LocalDate(iso: fromText) else {
                throw PatronError(.invalidInput, "from: '\(from ?? "")' is not a day written yyyy-MM-dd")
            }
            guard let toText = to, let end = LocalDate(iso: toText) else {
                throw PatronError(.invalidInput, "to: '\(to ?? "")' is not a day written yyyy-MM-dd")
            }
            guard start <= end else { throw PatronError(.invalidInput, "from: \(start) is after to: \(end)") }
            guard end.dayNumber - start.dayNumber < 3_660 else {
                throw PatronError(.invalidInput, "from: a range covers at most ten years, not \(end.dayNumber - start.dayNumber + 1) days")
            }
            return OverviewPeriod(from: start, to: end, choice: .custom)
        case let other:
            throw PatronError(.invalidInput, "period: '\(other)' is not one of 30, 90, 365, month or custom")
        }
    }

    /// How many days it covers.
    public var days: Int { to.dayNumber - from.dayNumber + 1 }
}
