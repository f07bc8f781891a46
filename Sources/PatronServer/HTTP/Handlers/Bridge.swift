import Foundation

/// Converts between the domain's Codable values and the types generated from openapi.yaml, through their shared JSON.
///
/// The document's schemas mirror the domain's JSON field for field, so one generic conversion replaces a hand-written
/// mapper per type; a schema drifting from its domain type fails the route tests instead of silently dropping fields.
enum Bridge {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom(InstantText.encode)
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(InstantText.decode)
        return decoder
    }()

    /// `value` as `Target`; a mismatch is the caller's bad input when converting a request, a bug when a response.
    static func convert<Target: Decodable>(_ value: some Encodable, to target: Target.Type = Target.self) throws -> Target {
        try decoder.decode(Target.self, from: encoder.encode(value))
    }
}
