import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PatronCore
import PatronStore
import Testing

@testable import PatronServer

/// `patron serve` puts the console beside the API through `PathDispatcher`: console paths never meet the API's
/// middleware (keys, rate limits, validation), and API paths never reach the console.
@Suite struct PathDispatcherTests {
    static func run(_ body: @Sendable (any TestClientProtocol, String) async throws -> Void) async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let store = try await temporaryStore(try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8), clock: clock)
        let issuer = APIKeyIssuer(store: store)
        let secret = try await issuer.create(name: "ops", scopes: [.admin], actor: "test", at: clock.now()).secret
        var configuration = APIServerConfiguration()
        configuration.runsJobs = false
        let api = try APIServer.router(store: store, authenticator: issuer, configuration: configuration, now: { clock.now() })
        // The console's stand-in answers with what it saw, so the test can tell who answered.
        let console = PrefixResponder(prefixes: ["/console", "/member"]) { request, _ in
            let sawKey = request.headers[.authorization] != nil
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "console saw key: \(sawKey)")))
        }
        try await Application(responder: PathDispatcher(api: api.buildResponder(), extra: console)).test(.router) { client in
            try await body(client, secret)
        }
    }

    @Test func consolePathsGoToTheConsoleWithoutTheAPIsKeyCheck() async throws {
        try await Self.run { client, _ in
            for path in ["/console", "/console/", "/console/members/1", "/member/", "/member/sign-in?x=1"] {
                let response = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
                #expect(response.status == .ok, "\(path)")
                #expect(String(buffer: response.body) == "console saw key: false", "\(path)")
            }
        }
    }

    @Test func apiPathsStillNeedAKeyAndACookieOpensNothing() async throws {
        try await Self.run { client, secret in
            let cookieOnly = try await client.execute(
                uri: "/v1/members/1", method: .get, headers: [.cookie: "patron_staff=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"], body: nil)
            #expect(cookieOnly.status == .unauthorized)
            let withKey = try await client.execute(uri: "/v1/members/1", method: .get, headers: [.authorization: "Bearer \(secret)"], body: nil)
            #expect(withKey.status != .unauthorized)
            // A path that only starts like a console prefix belongs to the API.
            let lookalike = try await client.execute(uri: "/consoles", method: .get, headers: [:], body: nil)
            #expect(lookalike.status == .unauthorized || lookalike.status == .notFound)
        }
    }
}
