import ArgumentParser
import Foundation
import Logging
import PatronConsole
import PatronCore
import PatronServer
import PatronServices
import PatronStore

/// `patron serve`: the HTTP API, with the background jobs, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (see openapi.yaml), the staff console and the member zone, and run the background jobs.",
        discussion: """
            Every route except /health needs an API key: create one with `patron keys create --scope admin --name ops`.
            The staff console is at /console (accounts: `patron users create`) and the member zone at /member; they
            have their own sessions, which do not open the API, and API keys do not open them. Member sign-in links
            are signed with PATRON_MEMBER_LINK_SECRET (at least 32 characters).
            On SIGTERM the server drains for --drain-seconds (it still answers, with Connection: close, and /ready
            answers 503 so a load balancer moves on), then stops accepting connections, finishes the requests in
            flight (and so every queued write) and exits.
            A SQLite file is served by one process: a second `patron serve` on the same file refuses to start (run
            several servers on PostgreSQL).
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0: any free port, printed at start).") var port = 8080
    @Option(help: "The largest request body in bytes.") var maxBody = 1 << 20
    @Option(help: "Requests a second per API key.") var rateLimit = 100.0
    @Option(help: "Requests a key may send at once above the rate.") var burst = 200.0
    @Option(help: "Seconds between runs of activation, expiry and the campaigns job (start, finish, assign new segment members).") var jobInterval = 60
    @Option(help: "Seconds between passes that re-evaluate members whose points or level changed against dynamic segments.") var segmentInterval = 5.0
    @Option(help: "Announce lots expiring within this many days (points.expiring).") var expiringNoticeDays = 7
    @Option(help: "On SIGTERM, seconds to go on answering (with Connection: close, /ready 503) before closing the listener.")
    var drainSeconds = 2.0
    @Flag(help: "Do not run background jobs or webhook delivery in this process.") var noJobs = false
    @Option(help: "The log level: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @Flag(help: "Create the SQLite database if it does not exist (without it a missing file is refused).") var create = false
    @Flag(help: "Mark console cookies Secure (serve behind TLS).") var secureCookies = false

    func run() async throws {
        try await reportingErrors {
            guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: '\(logLevel)' is not a level") }
            guard drainSeconds.isFinite, (0...300).contains(drainSeconds) else {
                throw ValidationError("--drain-seconds: '\(drainSeconds)' must be between 0 and 300")
            }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            // A malformed allow-list is the operator's mistake: say so now, not as a refused subscription later.
            _ = try WebhookAddressPolicy.fromEnvironment()
            // One server per SQLite file, held until this process ends; PostgreSQL takes several. The lock comes
            // before the store opens, so a second server is refused before it migrates a file another is serving.
            let claim = try claimSQLiteFile()
            defer { withExtendedLifetime(claim) {} }
            let opened = try await store.open(create: create)
            var configuration = APIServerConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.maxBodyBytes = maxBody
            configuration.requestsPerSecond = rateLimit
            configuration.burst = burst
            configuration.jobInterval = .seconds(jobInterval)
            configuration.segmentInterval = .milliseconds(Int64(max(0.05, segmentInterval) * 1_000))
            configuration.runsJobs = !noJobs
            configuration.expiringNoticeDays = expiringNoticeDays
            configuration.drainPeriod = .milliseconds(Int(drainSeconds * 1000))
            configuration.messages = try Self.messageDeliverer(store: opened)
            configuration.unsubscribe = try MessagingConfiguration(environment: ProcessInfo.processInfo.environment).unsubscribeLink()
            configuration.tracking = try MessagingConfiguration(environment: ProcessInfo.processInfo.environment).tracking
            let drain = ShutdownDrain()
            let logger = Logger(label: "patron")
            let console = try await Self.consoleResponder(store: opened, secureCookies: secureCookies)
            let app = try APIServer.application(
                store: opened, keys: APIKeyIssuer(store: opened), configuration: configuration, logger: logger, drain: drain, extra: console,
                onRunning: { port in
                    // One write, so a supervisor or test reading the pipe sees the address at once.
                    FileHandle.standardOutput.write(Data("patron serving \(store.databaseName) on http://\(host):\(port)\n".utf8))
                })
            try await APIServer.run(app, drain: drain, configuration: configuration, logger: logger)
        }
    }

    /// The console and member zone (`/console`, `/member`) for the dispatcher beside the API. The member link secret
    /// is `PATRON_MEMBER_LINK_SECRET`; without it this process makes a random one, so member sessions end when it
    /// stops and only this process can sign member links (`patron demo --serve` does so).
    static func consoleResponder(store: any Store, secureCookies: Bool, secret given: [UInt8]? = nil) async throws -> PrefixResponder {
        let environment = ProcessInfo.processInfo.environment
        let secret: [UInt8]
        if let given {
            secret = given
        } else if environment[MemberLink.secretVariable] != nil {
            secret = try MemberLink.secret(environment: environment)
        } else {
            secret = randomSecret()
            FileHandle.standardError.write(
                Data("note: \(MemberLink.secretVariable) is not set; member-zone links and sessions use a random secret that ends with this process\n".utf8))
        }
        var configuration = ConsoleConfiguration(memberLinkSecret: secret)
        configuration.secureCookies = secureCookies
        // The Messages pages list the templates in force and preview them (checked again here, as the deliverer does).
        if environment["PATRON_MESSAGE_TEMPLATES"] != nil {
            let messaging = try MessagingConfiguration(environment: environment)
            configuration.messageTemplates = try MessageTemplates(folder: messaging.templates, defaultLocale: messaging.defaultLocale)
            configuration.unsubscribeLink = try messaging.unsubscribeLink()
        }
        let respond = try await Console.responder(context: ServiceContext(store: store, clock: SystemClock()), configuration: configuration)
        return PrefixResponder(prefixes: Console.pathPrefixes, respond: respond)
    }

    /// The message deliverer, when `PATRON_MESSAGE_TEMPLATES` names the templates (docs/messages.md); templates are
    /// loaded and checked now, so a broken one stops the server from starting with its file and line.
    static func messageDeliverer(store: any Store) throws -> MessageDeliverer? {
        let environment = ProcessInfo.processInfo.environment
        guard environment["PATRON_MESSAGE_TEMPLATES"] != nil else { return nil }
        let messaging = try MessagingConfiguration(environment: environment)
        let templates = try MessageTemplates(folder: messaging.templates, defaultLocale: messaging.defaultLocale)
        let clock = SystemClock()
        return MessageDeliverer(
            context: ServiceContext(store: store, clock: clock), templates: templates, senders: messaging.senders(clock: clock),
            unsubscribe: try messaging.unsubscribeLink(), configuration: messaging.delivery, tracking: messaging.tracking)
    }

    /// 32 random bytes written as 64 hex digits (the secret's bytes are its text, as `MemberLink.secret` reads it).
    static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return Array((0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined().utf8)
    }

    /// The lock on the SQLite file this server serves (made empty first with `--create`: an empty file is a new SQLite
    /// database); nil for PostgreSQL and in-memory databases.
    private func claimSQLiteFile() throws -> ServerLock? {
        let path = store.database
        guard !PostgresLocation.isPostgres(path), path != ":memory:", !path.hasPrefix("file:") else { return nil }
        if !create { try StoreOptions.requireExisting(path) }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        return try ServerLock(path: path)
    }
}
