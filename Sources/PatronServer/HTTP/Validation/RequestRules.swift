import Foundation
import HTTPTypes
import Yams

/// Every request rule openapi.yaml states — per operation its path, query and header parameters and its JSON body —
/// read once at start-up, so the document is the one place a limit is written.
struct RequestRules: Sendable {
    /// One parameter: where it is sent, its name, whether it must be there, and the rule for its value.
    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query, header }
        var location: Location
        var name: String
        var required: Bool
        var rule: SchemaRule
    }

    /// One operation: its method and path template, its parameters and its JSON body's rule.
    struct Operation: Sendable {
        var method: HTTPRequest.Method
        var template: String
        /// The template's segments; `nil` where a `{parameter}` is.
        var segments: [String?]
        /// The names of the template's `{parameters}` at their segments; `nil` where a literal is.
        var pathParameters: [String?]
        var parameters: [Parameter]
        var body: SchemaRule?
        var bodyRequired: Bool
        /// The media types of its successful answers (`application/json`, `text/html`), which `Accept` must allow.
        var answerTypes: [String]
    }

    /// What `match` found: the operation for the request's method, the template of the path, and the methods the path
    /// has (computed only for a 405's answer).
    struct Match {
        var operation: Operation?
        var template: String?
        fileprivate var owners: [Operation]
        var allowed: [HTTPRequest.Method] { owners.map(\.method).sorted { $0.rawValue < $1.rawValue } }
    }

    let operations: [Operation]
    /// `operations` by their number of segments, in the same order: a request is matched against its own count only.
    private let bySegmentCount: [Int: [Operation]]
    /// `operations` by their template: the methods one path has.
    private let byTemplate: [String: [Operation]]

    /// Reads the rules from an OpenAPI document.
    init(document: String) throws {
        guard let root = try Yams.load(yaml: document) as? [String: Any], let paths = root["paths"] as? [String: Any] else {
            throw APIError.invalid("openapi.yaml has no paths")
        }
        let components = root["components"] as? [String: Any] ?? [:]
        let schemas = components["schemas"] as? [String: Any] ?? [:]
        let sharedParameters = components["parameters"] as? [String: Any] ?? [:]
        let sharedResponses = components["responses"] as? [String: Any] ?? [:]
        func answerTypes(_ responses: Any?) -> [String] {
            let successes = (responses as? [String: Any] ?? [:]).filter { "\($0.key)".hasPrefix("2") }.values
            let types = successes.flatMap { response -> [String] in
                var response = response as? [String: Any] ?? [:]
                if let reference = response["$ref"] as? String {
                    response = sharedResponses[String(reference.split(separator: "/").last ?? "")] as? [String: Any] ?? [:]
                }
                return (response["content"] as? [String: Any] ?? [:]).keys.map { $0.lowercased() }
            }
            return Array(Set(types)).sorted()
        }
        func parameters(_ list: Any?) throws -> [Parameter] {
            try (list as? [Any] ?? []).compactMap { entry -> Parameter? in
                guard var parameter = entry as? [String: Any] else { return nil }
                if let reference = parameter["$ref"] as? String {
                    guard let target = sharedParameters[String(reference.split(separator: "/").last ?? "")] as? [String: Any] else {
                        throw APIError.invalid("openapi.yaml: cannot resolve \(reference)")
                    }
                    parameter = target
                }
                guard let name = parameter["name"] as? String, let location = (parameter["in"] as? String).flatMap(Parameter.Location.init)
                else {
                    return nil
                }
                return Parameter(
                    location: location, name: name, required: parameter["required"] as? Bool ?? (location == .path),
                    rule: try SchemaRule(parameter["schema"] as? [String: Any] ?? [:], components: schemas))
            }
        }
        var operations: [Operation] = []
        for (template, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            let common = try parameters(item["parameters"])
            for (method, operation) in item {
                guard let operation = operation as? [String: Any], let parsed = HTTPRequest.Method(method.uppercased()) else { continue }
                // An operation's own parameter replaces a path-level one of the same name and location.
                let own = try parameters(operation["parameters"])
                let merged = common.filter { shared in !own.contains { $0.name == shared.name && $0.location == shared.location } } + own
                let requestBody = operation["requestBody"] as? [String: Any]
                let json = ((requestBody?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                operations.append(
                    Operation(
                        method: parsed, template: template,
                        segments: template.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) },
                        pathParameters: template.split(separator: "/").map { $0.hasPrefix("{") ? String($0.dropFirst().dropLast()) : nil },
                        parameters: merged, body: try json.map { try SchemaRule($0, components: schemas) },
                        bodyRequired: requestBody?["required"] as? Bool ?? false, answerTypes: answerTypes(operation["responses"])))
            }
        }
        // Literal segments win over parameters (`/v1/analytics/totals` before `/v1/analytics/{analysis}`).
        self.operations = operations.sorted { $0.segments.compactMap { $0 }.count > $1.segments.compactMap { $0 }.count }
        bySegmentCount = Dictionary(grouping: self.operations, by: \.segments.count)
        byTemplate = Dictionary(grouping: self.operations, by: \.template)
    }

    /// What a request's path names: the operation for its method, or, when the path exists without that method, the
    /// methods it has; both nil for a path the document does not have.
    func match(method: HTTPRequest.Method, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // The most literal template that matches owns the path; its siblings with the same template share it.
        guard let best = bySegmentCount[parts.count]?.first(where: { Self.matches($0.segments, parts) }) else {
            return Match(operation: nil, template: nil, owners: [])
        }
        let owners = byTemplate[best.template] ?? [best]
        return Match(operation: owners.first { $0.method == method }, template: best.template, owners: owners)
    }

    /// Whether a template's segments (`nil` for a parameter) match a path's, of the same count.
    static func matches(_ segments: [String?], _ parts: [Substring]) -> Bool {
        for (segment, part) in zip(segments, parts) {
            if let segment, segment != part { return false }
        }
        return true
    }

    /// The values of a path's `{parameters}`, percent-decoded, by name; `.some(nil)` for one that is not valid
    /// percent-encoding (a `%` without two hex digits after it).
    static func pathValues(of operation: Operation, path: String) -> [String: String?] {
        var values: [String: String?] = [:]
        for (name, part) in zip(operation.pathParameters, path.split(separator: "/")) {
            guard let name else { continue }
            // Foundation's percent-decoding is costly; most values have nothing to decode.
            values[name] = part.utf8.contains(UInt8(ascii: "%")) ? String(part).removingPercentEncoding : String(part)
        }
        return values
    }
}
