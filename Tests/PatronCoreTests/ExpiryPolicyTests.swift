import Foundation
import Testing

@testable import PatronCore

@Suite struct ExpiryPolicyTests {
    let shanghai = ShopCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    let utc = ShopCalendar(timeZone: TimeZone(identifier: "UTC")!)

    func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func afterDaysEndsAtLocalMidnight() {
        // Earned 2026-03-01 20:00 UTC = 2026-03-02 04:00 in Shanghai: 30 days later ends at the start of 2026-04-02 there.
        let earned = instant("2026-03-01T20:00:00Z")
        #expect(ExpiryPolicy.afterDays(30).expiry(of: earned, in: shanghai) == instant("2026-04-01T16:00:00Z"))
        #expect(ExpiryPolicy.afterDays(30).expiry(of: earned, in: utc) == instant("2026-04-01T00:00:00Z"))
    }

    @Test func endOfYearPlusYears() {
        let earned = instant("2026-12-31T17:00:00Z")  // already 2027-01-01 in Shanghai
        #expect(ExpiryPolicy.endOfYear(plusYears: 1).expiry(of: earned, in: shanghai) == instant("2028-12-31T16:00:00Z"))
        #expect(ExpiryPolicy.endOfYear(plusYears: 1).expiry(of: earned, in: utc) == instant("2028-01-01T00:00:00Z"))
    }

    @Test func endOfMonthAndAfterMonths() {
        let earned = instant("2026-01-31T08:00:00Z")
        #expect(ExpiryPolicy.endOfMonth(plusYears: 0).expiry(of: earned, in: utc) == instant("2026-02-01T00:00:00Z"))
        #expect(ExpiryPolicy.endOfMonth(plusYears: 2).expiry(of: earned, in: utc) == instant("2028-02-01T00:00:00Z"))
        #expect(ExpiryPolicy.afterMonths(1).expiry(of: earned, in: utc) == instant("2026-03-01T00:00:00Z"))  // Feb 28 is the last day
        #expect(ExpiryPolicy.never.expiry(of: earned, in: utc) == nil)
    }
}
