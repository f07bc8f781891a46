import Foundation
import Testing

@testable import PatronCore

/// The pure rules of message journeys: quiet hours in the shop's time zone, win-back steps, delays and period labels.
@Suite struct MessageJourneyRulesTests {
    let shanghai = ShopCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func quietHoursAcrossMidnightEndAtTheirEndInTheShopsTimeZone() {
        let quiet = QuietHours(from: 21 * 60, to: 8 * 60)
        // 22:30 in Shanghai (14:30 UTC): quiet until 08:00 the next morning.
        #expect(quiet.end(ofQuietAt: instant("2026-03-01T14:30:00Z"), calendar: shanghai) == instant("2026-03-02T00:00:00Z"))
        // 07:59 in Shanghai: quiet until 08:00 the same day.
        #expect(quiet.end(ofQuietAt: instant("2026-03-01T23:59:00Z"), calendar: shanghai) == instant("2026-03-02T00:00:00Z"))
        // 08:00 and 20:59 are not quiet.
        #expect(quiet.end(ofQuietAt: instant("2026-03-02T00:00:00Z"), calendar: shanghai) == nil)
        #expect(quiet.end(ofQuietAt: instant("2026-03-01T12:59:00Z"), calendar: shanghai) == nil)
        // Within a day: 12:00 to 14:00.
        let lunch = QuietHours(from: 12 * 60, to: 14 * 60)
        #expect(lunch.end(ofQuietAt: instant("2026-03-01T04:30:00Z"), calendar: shanghai) == instant("2026-03-01T06:00:00Z"))
        #expect(lunch.end(ofQuietAt: instant("2026-03-01T06:00:00Z"), calendar: shanghai) == nil)
    }

    @Test func aPlanDelaysAMessageAndMovesItOutOfQuietHoursOnlyOnChannelsThatKeepThem() {
        let plan = MessagePlan(
            triggers: [
                MessageTrigger(id: "review", cause: .orderDelivered, delayMinutes: 600, channels: [.email]),
                MessageTrigger(id: "inbox", cause: .orderDelivered, delayMinutes: 600, channels: [.inbox]),
            ], quietHours: QuietHours(from: 21 * 60, to: 8 * 60))
        // Caused at 12:00 Shanghai: due at 22:00, which is quiet for e-mail: 08:00 the next day.
        let caused = instant("2026-03-01T04:00:00Z")
        #expect(plan.due(plan.triggers[0], causedAt: caused, calendar: shanghai) == instant("2026-03-02T00:00:00Z"))
        #expect(plan.due(plan.triggers[1], causedAt: caused, calendar: shanghai) == instant("2026-03-01T14:00:00Z"))
    }

    @Test(arguments: [(29, nil), (30, 1), (36, 1), (37, nil), (59, nil), (60, 2), (66, 2), (89, nil), (90, 3), (96, 3), (97, nil), (400, nil)])
    func eachWinBackStepIsOpenFromItsDayForAWeek(days: Int, step: Int?) {
        #expect(InactivitySteps.step(days: days, steps: [30, 60, 90]) == step)
    }

    @Test func aStepClosesWhenTheNextOpensEvenWithinItsWeek() {
        #expect(InactivitySteps.step(days: 12, steps: [10, 12]) == 2)
        #expect(InactivitySteps.step(days: 11, steps: [10, 12]) == 1)
    }

    @Test func delaysReadDaysHoursAndMinutesInThatOrder() {
        #expect(MessageDelay.minutes("0") == 0)
        #expect(MessageDelay.minutes("30m") == 30)
        #expect(MessageDelay.minutes("2h") == 120)
        #expect(MessageDelay.minutes("3d") == 3 * 1_440)
        #expect(MessageDelay.minutes("1d12h30m") == 1_440 + 750)
        for bad in ["", "30", "h", "2h3d", "1w", "-1d", "1d1d"] { #expect(MessageDelay.minutes(bad) == nil, "\(bad)") }
    }

    @Test func thankYouPeriodsAreLabelledByTheShopsCalendar() {
        let day = LocalDate(iso: "2026-08-15")!
        #expect(ThankYouPeriod.month.label(of: day) == "2026-08")
        #expect(ThankYouPeriod.quarter.label(of: day) == "2026-Q3")
        #expect(ThankYouPeriod.year.label(of: day) == "2026")
    }
}
