import Foundation

/// The one place every analysis becomes JSON (`patron analyze … --json` and `GET /v1/analytics/…`).
///
/// JSON has no NaN or infinity, and an analysis must never print them: every number that is not finite (a standard
/// error of a fit that did not converge, a ratio over nothing) is written as `null`. The reports themselves say why a
/// figure is missing (``CLVReport/converged``, ``CLVReport/CLV/withheld``).
public enum AnalyticsJSON {
    /// Pretty, key-sorted JSON of `value` with every non-finite number written as `null`.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        // A marker no data can contain: it is made up for this call.
        let marker = "non-finite-\(UUID().uuidString)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: marker, negativeInfinity: marker, nan: marker)
        let data = try encoder.encode(value)
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains(marker) else { return data }
        return Data(text.replacingOccurrences(of: "\"\(marker)\"", with: "null").utf8)
    }

    /// The same JSON as a string.
    public static func string<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        String(decoding: try encode(value, pretty: pretty), as: UTF8.self)
    }
}
