import Foundation
import OpenAPIRuntime
import PatronCore
import PatronServices
import PatronStore

/// Implements the operations of openapi.yaml over a `Store`. Authentication, scopes, rate limits and the error shape
/// are middleware; a handler only translates between the generated types and the domain.
struct APIHandler: APIProtocol {
    let store: any Store
    /// The text of openapi.yaml, served as it is.
    let document: String
    /// The Prometheus text of the process's metrics.
    let metricsText: @Sendable () -> String
    /// Now; tests pass a fixed clock.
    let now: @Sendable () -> Date
    /// The signed links of messages (unsubscribe, consent confirmation) the public pages check, when configured.
    var signedLinks: UnsubscribeLink? = nil
    /// Open and click tracking of messages, when configured (`APIServerConfiguration.tracking`).
    var tracking: MessageTracking? = nil

    /// The member a path or body names: an id, or an identity as KIND:VALUE. A path's reference arrives decoded (by the
    /// OpenAPI runtime, or by `DirectRoutes`) and is not decoded again: `customer:p%2541` names the customer `p%41`.
    func member(_ reference: String) async throws -> Member {
        try await store.member(reference: reference)
    }

    /// The program in force; without one nothing can be earned or quoted.
    func program() async throws -> ProgramVersion {
        guard let current = try await store.currentProgram() else {
            throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE`")
        }
        return current
    }

    /// The caller's name as the actor of manual entries and audit records.
    var actor: String { Caller.current?.actor ?? "unknown" }

    /// A client-given instant, checked against the range the ledger accepts.
    func instant(_ date: Date?, field: String) throws -> Date {
        guard let date else { return now() }
        guard OrderEvent.acceptedTimes.contains(date) else {
            throw APIError.invalid("\(field) must be between 1970 and 2200", fields: [.init(path: field, message: "out of range")])
        }
        return date
    }

    /// A request body's schema value as a domain value (their JSON is the same); a domain check failing is bad input.
    func domain<Target: Decodable>(_ value: some Encodable, as target: Target.Type = Target.self, field: String) throws -> Target {
        do {
            return try Bridge.convert(value, to: Target.self)
        } catch let error as DecodingError {
            var problem = error.fieldProblem
            problem.path = problem.path.isEmpty ? field : field + "." + problem.path
            throw APIError.invalid("\(problem.path): \(problem.message)", fields: [problem])
        }
    }
}
