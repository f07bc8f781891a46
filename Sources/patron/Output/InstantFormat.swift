import Foundation
import PatronCore
import PatronStore

/// How the command line prints an instant, everywhere: `2026-03-01 09:30 +08:00`, local time in the shop's time zone
/// with its offset, so a time never reads without its zone.
struct InstantFormat {
    /// The zone times are shown in.
    let zone: TimeZone
    private let formatter: DateFormatter

    /// Times in `zone` (UTC when there is no program to name the shop's).
    init(zone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.zone = zone
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
    }

    /// Times in the time zone of the store's current program, or UTC without one.
    static func of(_ store: any Store) async throws -> InstantFormat {
        InstantFormat(zone: try await store.currentProgram()?.program.timeZone ?? TimeZone(identifier: "UTC")!)
    }

    /// `date` as `yyyy-MM-dd HH:mm ±hh:mm`.
    func text(_ date: Date) -> String { formatter.string(from: date) }

    /// `date` as text, or `none` for no date.
    func text(_ date: Date?, none: String) -> String { date.map(text) ?? none }
}
