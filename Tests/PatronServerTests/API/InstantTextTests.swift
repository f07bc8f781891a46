import Foundation
@testable import PatronServer
import Testing

/// The API's instants written and read by arithmetic give what Foundation's ISO 8601 formatter gives, and every shape
/// the arithmetic does not take is still read by the formatter.
@Suite struct InstantTextTests {
    /// A fixed sequence of pseudo-random numbers (SplitMix64), so a failure names an instant that fails again.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    static let withoutFraction = Date.ISO8601FormatStyle()

    /// Instants from 1970 to 9999 at millisecond precision, with the edges and leap days among them.
    static func instants() -> [Date] {
        var random = SplitMix(state: 19)
        let edges: [Int64] = [0, 1, 999, 1_000, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999]
        let drawn = (0..<20_000).map { _ in Int64.random(in: 0..<253_402_300_800_000, using: &random) }
        return (edges + drawn).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    @Test func instantsAreWrittenAsFoundationsFormatterWritesThem() {
        for date in Self.instants() {
            let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
            let expected = Date(timeIntervalSince1970: (milliseconds + 0.5) / 1000).formatted(Self.withFraction)
            #expect(InstantText.format(date) == expected, "\(milliseconds) ms")
        }
    }

    @Test func writtenInstantsAreReadBackToTheSameMillisecondAsTheFormatterReadsThem() throws {
        for date in Self.instants() {
            let text = InstantText.format(date)
            let parsed = try #require(InstantText.parse(text))
            let reference = try Self.withFraction.parse(text)
            #expect(parsed == reference, "\(text): \(parsed.timeIntervalSinceReferenceDate) against \(reference.timeIntervalSinceReferenceDate)")
            #expect((parsed.timeIntervalSince1970 * 1000).rounded() == (date.timeIntervalSince1970 * 1000).rounded(), "\(text)")
            // Without the fraction, as clients often send them.
            let whole = String(text.prefix(19)) + "Z"
            #expect(try #require(InstantText.parse(whole)) == (try Self.withoutFraction.parse(whole)), "\(whole)")
        }
    }

    @Test(arguments: [
        "2026-11-25T18:00:00+08:00", "2026-11-25T10:00:00.5Z", "2026-11-25T10:00:00.123456Z", "1969-12-31T23:59:59Z",
        "2026-11-25T10:00:00.123+01:00",
    ])
    func shapesBeyondTheArithmeticAreReadByTheFormatter(text: String) throws {
        let expected = (try? Self.withFraction.parse(text)) ?? (try? Self.withoutFraction.parse(text))
        #expect(expected != nil, "the formatter reads \(text)")
        #expect(InstantText.parse(text) == expected)
    }

    @Test(arguments: ["2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25 10:00:00Z", "2026-11-25T10:00:00.12xZ", "not a date"])
    func malformedOrImpossibleInstantsAreRefusedAsTheFormatterRefusesThem(text: String) {
        let formatter = (try? Self.withFraction.parse(text)) ?? (try? Self.withoutFraction.parse(text))
        #expect(InstantText.parse(text) == formatter, "\(text)")
    }

    @Test func leapDaysAndCenturiesFollowTheGregorianCalendar() {
        #expect(UTCMilliseconds.daysIn(month: 2, year: 2000) == 29)
        #expect(UTCMilliseconds.daysIn(month: 2, year: 2100) == 28)
        #expect(UTCMilliseconds.daysIn(month: 2, year: 2028) == 29)
        for days in stride(from: 0, to: 2_932_897, by: 97) {
            let (year, month, day) = UTCMilliseconds.civil(days: days)
            #expect(UTCMilliseconds.days(year: year, month: month, day: day) == days)
        }
    }
}
