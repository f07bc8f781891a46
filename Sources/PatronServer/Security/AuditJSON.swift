import Foundation

/// The JSON text audit records hold: sorted keys and ISO 8601 instants, so records compare and read well.
public enum AuditJSON {
    /// `value` as compact JSON text.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
