import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PatronCore
import PatronFiles
import PatronServices
import PatronTestSupport
import Testing

@testable import PatronConsole
@testable import PatronStore

/// A freshly started server that has not written (or a second server on the same PostgreSQL database) parses the
/// programme once per version for every page that reads it — the member zone's pages, the overview, the programme and
/// rewards pages — instead of once or twice per request, and still shows a version another process loads.
@Suite struct ConsoleProgramCacheTests {
    static let source = try! String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)

    @Test func aFreshServerParsesTheProgrammeOncePerVersionAcrossEveryPage() async throws {
        let database = TestDatabase.fresh()
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        // The process that loads the programme and the member: a CLI, or another server.
        let loader = try SQLStore.open(database, clock: clock)
        try await loader.migrate()
        _ = try await loader.loadProgram(try ProgramFile.parse(Self.source), source: Self.source)
        let member = try await loader.enroll(EnrollmentRequest(identities: [try Identity.customer("A1")], profile: Profile(name: "Ann")), key: nil)
        _ = try await loader.adjust(Adjustment(memberId: member.id, points: 1_234, reason: "welcome", actor: "test", key: "a1", at: clock.now()))
        let staff = try await StaffAccounts(context: ServiceContext(store: loader, clock: clock), bcryptCost: 4).create(
            username: "owner", displayName: "Owner", role: .owner, password: "correct horse battery", actor: "test")
        let token = Tokens.random()
        try await loader.createStaffSession(
            NewStaffSession(
                tokenHash: Tokens.sha256Hex(token), accountId: staff.id, csrfToken: Tokens.random(), createdAt: clock.now(),
                expiresAt: clock.now().addingTimeInterval(3_600)))

        // The server: a store of its own on the same database that only reads.
        let server = try SQLStore.open(database, clock: clock)
        let configuration = ConsoleConfiguration(memberLinkSecret: Array(repeating: 7, count: 32))
        let (router, _) = try await Console.build(context: ServiceContext(store: server, clock: clock), configuration: configuration)
        let sessions = MemberSessions(secret: configuration.memberLinkSecret, lifetime: configuration.memberSessionLifetime)
        let memberCookie = "\(MemberSessions.cookieName)=\(sessions.issue(memberID: member.id, now: clock.now()))"
        let staffCookie = "\(StaffSessions.cookieName)=\(token)"
        let pages = [
            ("/member/", memberCookie), ("/member/handbook", memberCookie), ("/member/rewards", memberCookie),
            ("/member/history", memberCookie), ("/member/?lang=zh-Hans", memberCookie),
            ("/console/", staffCookie), ("/console/program", staffCookie), ("/console/program/versions/1", staffCookie),
            ("/console/rewards", staffCookie), ("/console/members/\(member.id)", staffCookie),
        ]
        try await Application(router: router).test(.router) { client in
            func get(_ uri: String, _ cookie: String) async throws -> String {
                let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .ok, "GET \(uri)")
                return String(buffer: response.body)
            }
            for _ in 0..<3 {
                for (uri, cookie) in pages { _ = try await get(uri, cookie) }
            }
            #expect(server.programParses.load(ordering: .relaxed) == 1, "\(pages.count * 3) pages parse the programme once")

            // Another process loads a new version: the next page shows it, parsed once more.
            let renamed = Self.source.replacingOccurrences(of: "name: Northwind Gold Club", with: "name: Northwind Gold Club Two")
            #expect(renamed != Self.source)
            _ = try await loader.loadProgram(try ProgramFile.parse(renamed), source: renamed)
            #expect(try await get("/console/program", staffCookie).contains("Gold Club Two"))
            for (uri, cookie) in pages where !uri.hasPrefix("/console/program/versions/") { _ = try await get(uri, cookie) }
            #expect(server.programParses.load(ordering: .relaxed) == 2)
            // Version 1 is no longer the newest: only the newest is kept, so asking for version 1 parses it.
            _ = try await get("/console/program/versions/1", staffCookie)
            #expect(server.programParses.load(ordering: .relaxed) == 3)
        }
        #expect(loader.programParses.load(ordering: .relaxed) == 0, "the loader caches what it loads")
        await server.close()
        await loader.close()
    }
}
