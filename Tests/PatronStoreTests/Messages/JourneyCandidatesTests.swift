import Foundation
import PatronCore
import PatronFiles
import PatronTestSupport
import Testing

@testable import PatronStore

/// The journeys job asks the database only for the members an anniversary or an inactivity step can apply to today
/// (their enrolment day, or the day of their last order, in SQL), and finds exactly the members the earlier scan of
/// every member found: checked day by day over two and a half years, leap days and daylight saving included. On
/// SQLite, or PostgreSQL when asked.
@Suite struct JourneyCandidatesTests {
    static let program = """
        name: Journeys
        currency: USD
        timeZone: America/New_York
        earning: { points: 1, per: "1.00" }
        messages:
          triggers:
            - { id: anniversary, on: anniversary, channels: [inbox] }
            - { id: winback, on: inactive, days: [30, 60, 90], channels: [inbox] }
        """

    /// A member as the test made it: when they enrolled and their last order, if any.
    struct Made {
        var id: Int64
        var enrolled: Date
        var lastOrder: Date?
    }

    /// What the job found for one trigger on one day, comparable.
    struct Found: Hashable {
        var member: Int64
        var cause: String
        var step: Int?
    }

    @Test func theCandidatesReadInSQLAreTheOnesTheScanOfEveryMemberFound() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2023-01-01T17:00:00Z")!)
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        let program = try ProgramFile.parse(Self.program)
        _ = try await store.loadProgram(program, source: Self.program)
        let calendar = program.calendar
        let triggers = try #require(program.messages?.triggers)

        // 70 members enrolled on days spread over 2023–2024 (one on 29 February 2024, one on 28 February), at hours
        // that fall either side of midnight UTC; two in three order once or twice afterwards.
        var made: [Made] = []
        let start = clock.now()
        var enrolments: [Date] = []
        for index in 0..<68 {
            let days: Int = (index * 37) % 700
            let hours: Int = (index * 7) % 24
            enrolments.append(start.addingTimeInterval(TimeInterval(days * 86_400 + hours * 3_600)))
        }
        enrolments += [ISO8601DateFormatter().date(from: "2024-02-29T15:00:00Z")!, ISO8601DateFormatter().date(from: "2023-02-28T15:00:00Z")!]
        for (index, enrolled) in enrolments.sorted().enumerated() {
            clock.set(enrolled)
            let member = try await store.enroll(EnrollmentRequest(identities: [try .customer("c\(index)")]), key: nil)
            var record = Made(id: member.id, enrolled: enrolled, lastOrder: nil)
            for order in 0..<(index % 3) {
                let days: Int = 3 + order * (11 + index % 50)
                let placed = enrolled.addingTimeInterval(TimeInterval(days * 86_400 + 5_400))
                clock.set(placed)
                let lines = [OrderLine(sku: "TEA", quantity: 1, unitPrice: 1_000)]
                _ = try await store.apply([.placed(Order(id: "o\(index)-\(order)", member: try .customer("c\(index)"), lines: lines), at: placed)], options: ApplyOptions())[0].get()
                record.lastOrder = placed
            }
            made.append(record)
        }

        var found = 0
        var day = calendar.localDate(of: start)
        let last = LocalDate(year: 2025, month: 6, day: 30)!
        while day <= last {
            // Noon in the shop, when the daily job has run.
            let instant = calendar.startOfDay(day).addingTimeInterval(12 * 3_600)
            for trigger in triggers {
                let read = try await store.backend.read { db in try store.journeyCandidates(db, trigger, at: instant, calendar: calendar) }
                let fromSQL = read.map { Found(member: $0.member, cause: $0.cause, step: $0.step) }
                let scanned = Self.scan(made, trigger, today: day, calendar: calendar)
                #expect(fromSQL == scanned, "\(trigger.id) on \(day)")
                found += fromSQL.count
            }
            day = day.adding(days: 1)
        }
        #expect(found > 100, "the days checked found members: \(found)")
    }

    /// The job's earlier way: every member read, the days worked out here.
    static func scan(_ members: [Made], _ trigger: MessageTrigger, today: LocalDate, calendar: ShopCalendar) -> [Found] {
        switch trigger.cause {
        case .anniversary:
            let before = calendar.startOfDay(today.adding(days: -364))
            return members.filter { $0.enrolled < before }.compactMap { member in
                let enrolled = calendar.localDate(of: member.enrolled)
                let years = today.year - enrolled.year
                let leapDay = enrolled.month == 2 && enrolled.day == 29 && today.month == 2 && today.day == 28 && LocalDate.daysIn(month: 2, year: today.year) == 28
                guard years >= 1, (enrolled.month == today.month && enrolled.day == today.day) || leapDay else { return nil }
                return Found(member: member.id, cause: String(today.year), step: nil)
            }
        case .inactive(let steps):
            return members.compactMap { member in
                let since = calendar.localDate(of: member.lastOrder ?? member.enrolled)
                let days = today.dayNumber - since.dayNumber
                guard let step = InactivitySteps.step(days: days, steps: steps) else { return nil }
                return Found(member: member.id, cause: "\(step)-\(since)", step: step)
            }
        default:
            return []
        }
    }
}
