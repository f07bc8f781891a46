import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PatronCore
@testable import PatronServer
import PatronStore

/// A Patron API over a fresh SQLite store with the gold-club program and one key per scope, driven in memory.
struct TestAPI: Sendable {
    let store: SQLStore
    let clock: ManualClock
    /// A secret per scope name.
    let keys: [String: String]
    let client: any TestClientProtocol

    /// A response with its body parsed as JSON when it is JSON.
    struct Answer {
        var status: Int
        var headers: HTTPFields
        var text: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        /// The error code of an error answer.
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
        /// The error details of an error answer.
        var errorDetails: [[String: Any]] { (object["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? [] }
    }

    /// The default program with a ten-year idempotency window, for tests that send months of history through the API.
    static func programKeepingKeysTenYears() throws -> String {
        try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + Self.rewards + "\nidempotency: { retentionDays: 3650 }\n"
    }

    /// Runs `body` against a router on a new store; `configure` may tighten limits; `generatedOnly` answers every
    /// operation through the generated handlers (the reference `DirectRoutes` is held to).
    static func run(
        program: String? = nil, configure: (inout APIServerConfiguration) -> Void = { _ in }, requestLogger: Logger? = nil,
        drain: ShutdownDrain = ShutdownDrain(), generatedOnly: Bool = false,
        _ body: @Sendable (TestAPI) async throws -> Void
    ) async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let text = try program ?? String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + Self.rewards
        let store = try await temporaryStore(text, clock: clock)
        let issuer = APIKeyIssuer(store: store)
        var keys: [String: String] = [:]
        for scope in APIScope.allCases {
            keys[scope.rawValue] = try await issuer.create(name: "test-\(scope.rawValue)", scopes: [scope], actor: "test", at: clock.now()).secret
        }
        var configuration = APIServerConfiguration()
        configuration.runsJobs = false
        configure(&configuration)
        let router = try APIServer.router(store: store, authenticator: issuer, configuration: configuration, now: { clock.now() }, requestLogger: requestLogger, drain: drain,
            generatedOnly: generatedOnly)
        let secrets = keys
        try await Application(router: router).test(.router) { client in
            try await body(TestAPI(store: store, clock: clock, keys: secrets, client: client))
        }
    }

    /// Two rewards added to the gold-club example for these tests.
    static let rewards = """

        rewards:
          - { id: coupon-5, name: 5 dollars off, kind: coupon, cost: 500, coupon: { value: "5.00", minimumSpend: "20.00", validDays: 30 } }
          - { id: mug, name: Mug, kind: gift, cost: 1000, stock: 10 }

        """

    /// Sends `json` (raw text) with the key of `scope` (nil: no key; an unknown name is sent as the secret itself).
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as scope: String? = "admin", json: String? = nil, headers extra: [String: String] = [:]
    ) async throws -> Answer {
        var headers = HTTPFields()
        if let scope { headers[.authorization] = "Bearer \(keys[scope] ?? scope)" }
        if json != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    /// Enrolls a member by customer id and returns their id.
    func enroll(_ customer: String) async throws -> Int64 {
        let answer = try await call(.post, "/v1/members", json: #"{"identities": [{"kind": "customer", "value": "\#(customer)"}]}"#)
        guard answer.status == 201, let id = answer.object["id"] as? Int else { throw PatronError(.invalidInput, "enroll failed: \(answer.text)") }
        return Int64(id)
    }
}
