import Foundation
import PatronCore

/// Numbers, points, money and dates as a page shows them: in the page's language, the programme's currency and the
/// programme's time zone. Formatting happens in Swift, so templates only place text.
public struct Formats: Sendable {
    /// The page's language.
    public let language: ConsoleLanguage
    /// The programme's currency; nil before a programme is loaded (money then shows as a plain number).
    public let currency: Currency?
    /// The programme's time zone: days and times are the shop's.
    public let timeZone: TimeZone
    /// The zone's calendar, made once: a page formats dozens of dates, and making a `Calendar` for each was a
    /// measurable part of a page.
    let calendar: ShopCalendar

    /// Formats for `language`, `currency` and `timeZone`.
    public init(language: ConsoleLanguage, currency: Currency?, timeZone: TimeZone) {
        self.language = language
        self.currency = currency
        self.timeZone = timeZone
        calendar = ShopCalendar(timeZone: timeZone)
    }

    /// `1234567` → `1,234,567` (both languages group by thousands with a comma).
    public func number(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// `number(_:)` for an `Int`.
    public func number(_ value: Int) -> String { number(Int64(value)) }

    /// Points: `1,234 pts` / `1,234 积分`.
    public func points(_ value: Int64) -> String {
        switch language {
        case .english: "\(number(value)) pts"
        case .simplifiedChinese: "\(number(value)) 积分"
        }
    }

    /// Money from minor units in the programme's currency: `¥1,234.50`, `US$12.00` (zh-Hans), `CHF 12.00`.
    public func money(_ minorUnits: Int64) -> String {
        let digits = currency?.minorDigits ?? 2
        var divisor: Int64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let magnitude = minorUnits.magnitude
        var text = number(Int64(magnitude / UInt64(divisor)))
        if digits > 0 {
            let fraction = String(magnitude % UInt64(divisor))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        let sign = minorUnits < 0 ? "-" : ""
        guard let code = currency?.code else { return sign + text }
        if let symbol = Self.symbol(code, language) { return sign + symbol + text }
        return sign + code + " " + text
    }

    /// A ratio as a percentage with `digits` decimals: `0.1234` → `12.3%`.
    public func percent(_ ratio: Double, digits: Int = 1) -> String {
        guard ratio.isFinite else { return "–" }
        return decimal(ratio * 100, digits: digits) + "%"
    }

    /// A decimal number with `digits` decimals and grouping: `1234.5` → `1,234.5`.
    public func decimal(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var text = number(whole)
        if digits > 0 {
            let fraction = String(units % Int64(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (value < 0 && units != 0 ? "-" : "") + text
    }

    /// A day: `5 Dec 2026` / `2026年12月5日`.
    public func date(_ day: LocalDate) -> String {
        switch language {
        case .english: "\(day.day) \(Self.months[day.month - 1]) \(day.year)"
        case .simplifiedChinese: "\(day.year)年\(day.month)月\(day.day)日"
        }
    }

    /// The shop's day of an instant.
    public func date(_ instant: Date) -> String { date(calendar.localDate(of: instant)) }

    /// An instant in the shop's time zone to the minute: `5 Dec 2026, 14:03` / `2026年12月5日 14:03`. The wall time is
    /// the instant plus the zone's offset at that instant, as `ShopCalendar` reckons days.
    public func instant(_ instant: Date) -> String {
        let day = calendar.localDate(of: instant)
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let minuteOfDay = (local - day.dayNumber * 86_400) / 60
        let time = Self.twoDigits(minuteOfDay / 60) + ":" + Self.twoDigits(minuteOfDay % 60)
        switch language {
        case .english: return "\(date(day)), \(time)"
        case .simplifiedChinese: return "\(date(day)) \(time)"
        }
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The symbol a reader of `language` expects for `code`; nil: write the code.
    static func symbol(_ code: String, _ language: ConsoleLanguage) -> String? {
        switch (code, language) {
        case ("CNY", _): "¥"
        case ("USD", .english): "$"
        case ("USD", .simplifiedChinese): "US$"
        case ("EUR", _): "€"
        case ("GBP", _): "£"
        case ("JPY", .english): "¥"
        case ("JPY", .simplifiedChinese): "JP¥"
        case ("HKD", _): "HK$"
        case ("TWD", _): "NT$"
        case ("SGD", _): "S$"
        case ("AUD", _): "A$"
        case ("CAD", _): "CA$"
        case ("KRW", _): "₩"
        case ("INR", _): "₹"
        default: nil
        }
    }
}
