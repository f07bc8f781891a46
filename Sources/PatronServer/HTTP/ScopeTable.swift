import Foundation
import HTTPTypes
import Yams

/// Which scopes may call which operation, read from `x-scopes` in openapi.yaml: the document is the one place that
/// says who may do what, and the authorisation tests walk the same table.
struct ScopeTable: Sendable {
    /// One operation: its method, its path template split into segments (`nil` for a `{parameter}`), and its scopes.
    struct Operation: Sendable, Hashable {
        var method: HTTPRequest.Method
        var template: String
        var segments: [String?]
        var scopes: Set<String>
        var operationId: String
    }

    /// The scope that needs no key.
    static let publicScope = "public"
    /// The scope that may call everything.
    static let adminScope = "admin"
    /// Every scope a key can have.
    static let keyScopes: Set<String> = [adminScope, "storefront", "analytics"]

    let operations: [Operation]
    /// `operations` by their number of segments, in the same order: a request is matched against its own count only.
    private let bySegmentCount: [Int: [Operation]]

    /// Reads the table from an OpenAPI document; an operation without `x-scopes` is admin-only.
    init(document: String) throws {
        guard let root = try Yams.load(yaml: document) as? [String: Any], let paths = root["paths"] as? [String: Any] else {
            throw APIError.invalid("openapi.yaml has no paths")
        }
        var operations: [Operation] = []
        for (template, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for (method, operation) in item {
                guard let operation = operation as? [String: Any], let parsed = HTTPRequest.Method(method.uppercased()) else { continue }
                let scopes = (operation["x-scopes"] as? [String]).map(Set.init) ?? [Self.adminScope]
                let segments = template.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
                operations.append(
                    Operation(
                        method: parsed, template: template, segments: segments, scopes: scopes,
                        operationId: operation["operationId"] as? String ?? template))
            }
        }
        // Literal segments win over parameters (`/v1/analytics/totals` before `/v1/analytics/{analysis}`).
        self.operations = operations.sorted { $0.segments.compactMap { $0 }.count > $1.segments.compactMap { $0 }.count }
        bySegmentCount = Dictionary(grouping: self.operations, by: \.segments.count)
    }

    /// The scopes allowed on a request, or nil when no operation has this path and method.
    func scopes(method: HTTPRequest.Method, path: String) -> Set<String>? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var first: Operation?
        for operation in bySegmentCount[parts.count] ?? [] where RequestRules.matches(operation.segments, parts) {
            if operation.method == method { return operation.scopes }
            first = first ?? operation
        }
        // The path exists; a method it lacks is left to the router (405/404), so any key may ask.
        return first?.scopes
    }
}
