import Foundation
import Logging
import PatronCore
@testable import PatronServer
import Synchronization
import Testing

/// A log handler that keeps every line, for tests that read what was logged.
final class CapturedLog: LogHandler, @unchecked Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Line]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var lines: [Line] { storage.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = Line(
            level: event.level, message: "\(event.message)", metadata: (event.metadata ?? [:]).mapValues { "\($0)" })
        storage.withLock { $0.append(line) }
    }

    var logger: Logger { Logger(label: "captured") { _ in self } }
}

@Suite struct RequestLogTests {
    @Test func everyRequestIsLoggedOnceWithItsStatusDurationRouteAndKey() async throws {
        let log = CapturedLog()
        try await TestAPI.run(requestLogger: log.logger) { api in
            let id = try await api.enroll("logged")
            _ = try await api.call(.get, "/v1/members/email:ann@example.com", as: "storefront")
            _ = try await api.call(
                .post, "/v1/members/\(id)/adjustments", json: #"{"points": 1.5, "reason": "r"}"#, headers: ["Idempotency-Key": "l1"])
            _ = try await api.call(.get, "/v1/members/\(id)", as: nil)
            _ = try await api.call(.put, "/v1/members")
            let keys = try await api.store.apiKeys()
            let lines = log.lines
            #expect(lines.count == 5, "\(lines.map(\.message))")
            #expect(lines.map { $0.metadata["status"] } == ["201", "404", "400", "401", "405"], "\(lines.map(\.metadata))")
            #expect(lines.map { $0.metadata["method"] } == ["POST", "GET", "POST", "GET", "PUT"])
            #expect(lines[1].metadata["path"] == "/v1/members/{member}", "the route, not the member's email")
            #expect(
                !lines.contains { $0.message.contains("ann@example.com") || $0.metadata.values.contains { $0.contains("ann@example.com") } }
            )
            #expect(lines.allSatisfy { Double($0.metadata["ms"] ?? "") != nil })
            let storefront = try #require(keys.first { $0.name == "test-storefront" })
            let admin = try #require(keys.first { $0.name == "test-admin" })
            #expect(lines[1].metadata["key"] == String(storefront.id) && lines[0].metadata["key"] == String(admin.id))
            #expect(lines[3].metadata["key"] == "-", "no key was presented")
            #expect(!lines.contains { $0.metadata.values.contains { $0.contains("pk_") } }, "no secret is logged")
        }
    }
}
