import Foundation
import HTTPTypes
@testable import PatronServer
import Testing

/// Every operation of openapi.yaml × every scope × no key: the document's `x-scopes` is what the server enforces.
@Suite struct AuthorizationMatrixTests {
    /// A value for each path parameter, so that each route is reached.
    static let parameters = [
        "member": "1", "redemption": "1", "reward": "mug", "partner": "corner-bakery", "analysis": "rfm", "webhook": "1", "delivery": "1", "ticket": "1", "compensation": "1",
    ]

    static func uri(_ operation: ScopeTable.Operation) -> String {
        var path = operation.template
        for (name, value) in parameters { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return operation.operationId == "getSettlement" ? path + "?from=2026-01-01&to=2026-01-31" : path
    }

    @Test func everyRouteAnswersEveryScopeAsTheDocumentSays() async throws {
        let table = try ScopeTable(document: APIServer.document)
        #expect(table.operations.count >= 30)  // the table parsed the whole document
        try await TestAPI.run { api in
            _ = try await api.enroll("C-1")
            for operation in table.operations {
                let uri = Self.uri(operation)
                let hasBody = [HTTPRequest.Method.post, .put, .patch].contains(operation.method)
                let isPublic = operation.scopes.contains(ScopeTable.publicScope)
                for scope in [nil, "admin", "storefront", "analytics"] {
                    let answer = try await api.call(
                        operation.method, uri, as: scope, json: hasBody ? "{}" : nil, headers: ["Idempotency-Key": "matrix-\(scope ?? "none")"])
                    let label = "\(operation.method) \(uri) as \(scope ?? "no key"): \(answer.status) \(answer.text.prefix(200))"
                    #expect(answer.status < 500, "\(label)")
                    if isPublic {
                        #expect(answer.status == 200, "\(label)")
                    } else if scope == nil {
                        #expect(answer.status == 401 && answer.errorCode == "unauthorized", "\(label)")
                    } else if scope == "admin" || operation.scopes.contains(scope!) {
                        #expect(answer.status != 401 && answer.status != 403, "\(label)")
                    } else {
                        #expect(answer.status == 403 && answer.errorCode == "forbidden", "\(label)")
                    }
                }
            }
        }
    }
}
