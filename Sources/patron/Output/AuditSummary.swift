import Foundation
import PatronStore

/// A short, readable account of what an audit record changed: the fields that differ as `field before→after`, or
/// the state after when there was none before, and the reason given. `patron audit --json` keeps the whole record.
struct AuditSummary {
    /// The widest summary in columns; longer ones end in `…`.
    static let width = 72

    /// The summary of `record`, instants in its states shown as `time` prints them.
    static func text(_ record: AuditRecord, time: InstantFormat) -> String {
        var reason: String?
        var after = record.after.flatMap(parse)
        // The reason travels beside the state after: {"reason": "…", "state": "<JSON text>"}.
        if case .object(let fields)? = after, fields.count <= 2, case .string(let why)? = fields["reason"] {
            reason = why
            after = fields["state"].flatMap { value in
                if case .string(let text) = value { return parse(text) }
                return nil
            }
        }
        let before = record.before.flatMap(parse)
        var parts: [String] = []
        let old = flatten(before).map { ($0.key, shown($0.value, time)) }
        let new = flatten(after).map { ($0.key, shown($0.value, time)) }
        if before == nil, after != nil {
            parts = new.map { $0.0.isEmpty ? $0.1 : "\($0.0) \($0.1)" }
        } else if after == nil, before != nil {
            parts = ["removed"]
        } else {
            for key in Set(old.map(\.0)).union(new.map(\.0)).sorted() {
                let was = old.first { $0.0 == key }?.1
                let now = new.first { $0.0 == key }?.1 ?? "–"
                let label = key.isEmpty ? "" : key + " "
                if let was, was != now { parts.append(label + "\(was)→\(now)") } else if was == nil { parts.append(label + now) }
            }
        }
        if let reason { parts.append("reason: \(reason)") }
        return truncated(parts.joined(separator: ", ").replacingOccurrences(of: "\n", with: " "), toWidth: width)
    }

    /// An ISO 8601 instant as `time` prints it; any other text as it is.
    private static func shown(_ text: String, _ time: InstantFormat) -> String {
        guard text.count >= 20, text.contains("T") else { return text }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return text }
        return time.text(date)
    }

    /// A JSON value, as far as a summary needs one.
    indirect enum Value: Equatable, Decodable {
        case object([String: Value])
        case array([Value])
        case string(String)
        case scalar(String)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let bool = try? container.decode(Bool.self) {
                self = .scalar(bool ? "true" : "false")
            } else if let integer = try? container.decode(Int64.self) {
                self = .scalar(String(integer))
            } else if let number = try? container.decode(Double.self) {
                self = .scalar(String(number))
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let array = try? container.decode([Value].self) {
                self = .array(array)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }
    }

    private static func parse(_ text: String) -> Value? { try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) }

    /// Leaves as dotted paths (`override.until`) with their text, in path order.
    private static func flatten(_ value: Value?, prefix: String = "") -> [(key: String, value: String)] {
        switch value {
        case nil: return []
        case .object(let fields)?:
            return fields.keys.sorted().flatMap { flatten(fields[$0], prefix: prefix.isEmpty ? $0 : prefix + "." + $0) }
        case .array(let items)?: return [(prefix, "[" + items.map(text).joined(separator: ",") + "]")]
        case let leaf?: return [(prefix, text(leaf))]
        }
    }

    private static func text(_ value: Value) -> String {
        switch value {
        case .string(let string): return string
        case .scalar(let scalar): return scalar
        case .null: return "none"
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let fields): return "{" + fields.keys.sorted().map { "\($0): \(text(fields[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
