import Foundation
import OpenAPIRuntime

/// ISO 8601 instants as the API reads and writes them: written in UTC with milliseconds; read with or without
/// fractional seconds and with `Z` or an offset (`2026-11-25T10:00:00.123Z`, `2026-11-25T18:00:00+08:00`).
///
/// Every instant of every answer is written here, and a statement has dozens: the common shapes (UTC, years 1970–9999,
/// no fraction or milliseconds) are written and read with integer arithmetic on the proleptic Gregorian calendar,
/// giving exactly what `Date.ISO8601FormatStyle` gives, which handles every other shape.
enum InstantText {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Rounded to the millisecond (the formatter truncates, and .123 is 0.12299… in binary).
    static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        if let text = UTCMilliseconds.format(milliseconds) { return text }
        return Date(timeIntervalSince1970: (milliseconds + 0.5) / 1000).formatted(withFraction)
    }

    /// `date` as it reads back from its text: rounded to the millisecond, as every instant the API receives is stored.
    static func millisecond(_ date: Date) -> Date {
        parse(format(date)) ?? date
    }

    static func parse(_ text: String) -> Date? {
        if let date = UTCMilliseconds.parse(text) { return date }
        return (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }

    /// The same rules for the generated code's dates.
    struct Transcoder: DateTranscoder {
        func encode(_ date: Date) throws -> String { InstantText.format(date) }

        func decode(_ text: String) throws -> Date {
            guard let date = InstantText.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(text)' is not an ISO 8601 instant such as 2026-11-25T10:00:00Z"))
            }
            return date
        }
    }

    static func encode(_ date: Date, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(format(date))
    }

    static func decode(from decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO 8601 instant such as 2026-11-25T10:00:00Z")
        }
        return date
    }
}

/// `yyyy-MM-ddTHH:mm:ss[.SSS]Z` in UTC for the years 1970–9999, by arithmetic; `nil` for anything else, which
/// `InstantText` leaves to Foundation's formatter.
enum UTCMilliseconds {
    private static let millisecondsPerDay: Int64 = 86_400_000
    /// 10000-01-01T00:00:00Z.
    private static let end: Int64 = 253_402_300_800_000

    /// `milliseconds` since 1970 (a whole number) as text, or `nil` outside 1970–9999.
    static func format(_ milliseconds: Double) -> String? {
        guard milliseconds >= 0, milliseconds < Double(end) else { return nil }
        let total = Int64(milliseconds)
        let (year, month, day) = civil(days: Int(total / millisecondsPerDay))
        let inDay = Int(total % millisecondsPerDay)
        let seconds = inDay / 1000
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int, at index: Int, digits: Int) {
                var value = value
                for offset in stride(from: digits - 1, through: 0, by: -1) {
                    text[index + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, digits: 4)
            text[4] = UInt8(ascii: "-")
            put(month, at: 5, digits: 2)
            text[7] = UInt8(ascii: "-")
            put(day, at: 8, digits: 2)
            text[10] = UInt8(ascii: "T")
            put(seconds / 3600, at: 11, digits: 2)
            text[13] = UInt8(ascii: ":")
            put(seconds / 60 % 60, at: 14, digits: 2)
            text[16] = UInt8(ascii: ":")
            put(seconds % 60, at: 17, digits: 2)
            text[19] = UInt8(ascii: ".")
            put(inDay % 1000, at: 20, digits: 3)
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The instant `text` names when it is `yyyy-MM-ddTHH:mm:ssZ` or `yyyy-MM-ddTHH:mm:ss.SSSZ` with every field in
    /// range and a year from 1970; otherwise `nil`.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count == 20 || bytes.count == 24, bytes[bytes.count - 1] == UInt8(ascii: "Z") else { return nil }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
                bytes[16] == UInt8(ascii: ":")
            else { return nil }
            func number(_ start: Int, _ digits: Int) -> Int? {
                var value = 0
                for index in start..<(start + digits) {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2)
            else { return nil }
            var millisecond = 0
            if bytes.count == 24 {
                guard bytes[19] == UInt8(ascii: "."), let fraction = number(20, 3) else { return nil }
                millisecond = fraction
            }
            guard year >= 1970, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
                second < 60
            else { return nil }
            let seconds = Int64(days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            // Counted from 2001 as Foundation counts, so the result is the formatter's to the last bit.
            return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(millisecond) / 1000)
        }
    }

    /// The date `days` days after 1970-01-01 (days ≥ 0), proleptic Gregorian (H. Hinnant's `civil_from_days`).
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a date from 1970 on (`days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = year / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
