import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PatronCore
@testable import PatronServer
@testable import PatronStore
import PatronFiles
import PatronTestSupport
import Testing

/// A server that only reads (one that has not written since it started, or a second server on PostgreSQL) parses the
/// program once per version, not on every checkout quote, and still sees a version another process loads.
@Suite struct ProgramCacheTests {
    static func program(_ name: String) -> String {
        """
        name: \(name)
        currency: USD
        timeZone: UTC
        enrollment: open
        earning: { points: 1, per: "1.00" }
        """
    }

    @Test func aReaderParsesEachVersionOnceAndSeesAVersionLoadedElsewhere() async throws {
        let database = TestDatabase.fresh()
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let loader = try SQLStore.open(database, clock: clock)
        try await loader.migrate()
        _ = try await loader.loadProgram(try ProgramFile.parse(Self.program("First")), source: Self.program("First"))
        let member = try await loader.enroll(EnrollmentRequest(identities: [try Identity.customer("c1")]), key: nil)

        // Another store on the same database: a second server, or this one before its first write.
        let reader = try SQLStore.open(database, clock: clock)
        for _ in 0..<5 {
            #expect(try await reader.currentProgram()?.program.name == "First")
            _ = try await reader.earningContext(member: member.id, at: clock.now())
        }
        #expect(reader.programParses.load(ordering: .relaxed) == 1, "a quote reads the program twice; five quotes parse it once")

        _ = try await loader.loadProgram(try ProgramFile.parse(Self.program("Second")), source: Self.program("Second"))
        #expect(try await reader.currentProgram()?.program.name == "Second", "the running reader sees the new version")
        for _ in 0..<3 { _ = try await reader.earningContext(member: member.id, at: clock.now()) }
        #expect(reader.programParses.load(ordering: .relaxed) == 2)
        #expect(loader.programParses.load(ordering: .relaxed) == 0, "the loader caches what it loads")
        await reader.close()
        await loader.close()
    }

    @Test func aFreshServerParsesTheProgramOnceAcrossQuotesReadsAndSimulations() async throws {
        let database = TestDatabase.fresh()
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let text = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
        let loader = try SQLStore.open(database, clock: clock)
        try await loader.migrate()
        _ = try await loader.loadProgram(try ProgramFile.parse(text), source: text)
        _ = try await loader.enroll(EnrollmentRequest(identities: [try Identity.customer("c1")]), key: nil)
        let secret = try await APIKeyIssuer(store: loader).create(name: "shop", scopes: [.storefront], actor: "test", at: clock.now()).secret

        // A server started on that database: it has parsed nothing and written nothing.
        let server = try SQLStore.open(database, clock: clock)
        var configuration = APIServerConfiguration()
        configuration.runsJobs = false
        let router = try APIServer.router(store: server, authenticator: APIKeyIssuer(store: server), configuration: configuration, now: { clock.now() })
        let cart = #"{"lines": [{"sku": "BEANS", "category": "coffee", "quantity": 2, "unitPrice": 2000}], "shipping": 700}"#
        try await Application(router: router).test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> Int {
                var headers: HTTPFields = [.authorization: "Bearer \(secret)"]
                if body != nil { headers[.contentType] = "application/json" }
                return Int(try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }).status.code)
            }
            var statuses: [Int] = []
            for _ in 0..<5 {
                statuses.append(try await call(.post, "/v1/members/customer:c1/quote", #"{"cart": \#(cart)}"#))
                statuses.append(try await call(.get, "/v1/members/customer:c1"))
                statuses.append(try await call(.get, "/v1/members/customer:c1/statement"))
                statuses.append(try await call(.post, "/v1/simulate/order", #"{"cart": \#(cart), "level": "Gold"}"#))
                statuses.append(try await call(.get, "/v1/rewards"))
            }
            #expect(statuses == Array(repeating: 200, count: 25))
        }
        #expect(server.programParses.load(ordering: .relaxed) == 1, "five rounds of quotes, reads, simulations and catalogues parse the program once")
        await server.close()
        await loader.close()
    }
}
