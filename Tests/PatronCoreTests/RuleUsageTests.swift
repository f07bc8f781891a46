import Testing

@testable import PatronCore

/// A limited rule's uses counted around a day (`RuleUsage.count(useOn:around:)`), as the store reads them and as a
/// PostgreSQL batch and the what-if replay count them: weeks run Monday to Sunday, months from their first day, and a
/// use after the day counts in none.
@Suite struct RuleUsageTests {
    func day(_ year: Int, _ month: Int, _ day: Int) -> Int { LocalDate(year: year, month: month, day: day)!.dayNumber }

    @Test func aUseCountsInTheWindowsThatHoldIt() {
        // Wednesday 2 December 2026: its week began on Monday 30 November, in the month before.
        let window = RuleUsage.Window(LocalDate(year: 2026, month: 12, day: 2)!)
        #expect(window.monday == day(2026, 11, 30))
        var usage = RuleUsage.none
        for used in [day(2026, 12, 2), day(2026, 12, 1), day(2026, 11, 30), day(2026, 11, 29), day(2025, 12, 2), day(2026, 12, 3)] {
            usage.count(useOn: used, around: window)
        }
        // Today once; this week today, Tuesday and Monday; this month today and Tuesday; ever all but tomorrow's.
        #expect(usage == RuleUsage(day: 1, week: 3, month: 2, lifetime: 5))
    }
}
