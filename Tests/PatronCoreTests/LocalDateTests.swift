import Foundation
import Testing

@testable import PatronCore

@Suite struct LocalDateTests {
    @Test func impossibleDatesDoNotExist() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2026, month: 13, day: 1) == nil)
        #expect(LocalDate(iso: "2026-04-31") == nil)
        #expect(LocalDate(iso: "26-04-01") == nil)
    }

    @Test func dayNumbersRoundTrip() {
        for number in stride(from: -800_000, to: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: number).dayNumber == number)
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(LocalDate(year: 1997, month: 9, day: 30)!.dayNumber == 10_134)
    }

    @Test func addingMonthsClampsToTheMonthsEnd() {
        #expect(LocalDate(year: 2026, month: 1, day: 31)!.adding(months: 1).description == "2026-02-28")
        #expect(LocalDate(year: 2026, month: 11, day: 15)!.adding(months: 3).description == "2027-02-15")
    }

    @Test func daysFallInTheProgramsTimeZone() {
        // 2026-03-01 17:30 UTC is already 2026-03-02 in Shanghai.
        let instant = Date(timeIntervalSince1970: 1_772_386_200)
        #expect(ShopCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!).localDate(of: instant).description == "2026-03-02")
        #expect(ShopCalendar(timeZone: TimeZone(identifier: "UTC")!).localDate(of: instant).description == "2026-03-01")
    }
}

@Suite struct ShopCalendarTests {
    /// The fast offset arithmetic agrees with Foundation's calendar, daylight-saving jumps included.
    @Test(arguments: ["Asia/Shanghai", "America/New_York", "America/Santiago", "Europe/London", "Australia/Lord_Howe", "UTC"])
    func agreesWithFoundationsCalendar(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        let shop = ShopCalendar(timeZone: timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var instant = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01
        for _ in 0..<800 {
            let expected = calendar.dateComponents([.year, .month, .day], from: instant)
            let day = shop.localDate(of: instant)
            let parts: [Int] = [day.year, day.month, day.day]
            #expect(parts == [expected.year!, expected.month!, expected.day!])
            #expect(shop.startOfDay(day) == calendar.startOfDay(for: instant), "\(zone) \(day)")
            #expect(shop.adding(days: 14, to: instant) == calendar.date(byAdding: .day, value: 14, to: instant)!, "\(zone) \(instant)")
            instant += 86_400 + 3_917  // walk through every hour of the day over two years
        }
    }
}

@Suite struct IdentityReferenceTests {
    @Test func referencesNameTheKindAndKeepColonsInTheValue() throws {
        #expect(try Identity(reference: "customer:C:1") == Identity(kind: "customer", value: "C:1"))
        #expect(try Identity(reference: "email:Ann@Example.com").value == "ann@example.com")
        #expect(try Identity(reference: "social:wechat:o6_bm:x") == Identity(kind: "social:wechat", value: "o6_bm:x"))
        #expect { try Identity(reference: "fax:123") } throws: { ($0 as? PatronError)?.code == .invalidInput }
        #expect { try Identity(reference: "customer:") } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }
}

@Suite struct YearlyReturnTests {
    @Test func aDateReturnsOnItsMonthAndDayAndTheLeapDayOnTheTwentyEighthOfACommonYear() throws {
        func day(_ text: String) throws -> LocalDate { try #require(LocalDate(iso: text)) }
        #expect(try day("2026-06-15").isYearlyReturn(of: try day("1990-06-15")))
        #expect(try !day("2026-06-16").isYearlyReturn(of: try day("1990-06-15")))
        #expect(try !day("2026-07-15").isYearlyReturn(of: try day("1990-06-15")))
        let leapDay = try day("2024-02-29")
        #expect(try day("2025-02-28").isYearlyReturn(of: leapDay) && day("2025-02-28").holdsLeapDayReturns)
        #expect(try day("2028-02-29").isYearlyReturn(of: leapDay))
        #expect(try !day("2028-02-28").isYearlyReturn(of: leapDay) && !day("2028-02-28").holdsLeapDayReturns, "a leap year has its own")
        #expect(try day("2100-02-28").holdsLeapDayReturns, "2100 is a common year")
        #expect(try !day("2000-02-28").holdsLeapDayReturns, "2000 is a leap year")
        #expect(try day("2025-02-28").isYearlyReturn(of: try day("2023-02-28")))
    }
}
