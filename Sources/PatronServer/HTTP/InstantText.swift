import Foundation
import OpenAPIRuntime

/// ISO 8601 instants as the API reads and writes them: written in UTC with milliseconds; read with or without
/// fractional seconds and with `Z` or an offset (`2026-11-25T10:00:00.123Z`, `2026-11-25T18:00:00+08:00`).
enum InstantText {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Rounded to the millisecond (the formatter truncates, and .123 is 0.12299… in binary).
    static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        return Date(timeIntervalSince1970: (milliseconds + 0.5) / 1000).formatted(withFraction)
    }

    static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
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
