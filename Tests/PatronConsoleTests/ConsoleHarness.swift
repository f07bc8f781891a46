import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import PatronTestSupport

@testable import PatronConsole

/// The console over a fresh store (SQLite, or PostgreSQL with `PATRON_TEST_BACKEND=postgres`) with the gold-club
/// programme and one staff account per role, driven in memory through HummingbirdTesting. Any suite may use it.
struct ConsoleHarness: Sendable {
    let store: SQLStore
    let clock: ManualClock
    let context: ServiceContext
    let configuration: ConsoleConfiguration
    let routes: [ConsoleRoute]
    let client: any TestClientProtocol
    /// The account of each role: username = the role's raw value with `-` removed (`owner`, `readonly` …).
    let accounts: [StaffRole: StaffAccount]

    /// The password of every harness account.
    static let password = "correct horse battery"

    /// A response with its body as text.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPFields
        var text: String
        /// The `Location` header.
        var location: String? { headers[.location] }
        /// The value a `Set-Cookie` header gives `name`, if any.
        func cookie(_ name: String) -> String? {
            for header in headers[values: .setCookie] where header.hasPrefix(name + "=") {
                return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
            }
            return nil
        }
    }

    /// A signed-in browser: its cookie header and the session's CSRF token.
    struct Browser: Sendable {
        var cookies: [String: String]
        var csrf: String
        var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    }

    /// Runs `body` against a console on a new store; `configure` may change the configuration.
    static func run(
        configure: (inout ConsoleConfiguration) -> Void = { _ in }, _ body: @Sendable (ConsoleHarness) async throws -> Void
    ) async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-02T10:00:00Z")!)
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        let program = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)
        _ = try await store.loadProgram(try ProgramFile.parse(program), source: program)
        let context = ServiceContext(store: store, clock: clock)
        var configuration = ConsoleConfiguration(memberLinkSecret: Array(repeating: 7, count: 32))
        configuration.bcryptCost = 4
        configure(&configuration)
        var accounts: [StaffRole: StaffAccount] = [:]
        let staff = StaffAccounts(context: context, bcryptCost: 4)
        for role in StaffRole.allCases {
            accounts[role] = try await staff.create(
                username: username(role), displayName: "The \(role.rawValue)", role: role, password: password, actor: "test")
        }
        let (router, routes) = try await Console.build(context: context, configuration: configuration)
        let table = routes.registry
        let known = accounts
        let settings = configuration
        try await Application(router: router).test(.router) { client in
            try await body(
                ConsoleHarness(
                    store: store, clock: clock, context: context, configuration: settings, routes: table, client: client, accounts: known))
        }
    }

    static func username(_ role: StaffRole) -> String { role.rawValue.replacingOccurrences(of: "-", with: "") }

    /// A browser signed in as `role`'s account, by a session made directly in the store (fast; the sign-in page has
    /// its own tests).
    func browser(_ role: StaffRole) async throws -> Browser {
        let token = Tokens.random()
        let csrf = Tokens.random()
        try await store.createStaffSession(
            NewStaffSession(
                tokenHash: Tokens.sha256Hex(token), accountId: accounts[role]!.id, csrfToken: csrf, createdAt: clock.now(),
                expiresAt: clock.now().addingTimeInterval(configuration.sessionLifetime.seconds)))
        return Browser(cookies: [StaffSessions.cookieName: token], csrf: csrf)
    }

    /// A browser signed in to the member zone as `memberID`.
    func memberBrowser(_ memberID: Int64) -> Browser {
        let sessions = MemberSessions(secret: configuration.memberLinkSecret, lifetime: configuration.memberSessionLifetime)
        let value = sessions.issue(memberID: memberID, now: clock.now())
        return Browser(cookies: [MemberSessions.cookieName: value], csrf: sessions.read(value, now: clock.now())!.csrfToken)
    }

    /// GET `uri` as `browser` (nil: signed out).
    func get(_ uri: String, as browser: Browser? = nil, headers extra: HTTPFields = [:]) async throws -> Answer {
        try await send(.get, uri, as: browser, body: nil, headers: extra)
    }

    /// POST `fields` url-encoded to `uri` as `browser`, adding its CSRF token unless `csrf` says otherwise
    /// (`.some(nil)`: send none).
    func post(_ uri: String, _ fields: [(String, String)] = [], as browser: Browser?, csrf: String?? = .none) async throws -> Answer {
        var all = fields
        switch csrf {
        case .none: if let token = browser?.csrf { all.append(("csrf", token)) }
        case .some(.some(let token)): all.append(("csrf", token))
        case .some(.none): break
        }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, uri, as: browser, body: body, headers: [.contentType: "application/x-www-form-urlencoded"])
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, as browser: Browser?, body: String?, headers extra: HTTPFields) async throws -> Answer {
        var headers = extra
        if let browser, !browser.cookies.isEmpty { headers[.cookie] = browser.cookieHeader }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
