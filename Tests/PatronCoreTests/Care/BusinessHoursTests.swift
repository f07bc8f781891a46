import Foundation
import PatronCore
import Testing

/// Due times counted in service hours: weekends, holidays and daylight-saving changes (America/New_York, Asia/Shanghai).
@Suite struct BusinessHoursTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func hours(_ zone: TimeZone, _ days: [Int: [String]], holidays: [String] = []) -> BusinessHours {
        BusinessHours(
            weekly: days.mapValues { $0.map { BusinessHours.Interval(text: $0)! } }, holidays: Set(holidays.map { LocalDate(iso: $0)! }),
            timeZone: zone)!
    }

    static let weekdays = [1: ["09:00-18:00"], 2: ["09:00-18:00"], 3: ["09:00-18:00"], 4: ["09:00-18:00"], 5: ["09:00-18:00"]]
    static let always = Dictionary(uniqueKeysWithValues: (1...7).map { ($0, ["00:00-24:00"]) })

    @Test("2026-01-01 is a Thursday and weekdays count from Monday = 1")
    func weekdayNumbers() {
        #expect(BusinessHours.weekday(of: LocalDate(iso: "2026-01-01")!) == 4)
        #expect(BusinessHours.weekday(of: LocalDate(iso: "2026-01-05")!) == 1)
        #expect(BusinessHours.weekday(of: LocalDate(iso: "2026-01-04")!) == 7)
        #expect(BusinessHours.weekday(of: LocalDate(iso: "1969-12-28")!) == 7)
    }

    @Test("two hours from Friday 17:00 in Shanghai fall due on Monday 10:00: the weekend does not count")
    func weekendIsSkipped() {
        let hours = Self.hours(Self.shanghai, Self.weekdays)
        let due = hours.adding(minutes: 120, to: Self.instant("2026-01-02T17:00:00+08:00"))
        #expect(due == Self.instant("2026-01-05T10:00:00+08:00"))
        #expect(hours.serviceSeconds(from: Self.instant("2026-01-02T17:00:00+08:00"), to: due) == 7_200)
    }

    @Test("a ticket opened on Saturday starts its clock at Monday's opening")
    func clockStartsAtNextOpening() {
        let hours = Self.hours(Self.shanghai, Self.weekdays)
        #expect(hours.adding(minutes: 30, to: Self.instant("2026-01-03T11:00:00+08:00")) == Self.instant("2026-01-05T09:30:00+08:00"))
        #expect(hours.adding(minutes: 0, to: Self.instant("2026-01-03T11:00:00+08:00")) == Self.instant("2026-01-05T09:00:00+08:00"))
        #expect(!hours.isOpen(at: Self.instant("2026-01-03T11:00:00+08:00")))
        #expect(hours.isOpen(at: Self.instant("2026-01-05T09:00:00+08:00")))
    }

    @Test("a target that ends exactly at closing time is due at closing, not the next morning")
    func dueAtClosing() {
        let hours = Self.hours(Self.shanghai, Self.weekdays)
        #expect(hours.adding(minutes: 120, to: Self.instant("2026-01-08T16:00:00+08:00")) == Self.instant("2026-01-08T18:00:00+08:00"))
    }

    @Test("the Spring Festival holidays stop the clock: Friday 17:00 plus 4 hours is the Monday after the holiday week, 12:00")
    func holidaysAreSkipped() {
        let festival = ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]
        let hours = Self.hours(Self.shanghai, Self.weekdays, holidays: festival)
        #expect(hours.adding(minutes: 240, to: Self.instant("2026-02-13T17:00:00+08:00")) == Self.instant("2026-02-23T12:00:00+08:00"))
        #expect(hours.openings(on: LocalDate(iso: "2026-02-17")!).isEmpty)
    }

    @Test("lunch breaks: two intervals a day, the clock stops between them")
    func splitDays() {
        let hours = Self.hours(Self.shanghai, [3: ["09:00-12:00", "13:30-18:00"]])
        // Wednesday 11:00 + 2 h: one hour before lunch, one after it.
        #expect(hours.adding(minutes: 120, to: Self.instant("2026-01-07T11:00:00+08:00")) == Self.instant("2026-01-07T14:30:00+08:00"))
        // 7.5 h a week: 8 h from one Wednesday 09:00 is the next Wednesday 09:30.
        #expect(hours.adding(minutes: 480, to: Self.instant("2026-01-07T09:00:00+08:00")) == Self.instant("2026-01-14T09:30:00+08:00"))
    }

    @Test("New York springs forward on 2026-03-08: a day open around the clock holds 23 hours, so 24 hours from Saturday noon is Sunday 13:00 EDT")
    func springForwardShortensTheDay() {
        let hours = Self.hours(Self.newYork, Self.always)
        let start = Self.instant("2026-03-07T12:00:00-05:00")
        #expect(hours.adding(minutes: 1_440, to: start) == Self.instant("2026-03-08T13:00:00-04:00"))
        let sunday = hours.openings(on: LocalDate(iso: "2026-03-08")!)
        #expect(sunday.count == 1 && sunday[0].upperBound.timeIntervalSince(sunday[0].lowerBound) == 23 * 3_600)
    }

    @Test("New York falls back on 2026-11-01: that day holds 25 hours, so 24 hours from Saturday noon is Sunday 11:00 EST")
    func fallBackLengthensTheDay() {
        let hours = Self.hours(Self.newYork, Self.always)
        #expect(hours.adding(minutes: 1_440, to: Self.instant("2026-10-31T12:00:00-04:00")) == Self.instant("2026-11-01T11:00:00-05:00"))
        let sunday = hours.openings(on: LocalDate(iso: "2026-11-01")!)
        #expect(sunday[0].upperBound.timeIntervalSince(sunday[0].lowerBound) == 25 * 3_600)
    }

    @Test("weekday hours keep their wall-clock times across the change: Friday 17:00 EST plus 2 hours is Monday 10:00 EDT")
    func wallClockHoursAcrossDST() {
        let hours = Self.hours(Self.newYork, Self.weekdays)
        #expect(hours.adding(minutes: 120, to: Self.instant("2026-03-06T17:00:00-05:00")) == Self.instant("2026-03-09T10:00:00-04:00"))
        #expect(hours.adding(minutes: 120, to: Self.instant("2026-10-30T17:00:00-04:00")) == Self.instant("2026-11-02T10:00:00-05:00"))
    }

    @Test("hours 01:00-04:00 on the night New York skips 02:00-03:00 hold two real hours")
    func intervalAcrossTheGap() {
        let hours = Self.hours(Self.newYork, [7: ["01:00-04:00"]])
        let sunday = hours.openings(on: LocalDate(iso: "2026-03-08")!)
        #expect(sunday.count == 1)
        #expect(sunday[0].lowerBound == Self.instant("2026-03-08T01:00:00-05:00"))
        #expect(sunday[0].upperBound == Self.instant("2026-03-08T04:00:00-04:00"))
        #expect(hours.serviceSeconds(from: Self.instant("2026-03-07T00:00:00Z"), to: Self.instant("2026-03-09T00:00:00Z")) == 7_200)
        // An interval that starts inside the gap starts at the first instant after it.
        let gap = Self.hours(Self.newYork, [7: ["02:30-05:00"]])
        #expect(gap.openings(on: LocalDate(iso: "2026-03-08")!).first?.lowerBound == Self.instant("2026-03-08T03:00:00-04:00"))
    }

    @Test("Shanghai has no daylight saving: a day open around the clock always holds 24 hours")
    func shanghaiDaysAreAlways24Hours() {
        let hours = Self.hours(Self.shanghai, Self.always)
        for day in ["2026-03-08", "2026-11-01", "2026-06-21"] {
            let opening = hours.openings(on: LocalDate(iso: day)!)[0]
            #expect(opening.upperBound.timeIntervalSince(opening.lowerBound) == 86_400)
        }
    }

    @Test("due times and warnings follow the category's own target, else the priority's")
    func dueTimesFromTargets() {
        let hours = Self.hours(Self.shanghai, Self.weekdays)
        let targets = ResponseTargets(
            byPriority: [.normal: ResponseTarget(firstResponseMinutes: 240, resolutionMinutes: 540)],
            byCategory: [.delivery: [.normal: ResponseTarget(firstResponseMinutes: 60, resolutionMinutes: 120)]])
        let care = CareSettings(hours: hours, targets: targets, escalateBeforeMinutes: 30)
        let opened = Self.instant("2026-01-05T09:00:00+08:00")
        let price = care.dueTimes(.price, .normal, openedAt: opened)
        #expect(price.firstResponse == Self.instant("2026-01-05T13:00:00+08:00"))
        #expect(price.firstResponseWarning == Self.instant("2026-01-05T12:30:00+08:00"))
        #expect(price.resolution == Self.instant("2026-01-05T18:00:00+08:00"))
        #expect(price.resolutionWarning == Self.instant("2026-01-05T17:30:00+08:00"))
        let delivery = care.dueTimes(.delivery, .normal, openedAt: opened)
        #expect(delivery.firstResponse == Self.instant("2026-01-05T10:00:00+08:00"))
        #expect(care.dueTimes(.delivery, .urgent, openedAt: opened).firstResponse == Self.instant("2026-01-05T10:00:00+08:00"))
    }

    @Test("durations read as the program file writes them", arguments: [("30m", 30), ("4h", 240), ("1h30m", 90), ("0h5m", 5)])
    func durations(text: String, minutes: Int) {
        #expect(ServiceDuration.minutes(text) == minutes)
        #expect(ServiceDuration.minutes(ServiceDuration.text(minutes: minutes)) == minutes)
    }

    @Test("malformed durations are refused", arguments: ["", "4", "h", "2d", "30m1h", "1h1h", "-1h", "1.5h"])
    func badDurations(text: String) {
        #expect(ServiceDuration.minutes(text) == nil)
    }
}
