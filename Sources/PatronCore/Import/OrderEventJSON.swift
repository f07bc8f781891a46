import Foundation

/// Order events as JSON text, read with the rules the API applies to the same JSON: unknown fields are refused (the
/// domain types decode strictly), instants are ISO 8601 with or without fractional seconds and with `Z` or an offset,
/// and the event is validated.
public enum OrderEventJSON {
    /// The event in one JSON object, checked; throws `invalidInput` naming the field (`order.lines[0].unitPrice`).
    public static func decode(_ data: Data) throws -> OrderEvent {
        let event: OrderEvent
        do {
            event = try decoder.decode(OrderEvent.self, from: data)
        } catch let error as DecodingError {
            throw PatronError(.invalidInput, describe(error))
        } catch {
            throw PatronError(.invalidInput, "not JSON: \(error.localizedDescription)")
        }
        try event.validate()
        return event
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseInstant(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an ISO 8601 instant such as 2026-11-25T10:00:00Z")
            }
            return date
        }
        return decoder
    }()

    /// An ISO 8601 instant with or without fractional seconds (`2026-11-25T10:00:00.123Z`, `2026-11-25T18:00:00+08:00`).
    public static func parseInstant(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// `path: what is wrong` for a decoding error.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
            return text.isEmpty ? "(the line)" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not a JSON object: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
