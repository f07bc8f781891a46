/// A proleptic Gregorian calendar date, convertible to and from the day numbers used by ``Purchase/day``.
///
/// Pure integer arithmetic (Howard Hinnant's `days_from_civil`), no time zone and no `Calendar`: the shop's
/// calendar day is decided before a ``Purchase`` is made.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 1997.
    public var year: Int
    /// The month, 1…12.
    public var month: Int
    /// The day of the month, 1…31.
    public var day: Int

    /// Creates a date from its parts (not validated beyond arithmetic).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates the date of a day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Parses `yyyyMMdd` or `yyyy-MM-dd`; returns nil for anything else or an impossible date.
    public init?(_ text: some StringProtocol) {
        let digits = String(text.filter { $0 != "-" })
        guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else {
            return nil
        }
        let date = CivilDate(year: value / 10000, month: (value / 100) % 100, day: value % 100)
        guard (1...12).contains(date.month), date.day >= 1,
              CivilDate(dayNumber: date.dayNumber) == date else { return nil }
        self = date
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A month index that increases by one per calendar month (`year * 12 + month - 1`).
    public var monthIndex: Int { year * 12 + month - 1 }

    /// `yyyy-MM-dd`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Chronological order.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
}
