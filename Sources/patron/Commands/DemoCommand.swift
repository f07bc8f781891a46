import ArgumentParser
import Foundation
import Logging
import PatronConsole
import PatronCore
import PatronFiles
import PatronServer
import PatronServices
import PatronStore

/// `patron demo`: a year of a small shop simulated from stated behaviour, run through the real store and jobs.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo shop: a year of members arriving, buying, lapsing, redeeming and referring, with the daily jobs.",
        discussion: "The behaviour it simulates is stated in docs/demo.md; `patron demo --parameters` prints it.")

    @Option(help: "A program file to run the shop on (default: the built-in examples/programs/starter.yaml).") var program: String?
    @Option(help: "The SQLite file to create; an existing file is refused unless --replace is given.") var database = "patron-demo.sqlite"
    @Flag(help: "Replace the database file if it exists.") var replace = false
    @Option(help: "How many members.") var members = 3_000
    @Option(help: "The random seed: the same seed gives the same shop.") var seed: UInt64 = 42
    @Flag(help: "Print the stated behaviour the shop is simulated from, and exit.") var parameters = false
    @Flag(help: "Then serve the console on the demo shop: create an owner account, print its password and a member-zone link.")
    var serve = false
    @Option(help: "With --serve: the address to listen on.") var host = "127.0.0.1"
    @Option(help: "With --serve: the port (0: any free port).") var port = 8080

    func run() async throws {
        try await reportingErrors {
            guard (1...1_000_000).contains(members) else { throw PatronError(.invalidInput, "--members must be 1 to 1,000,000, not \(members)") }
            var stated = DemoParameters()
            stated.members = members
            stated.seed = seed
            if parameters {
                print(stated.table)
                return
            }
            let started = Date()
            let (parsed, source) =
                try program.map { try ProgramFile.load(path: $0) } ?? (ProgramFile.parse(DemoProgram.starter), DemoProgram.starter)
            try DemoShop.check(parsed)
            try DemoDatabase.prepare(path: database, replace: replace)
            print("Running a year of \(parsed.name) for \(grouped(members)) members (\(database))…")
            fflush(nil)  // before the status lines on standard error, also when both go to one pipe
            let status = DemoStatus()
            status.phase("simulating \(grouped(members)) members")
            let simulation = DemoSimulation(stated)
            let calendar = parsed.calendar
            let clock = ManualClock(calendar.startOfDay(stated.firstDay))
            let store = try SQLStore(path: database, clock: clock)
            try await store.migrate()
            _ = try await store.loadProgram(parsed, source: source)
            let jobs = JobRunner(store: store, clock: clock)
            let counts = try await DemoShop(simulation: simulation, program: parsed).run(
                store: store, clock: clock, endOfDay: { _ in _ = try await jobs.runOnce() },
                progress: { day, counts in status.day(day, of: stated.days, date: stated.firstDay.adding(days: day - 1), counts) })
            // A win-back campaign on the year's lapsing members, with a holdout, ends the demo with its report.
            let campaign = try await DemoCampaign(seed: seed).run(store: store, clock: clock, phase: { status.phase($0) })
            status.phase("checking the ledger")
            let mismatches = try await store.check()
            status.phase("summarising")
            let summary = try await summarize(store, counts, parsed, at: clock.now())
            status.finish()
            print(summary)
            print("\nWin-back campaign (examples/campaigns/win-back.yaml; the demo's lapsing members buy with a \(Int(DemoCampaign(seed: seed).baseChance * 100)) % chance in its 44 days, treated ones \(Int(DemoCampaign(seed: seed).lift * 100)) percentage points more):\n")
            print(campaign.text)
            print("\nLedger check: \(mismatches.isEmpty ? "clean — every balance and lot equals the ledger" : "\(mismatches.count) MISMATCHES")")
            print(String(format: "Done in %.1f s: %@", Date().timeIntervalSince(started), database))
            print("Next: patron analyze report --database \(database) --html report.html; patron member show 1 --database \(database); docs/demo.md")
            if !mismatches.isEmpty { throw ExitCode.failure }
            if serve { try await serveConsole() }
        }
    }

    /// `--serve`: an owner account with a random password, then `patron serve` on the demo database with the console,
    /// printing the address, the sign-in and a member-zone link for member 1 (made with this process's secret).
    private func serveConsole() async throws {
        fflush(nil)  // the summary above, before the server's lines
        let clock = SystemClock()
        let store = try SQLStore(path: database, clock: clock)
        let context = ServiceContext(store: store, clock: clock)
        let password = Self.randomPassword()
        let username = "demo-owner"
        if try await store.staffCredentials(username: username) == nil {
            _ = try await StaffAccounts(context: context).create(
                username: username, displayName: "Demo owner", role: .owner, password: password, actor: "cli:demo")
        }
        let secret = ServeCommand.randomSecret()
        let console = try await ServeCommand.consoleResponder(store: store, secureCookies: false, secret: secret)
        guard let member = try await store.member(id: 1), let identity = member.identities.first else {
            throw PatronError(.notFound, "the demo has no member 1 to make a member-zone link for")
        }
        var configuration = APIServerConfiguration()
        configuration.host = host
        configuration.port = port
        let host = self.host
        let drain = ShutdownDrain()
        let app = try APIServer.application(
            store: store, keys: APIKeyIssuer(store: store), configuration: configuration, logger: Logger(label: "patron"), drain: drain,
            extra: console,
            onRunning: { port in
                let base = "http://\(host):\(port)"
                let link = (try? MemberLink.mint(identity: identity, lifetime: .seconds(15 * 60), now: clock.now(), secret: secret))?.url(baseURL: base)
                FileHandle.standardOutput.write(
                    Data(
                        """

                        Console:      \(base)/console/
                        Sign in as:   \(username)  password: \(password)
                        Member zone:  \(link ?? "(no link: member 1 has no identity)")
                                      (member 1, \(identity); the link works once, for 15 minutes)
                        Stop with Ctrl-C.

                        """.utf8))
            })
        try await APIServer.run(app, drain: drain, configuration: configuration, logger: Logger(label: "patron"))
    }

    /// 16 random letters and digits, without look-alikes.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    private func summarize(_ store: SQLStore, _ counts: DemoCounts, _ program: Program, at now: Date) async throws -> String {
        var out = ""
        let totals = try await store.totals()
        let issued = try await store.ledgerQuarterHours().reduce(Int64(0)) { $0 + $1.issued }
        var table = Table(["", "count"], rightAligned: [1])
        table.add(["members", grouped(totals.members)])
        table.add(["members referred by a member", grouped(counts.referred)])
        table.add(["orders placed", grouped(counts.placed)])
        table.add(["orders cancelled", grouped(counts.cancelled)])
        table.add(["returns", grouped(counts.returned)])
        table.add(["orders with the promotion discount", grouped(counts.promotionOrders)])
        table.add(["orders in the app (double points)", grouped(counts.appOrders)])
        table.add(["rewards redeemed", grouped(counts.redemptions)])
        table.add(["coupons used on orders", grouped(counts.couponsUsed)])
        table.add(["points issued (made spendable)", grouped(issued)])
        table.add(["points redeemed" + (issued > 0 ? String(format: " (%.0f %% of issued)", Double(counts.pointsRedeemed) * 100 / Double(issued)) : ""), grouped(counts.pointsRedeemed)])
        table.add(["points earned (lifetime, net)", grouped(totals.earned)])
        table.add(["points active now", grouped(totals.active)])
        table.add(["points pending (return window)", grouped(totals.pending)])
        table.add(["points expired", grouped(totals.expired)])
        table.add(["points reversed by returns", grouped(totals.reversed)])
        table.add(["points for check-ins and reviews", grouped(counts.activityPoints)])
        table.add(["members with a negative balance", grouped(totals.membersInDebt)])
        out += "\n" + table.text

        if let levels = program.levels {
            var perLevel: [String: Int] = [:]
            for fact in try await store.memberFacts() {
                if let level = try await store.member(id: fact.memberId)?.level.effectiveLevel(at: now) { perLevel[level, default: 0] += 1 }
            }
            var levelTable = Table(["level", "members"], rightAligned: [1])
            for level in levels.levels { levelTable.add([level.name, grouped(perLevel[level.name] ?? 0)]) }
            out += "\n\nMembers by level at the end of the year\n" + levelTable.text
        }

        out += "\n\nTop members by lifetime points\n"
        var top = Table(["member", "name", "level", "lifetime", "active", "pending"], rightAligned: [0, 3, 4, 5])
        for member in try await store.topMembers(limit: 5) {
            let b = member.balances
            top.add([
                String(member.id), member.profile.name ?? "", member.level.level ?? "", grouped(b.lifetimeEarned), grouped(b.active), grouped(b.pending),
            ])
        }
        return out + top.text
    }
}

/// The demo's status on standard error: one line rewritten in place on a terminal (the phase, the simulated day and
/// what happened so far), plain lines (each phase, the first day of each month) otherwise.
private final class DemoStatus {
    private let terminal = isatty(STDERR_FILENO) == 1
    private var phase = ""

    func phase(_ name: String) {
        phase = name
        write(name + "…", newline: !terminal)
    }

    func day(_ day: Int, of days: Int, date: LocalDate, _ counts: DemoCounts) {
        let text =
            "day \(day)/\(days) (\(date)): \(grouped(counts.enrolled)) members, \(grouped(counts.placed)) orders, "
            + "\(grouped(counts.redemptions)) redemptions, \(grouped(counts.referred)) referred"
        if terminal {
            write(text, newline: false)
        } else if date.day == 1 || day == days {
            write(text, newline: true)
        }
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func write(_ text: String, newline: Bool) {
        FileHandle.standardError.write(Data((terminal ? "\r\(text)\u{1B}[K" : text) .utf8))
        if newline { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
