import Foundation
import PatronCore
import PatronServices
import PatronStore

/// The `--from` day of the care commands, as the instant the day starts in the program's time zone.
enum CareCommandDates {
    /// `nil` for no day; `invalidInput` naming the option for a malformed one.
    static func start(_ text: String?, store options: StoreOptions, option: String = "--from") async throws -> Date? {
        guard let text else { return nil }
        guard let day = LocalDate(iso: text) else { throw PatronError(.invalidInput, "\(option) '\(text)' is not a yyyy-MM-dd date") }
        guard let program = try await options.open().currentProgram()?.program else { throw PatronError(.noProgram, "no program is loaded") }
        return program.calendar.startOfDay(day)
    }
}

/// The care commands' tables.
enum CareText {
    /// An NPS score as `+20.0`, or `–` without answers.
    static func score(_ value: Double?) -> String { value.map { String(format: "%+.1f", $0) } ?? "–" }

    /// A share as `85.0 %`, or `–`.
    static func share(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }

    /// The NPS breakdown as one table per dimension.
    static func nps(_ b: NPSBreakdown) -> String {
        var out = "NPS \(score(b.overall.nps)) from \(grouped(b.overall.tally.answers)) answers"
            + " (\(b.overall.tally.promoters) promoters, \(b.overall.tally.passives) passives, \(b.overall.tally.detractors) detractors)"
        for (title, groups) in [("level", b.byLevel), ("segment", b.bySegment), ("cohort (enrolment month)", b.byCohort), ("channel", b.byChannel), ("month", b.byMonth)] {
            guard !groups.isEmpty else { continue }
            var table = Table([title, "answers", "promoters", "passives", "detractors", "NPS"], rightAligned: [1, 2, 3, 4, 5])
            for g in groups {
                table.add([g.key, grouped(g.tally.answers), grouped(g.tally.promoters), grouped(g.tally.passives), grouped(g.tally.detractors), score(g.nps)])
            }
            out += "\n\nBy \(title)\n" + table.text
        }
        return out
    }
}
