import Foundation
import HTTPTypes
@testable import PatronServer
import PatronCore
import PatronServices
import Testing

/// Every operation of openapi.yaml × every scope × no key: the document's `x-scopes` is what the server enforces.
@Suite struct AuthorizationMatrixTests {
    /// A value for each path parameter, so that each route is reached.
    static let parameters = [
        "member": "1", "redemption": "1", "reward": "mug", "partner": "corner-bakery", "analysis": "rfm", "webhook": "1", "delivery": "1", "ticket": "1", "compensation": "1",
    ]

    /// Message tracking, so that a tracked link's route is reached with a link it signed.
    static let tracking = try! MessageTracking(secret: Data(repeating: 3, count: 32), base: "https://loyalty.shop.example")

    /// The signed links of messages, so that the unsubscribe and confirmation pages are reached with tokens they signed:
    /// member 1's sms (unsubscribing changes nothing there) and the pending e-mail request 1 of member 2, whom no route
    /// erases (the matrix erases member 1, and an erased member's confirmation link is refused).
    static let links = try! UnsubscribeLink(secret: Data(repeating: 4, count: 32), base: "https://loyalty.shop.example/unsubscribe")
    static let linkURIs = [
        "showUnsubscribe": "/unsubscribe?token=" + links.token(member: 1, channel: .sms),
        "unsubscribe": "/unsubscribe?token=" + links.token(member: 1, channel: .sms),
        "showConsentConfirmation": "/consent/confirm?token=" + links.confirmation!.token(member: 2, channel: "email", request: 1),
        "confirmConsent": "/consent/confirm?token=" + links.confirmation!.token(member: 2, channel: "email", request: 1),
    ]
    /// The example program with double opt-in, so that member 1's e-mail grant is a pending request.
    static let program = try! String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + TestAPI.rewards + "\nconsent:\n  doubleOptIn: true\n"

    static func uri(_ operation: ScopeTable.Operation) -> String {
        if let uri = linkURIs[operation.operationId] { return uri }
        if operation.operationId == "followMessageLink" {
            return "/track/click/" + tracking.clickToken(message: 1, url: "https://shop.example/") + "?url=" + MessageTracking.queryEncoded("https://shop.example/")
        }
        if operation.operationId == "trackMessageOpen" { return "/track/open/" + tracking.openToken(message: 1) }
        var path = operation.template
        for (name, value) in parameters { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return operation.operationId == "getSettlement" ? path + "?from=2026-01-01&to=2026-01-31" : path
    }

    @Test func everyRouteAnswersEveryScopeAsTheDocumentSays() async throws {
        let table = try ScopeTable(document: APIServer.document)
        #expect(table.operations.count >= 30)  // the table parsed the whole document
        try await TestAPI.run(program: Self.program, configure: { $0.tracking = Self.tracking; $0.unsubscribe = Self.links }) { api in
            _ = try await api.enroll("C-1")
            let confirming = try await api.enroll("C-2")
            _ = try await api.store.updateMember(confirming, profile: ProfileUpdate(consents: ["email": true]), addIdentities: [], key: nil)  // request 1, pending
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
                        // A tracked link answers with its redirect.
                        #expect(answer.status == (operation.operationId == "followMessageLink" ? 302 : 200), "\(label)")
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
