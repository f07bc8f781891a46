import Foundation
import PatronCore
import PatronStore
import Testing

/// The jobs keep the shop's clock, not UTC's or the machine's: activation at the same local wall time N days on,
/// expiry at local midnight, level reviews at the same local time N months on, birthday gifts in the local month —
/// across daylight-saving changes (America/New_York: 8 March and 1 November 2026) and 29 February, in a zone with
/// daylight saving and one without (Asia/Shanghai, UTC+8). Expected instants come from Foundation's `Calendar`, not
/// from the code under test.
@Suite struct ShopTimeJobTests {
    static let zones = ["America/New_York", "Asia/Shanghai"]

    static func program(_ zone: String, levels: Bool = false) -> String {
        """
        name: Time shop
        currency: USD
        timeZone: \(zone)
        earning: { points: 1, per: "1.00" }
        pending: { days: 7 }
        expiry: { afterDays: 30 }
        """
            + (levels
                ? """

                levels:
                  metric: spend
                  window: lifetime
                  growth: { upgradeAndDowngrade: { validityMonths: 1, downgrade: oneLevel } }
                  returns: endOfPeriod
                  tiers:
                    - name: Bronze
                      threshold: "0.00"
                    - name: Silver
                      threshold: "100.00"
                      benefits: { birthdayPoints: 50 }
                """ : "")
    }

    /// The instant a local wall time names in `zone` ("2026-03-10 12:00:00").
    static func local(_ text: String, _ zone: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)!
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)!
    }

    /// A fixture whose clock starts at `start` (local) and whose program is in `zone`.
    static func shop(_ zone: String, levels: Bool = false, start: String) async throws -> Fixture {
        let f = try await Fixture(program: program(zone, levels: levels))
        f.clock.set(local(start, zone))
        return f
    }

    @Test(arguments: zones) func pointsActivateAtTheSameLocalTimeAWeekLaterAcrossTheSpringForward(zone: String) async throws {
        let f = try await Self.shop(zone, start: "2026-03-03 12:00:00")
        let ann = try await f.member("ann")
        try await f.apply(.placed(f.order("O1", "ann", [10_000]), at: Self.local("2026-03-03 12:00:00", zone)))
        try await f.apply(.completed("O1", at: Self.local("2026-03-03 12:00:00", zone)))
        // New York springs forward on 8 March: a week later at noon is 6 days 23 hours on; Shanghai's is 7 days.
        f.clock.set(Self.local("2026-03-10 11:59:59", zone))
        try await f.jobs()
        #expect(try await f.balances(ann.id).pending == 100)
        f.clock.set(Self.local("2026-03-10 12:00:00", zone))
        try await f.jobs()
        #expect(try await f.balances(ann.id).active == 100)
        #expect(try await f.balances(ann.id).pending == 0)
        #expect(try await f.store.check().isEmpty)
    }

    @Test(arguments: zones) func pointsExpireAtLocalMidnightAcrossTheFallBack(zone: String) async throws {
        let f = try await Self.shop(zone, start: "2026-09-28 10:00:00")
        let bo = try await f.member("bo")
        try await f.apply(.placed(f.order("O1", "bo", [5_000]), at: Self.local("2026-09-28 10:00:00", zone)))
        try await f.apply(.completed("O1", at: Self.local("2026-09-28 10:00:00", zone)))
        f.clock.set(Self.local("2026-10-05 10:00:00", zone))  // active from 5 October, 10:00
        try await f.jobs()
        #expect(try await f.balances(bo.id).active == 50)
        // 30 days after 5 October is 4 November; the lot lasts through it and expires at local midnight, three days
        // after New York's 25-hour day (1 November).
        f.clock.set(Self.local("2026-11-04 23:59:59", zone))
        try await f.jobs()
        #expect(try await f.balances(bo.id).active == 50)
        f.clock.set(Self.local("2026-11-05 00:00:00", zone))
        try await f.jobs()
        #expect(try await f.balances(bo.id).active == 0)
        #expect(try await f.store.check().isEmpty)
    }

    @Test(arguments: zones) func pointsEarnedOnLeapDayExpireAfterTheirThirtiethDay(zone: String) async throws {
        let f = try await Self.shop(zone, start: "2028-02-22 09:00:00")
        let cy = try await f.member("cy")
        try await f.apply(.placed(f.order("O1", "cy", [2_000]), at: Self.local("2028-02-22 09:00:00", zone)))
        try await f.apply(.completed("O1", at: Self.local("2028-02-22 09:00:00", zone)))
        f.clock.set(Self.local("2028-02-29 09:00:00", zone))  // active on the leap day
        try await f.jobs()
        #expect(try await f.balances(cy.id).active == 20)
        // 29 February + 30 days = 30 March (29 days in February 2028): expiry at the start of 31 March.
        f.clock.set(Self.local("2028-03-30 23:59:59", zone))
        try await f.jobs()
        #expect(try await f.balances(cy.id).active == 20)
        f.clock.set(Self.local("2028-03-31 00:00:00", zone))
        try await f.jobs()
        #expect(try await f.balances(cy.id).active == 0)
    }

    @Test(arguments: zones) func aLevelReachedOnLeapDayIsReviewedOnTheTwentyEighthAMonthOnAtTheSameLocalTime(zone: String) async throws {
        let f = try await Self.shop(zone, levels: true, start: "2028-01-29 10:00:00")
        let di = try await f.member("di")
        try await f.apply(.placed(f.order("O1", "di", [15_000]), at: Self.local("2028-01-29 10:00:00", zone)))
        try await f.apply(.completed("O1", at: Self.local("2028-01-29 10:00:00", zone)))
        // Reached on 29 January: valid for one month, to 29 February (a leap year) at 10:00 local.
        let member = try #require(try await f.store.member(id: di.id))
        #expect(member.level.level == "Silver")
        #expect(member.level.validUntil == Self.local("2028-02-29 10:00:00", zone))
        #expect(try await f.store.runLevelReview(asOf: Self.local("2028-02-29 09:59:59", zone)).items == 0)
        #expect(try await f.store.runLevelReview(asOf: Self.local("2028-02-29 10:00:00", zone)).items == 1)
        // The lifetime spend still qualifies: kept for another month, to 29 March at 10:00 local.
        #expect(try await f.store.member(id: di.id)?.level.validUntil == Self.local("2028-03-29 10:00:00", zone))
    }

    @Test(arguments: zones) func aLevelReviewAMonthOnKeepsTheLocalHourAcrossTheFallBack(zone: String) async throws {
        let f = try await Self.shop(zone, levels: true, start: "2026-10-15 10:00:00")
        let ed = try await f.member("ed")
        try await f.apply(.placed(f.order("O1", "ed", [15_000]), at: Self.local("2026-10-15 10:00:00", zone)))
        try await f.apply(.completed("O1", at: Self.local("2026-10-15 10:00:00", zone)))
        // 15 November 10:00 in New York is 15:00 UTC (EST), an hour later in UTC than 15 October's 14:00 (EDT).
        let until = Self.local("2026-11-15 10:00:00", zone)
        #expect(try await f.store.member(id: ed.id)?.level.validUntil == until)
        #expect(try await f.store.runLevelReview(asOf: until.addingTimeInterval(-1)).items == 0)
        #expect(try await f.store.runLevelReview(asOf: until).items == 1)
    }

    @Test func birthdayGiftsFollowTheShopsMonthNotUTCs() async throws {
        // 1 February 00:30 in Shanghai is still 31 January in New York and in UTC (16:30).
        let instant = Self.local("2027-02-01 00:30:00", "Asia/Shanghai")
        for (zone, gifted) in [("Asia/Shanghai", true), ("America/New_York", false)] {
            let f = try await Fixture(program: Self.program(zone, levels: true))
            f.clock.set(Self.local("2027-01-10 10:00:00", zone))
            let leap = try await f.store.enroll(
                EnrollmentRequest(identities: [try .customer("leap")], profile: Profile(birthday: LocalDate(year: 2000, month: 2, day: 29))),
                key: nil)
            try await f.apply(.placed(f.order("O1", "leap", [15_000]), at: Self.local("2027-01-10 10:00:00", zone)))
            try await f.apply(.completed("O1", at: Self.local("2027-01-10 10:00:00", zone)))  // Silver: 50 points a birthday
            let report = try await f.store.runBirthdayGifts(asOf: instant)
            #expect(report.items == (gifted ? 1 : 0), "\(zone)")
            // A member born on 29 February is gifted in February of a year without one, once.
            let february = Self.local("2027-02-15 12:00:00", zone)
            #expect(try await f.store.runBirthdayGifts(asOf: february).items == (gifted ? 0 : 1), "\(zone)")
            #expect(try await f.balances(leap.id).active == 50, "\(zone)")
        }
    }
}
