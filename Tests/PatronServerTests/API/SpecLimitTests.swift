import Foundation
import HTTPTypes
import PatronCore
@testable import PatronServer
import PatronServices
import Testing
import Yams

/// Walks openapi.yaml itself (not the server's reading of it) and proves that every limit it states for a request —
/// `maxLength`, `minLength`, `maximum`, `minimum`, `pattern`, `maxItems`, `minItems`, on a body field, a path, query
/// or header parameter — is refused one step past the limit with a 400 naming the field, and accepted at the limit.
@Suite struct SpecLimitTests {
    /// One request that probes one limit.
    struct Probe: CustomStringConvertible, Sendable {
        var operation: String
        var method: HTTPRequest.Method
        var limit: String
        /// The field's body path or parameter name, and where it is sent.
        var field: String
        var location: String
        var atLimit: Request
        var overLimit: Request
        var description: String { "\(method.rawValue) \(operation) \(location) \(field) \(limit)" }
    }

    struct Request: Sendable {
        var path: String
        var query: [String: String] = [:]
        var headers: [String: String] = [:]
        /// The body as JSON text.
        var body: String?
        var uri: String {
            guard !query.isEmpty else { return path }
            var components = URLComponents()
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            return path + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
    }

    /// A value of a schema, and the values that sit exactly at and one past each of its limits.
    struct Variant {
        var path: String
        var limit: String
        var at: Any
        var over: Any
    }

    /// Strings that match the document's patterns, of any length from 10 up (or the pattern's `maxLength`, if less): a
    /// new pattern needs an entry here.
    static let patternSeeds: [String: @Sendable (Int) -> String] = [
        "^([1-9][0-9]{0,17}|(customer|email|phone|card|social:[A-Za-z0-9_-]+):.+)$": { length in
            "customer:" + String(repeating: "a", count: max(1, length - 9))
        },
        "^(customer|email|phone|card|social:\\S+)$": { length in "social:" + String(repeating: "a", count: max(1, length - 7)) },
        "^[A-Za-z]{3}$": { length in String(repeating: "A", count: length) },
        "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+([/?#]\\S*)?$": { length in
            "https://shop.example/" + String(repeating: "a", count: max(0, length - 21))
        },
        "^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$": languageTag,
    ]

    /// A BCP-47 tag of `length` characters: a language (and script or region) and as many 5–8 letter variants as fill it.
    static func languageTag(_ length: Int) -> String {
        for prefix in ["en", "eng", "en-GB", "zh-Hans", "zh-Hans-CN"] {
            let rest = length - prefix.count  // filled by "-" and a variant of 5 to 8 letters: 6 to 9 characters each
            if rest == 0 { return prefix }
            let parts = (rest + 8) / 9
            guard rest > 0, parts * 6 <= rest else { continue }
            var sizes = Array(repeating: 6, count: parts)
            for index in 0..<(rest - parts * 6) { sizes[index % parts] += 1 }
            return prefix + sizes.map { "-" + String(repeating: "v", count: $0 - 1) }.joined()
        }
        return String(repeating: "a", count: length)  // no tag of that length: the pattern refuses it too
    }

    let document: [String: Any]
    let schemas: [String: Any]
    let parameters: [String: Any]

    init() throws {
        document = try #require(try Yams.load(yaml: APIServer.document) as? [String: Any])
        let components = document["components"] as? [String: Any] ?? [:]
        schemas = components["schemas"] as? [String: Any] ?? [:]
        parameters = components["parameters"] as? [String: Any] ?? [:]
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String else { return schema }
        return resolve(schemas[String(reference.split(separator: "/").last!)] as? [String: Any] ?? [:])
    }

    /// A string of `length` characters that this schema otherwise accepts.
    func string(_ schema: [String: Any], length: Int) throws -> String {
        if let pattern = schema["pattern"] as? String {
            let seed = try #require(
                Self.patternSeeds[pattern], "no seed for the pattern \(pattern): add one to SpecLimitTests.patternSeeds")
            return seed(length)
        }
        return String(repeating: "a", count: length)
    }

    /// The smallest value the schema accepts.
    func minimal(_ schema: [String: Any]) throws -> Any {
        let schema = resolve(schema)
        if let values = schema["enum"] as? [Any] { return values[0] }
        switch schema["type"] as? String {
        case "string":
            switch schema["format"] as? String {
            case "date": return "2026-01-01"
            case "date-time": return "2026-03-01T10:00:00Z"
            default:
                let length = max(schema["minLength"] as? Int ?? 1, schema["pattern"] == nil ? 1 : 10)
                return try string(schema, length: min(length, schema["maxLength"] as? Int ?? length))
            }
        case "integer", "number": return max(schema["minimum"] as? Int ?? 1, 1)
        case "boolean": return true
        case "array":
            let item = try minimal(schema["items"] as? [String: Any] ?? [:])
            return Array(repeating: item, count: schema["minItems"] as? Int ?? 0)
        default:
            var object: [String: Any] = [:]
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] {
                object[name] = try minimal(properties[name] as? [String: Any] ?? [:])
            }
            return object
        }
    }

    /// Every limit of `schema` and of the values inside it, each as a whole value at and one past the limit.
    func variants(_ schema: [String: Any], path: String) throws -> [Variant] {
        let schema = resolve(schema)
        var found: [Variant] = []
        func join(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        switch schema["type"] as? String {
        case "string":
            if let max = schema["maxLength"] as? Int {
                found.append(
                    Variant(
                        path: path, limit: "maxLength \(max)", at: try string(schema, length: max),
                        over: try string(schema, length: max + 1)))
            }
            if let min = schema["minLength"] as? Int, min > 0, schema["pattern"] == nil {
                found.append(
                    Variant(
                        path: path, limit: "minLength \(min)", at: try string(schema, length: min),
                        over: String(repeating: "a", count: min - 1)))
            }
            if schema["pattern"] != nil {
                let length = min(12, schema["maxLength"] as? Int ?? 12)
                found.append(Variant(path: path, limit: "pattern", at: try string(schema, length: length), over: "not-a-match"))
            }
        case "integer", "number":
            if let max = schema["maximum"] as? Int { found.append(Variant(path: path, limit: "maximum \(max)", at: max, over: max + 1)) }
            if let min = schema["minimum"] as? Int { found.append(Variant(path: path, limit: "minimum \(min)", at: min, over: min - 1)) }
        case "array":
            let itemSchema = schema["items"] as? [String: Any] ?? [:]
            let item = try minimal(itemSchema)
            let least = schema["minItems"] as? Int ?? 0
            if let max = schema["maxItems"] as? Int {
                found.append(
                    Variant(
                        path: path, limit: "maxItems \(max)", at: Array(repeating: item, count: max),
                        over: Array(repeating: item, count: max + 1)))
            }
            if least > 0 {
                found.append(
                    Variant(
                        path: path, limit: "minItems \(least)", at: Array(repeating: item, count: least),
                        over: Array(repeating: item, count: least - 1)))
            }
            for inner in try variants(itemSchema, path: path + "[0]") {
                let filler = Array(repeating: item, count: Swift.max(least - 1, 0))
                found.append(Variant(path: inner.path, limit: inner.limit, at: [inner.at] + filler, over: [inner.over] + filler))
            }
        case "object":
            let base = try minimal(schema) as? [String: Any] ?? [:]
            for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
                for inner in try variants(property as? [String: Any] ?? [:], path: join(name)) {
                    var at = base, over = base
                    at[name] = inner.at
                    over[name] = inner.over
                    found.append(Variant(path: inner.path, limit: inner.limit, at: at, over: over))
                }
            }
        default:
            break
        }
        return found
    }

    /// A probe for every limit of every request in the document.
    func probes() throws -> [Probe] {
        var probes: [Probe] = []
        for (template, item) in try #require(document["paths"] as? [String: Any]) {
            let item = item as? [String: Any] ?? [:]
            for (method, operation) in item {
                guard let operation = operation as? [String: Any], let method = HTTPRequest.Method(method.uppercased()) else { continue }
                let declared = ((item["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? [])).compactMap {
                    entry -> [String: Any]? in
                    guard let entry = entry as? [String: Any] else { return nil }
                    guard let reference = entry["$ref"] as? String else { return entry }
                    return parameters[String(reference.split(separator: "/").last!)] as? [String: Any]
                }
                // A request that is valid in every respect: each parameter and the body at their minimal values.
                var base = Request(path: template)
                func place(_ parameter: [String: Any], _ value: Any, in request: inout Request) {
                    let name = parameter["name"] as! String
                    let text = "\(value)"
                    switch parameter["in"] as! String {
                    case "path":
                        let encoded =
                            text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
                            ?? text
                        request.path = request.path.replacingOccurrences(of: "{\(name)}", with: encoded)
                    case "query": request.query[name] = text
                    default: request.headers[name] = text
                    }
                }
                for parameter in declared where parameter["required"] as? Bool ?? false {
                    place(parameter, try minimal(parameter["schema"] as? [String: Any] ?? [:]), in: &base)
                }
                let bodySchema =
                    (((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])?[
                        "schema"]
                    as? [String: Any]
                if let bodySchema { base.body = try Self.json(try minimal(bodySchema)) }
                let name = "\(template)"
                for parameter in declared {
                    // An empty path segment is another path, not an empty parameter: that limit cannot be crossed.
                    let crossable = try variants(parameter["schema"] as? [String: Any] ?? [:], path: "").filter {
                        !(parameter["in"] as? String == "path" && "\($0.over)".isEmpty)
                    }
                    for variant in crossable {
                        var at = base, over = base
                        at.path = template
                        over.path = template
                        for other in declared
                        where other["name"] as? String != parameter["name"] as? String && other["required"] as? Bool ?? false {
                            place(other, try minimal(other["schema"] as? [String: Any] ?? [:]), in: &at)
                            place(other, try minimal(other["schema"] as? [String: Any] ?? [:]), in: &over)
                        }
                        place(parameter, variant.at, in: &at)
                        place(parameter, variant.over, in: &over)
                        probes.append(
                            Probe(
                                operation: name, method: method, limit: variant.limit, field: parameter["name"] as! String,
                                location: parameter["in"] as! String, atLimit: at, overLimit: over))
                    }
                }
                if let bodySchema {
                    for variant in try variants(bodySchema, path: "") {
                        var at = base, over = base
                        at.body = try Self.json(variant.at)
                        over.body = try Self.json(variant.over)
                        probes.append(
                            Probe(
                                operation: name, method: method, limit: variant.limit, field: variant.path, location: "body", atLimit: at,
                                overLimit: over))
                    }
                }
            }
        }
        return probes
    }

    @Test func theWalkFindsTheLimitsTheIssueNamed() throws {
        let probes = try probes()
        #expect(probes.contains { $0.field == "reason" && $0.limit == "maxLength 500" && $0.location == "body" })
        #expect(probes.contains { $0.field == "Idempotency-Key" && $0.limit == "maxLength 200" && $0.location == "header" })
        #expect(probes.contains { $0.field == "order.lines[0].quantity" && $0.limit == "maximum 1000000" })
        #expect(probes.contains { $0.field == "member" && $0.limit == "pattern" && $0.location == "path" })
        #expect(probes.contains { $0.field == "limit" && $0.location == "query" && $0.limit == "maximum 1000" })
        #expect(probes.count > 100, "\(probes.count) probes")
    }

    @Test func everyStatedLimitIsRefusedPastItAndAcceptedAtIt() async throws {
        let probes = try probes()
        try await TestAPI.run(configure: {
            $0.requestsPerSecond = 1_000_000; $0.burst = 1_000_000; $0.maxBodyBytes = 4 << 20
            // The message links' pages then read the tokens they are given (and refuse them as unsigned) instead of answering 404.
            $0.unsubscribe = try! UnsubscribeLink(secret: Data(repeating: 2, count: 32), base: "https://loyalty.shop.example/unsubscribe")
        }) { api in
            for probe in probes {
                let over = try await Self.send(probe.overLimit, probe.method, api)
                let named = over.errorDetails.contains {
                    $0["path"] as? String == probe.field && $0["location"] as? String == probe.location
                }
                #expect(
                    over.status == 400 && over.errorCode == "invalid_input" && named,
                    "\(probe) past the limit: \(over.status) \(over.text.prefix(300))")
                let message = (over.object["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(probe.field), "\(probe): the message names the field: \(message.prefix(300))")

                let at = try await Self.send(probe.atLimit, probe.method, api)
                let refused =
                    at.status == 400
                    && at.errorDetails.contains { $0["path"] as? String == probe.field && $0["location"] as? String == probe.location }
                #expect(!refused, "\(probe) at the limit: \(at.status) \(at.text.prefix(300))")
            }
        }
    }

    static func send(_ request: Request, _ method: HTTPRequest.Method, _ api: TestAPI) async throws -> TestAPI.Answer {
        try await api.call(method, request.uri, json: request.body, headers: request.headers)
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
    }
}
