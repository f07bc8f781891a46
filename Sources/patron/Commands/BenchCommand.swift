import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronStore

/// `patron bench …`: the benchmarks behind docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks.", subcommands: [Ingest.self, Rules.self, Segments.self, Compare.self, ConsoleBench.self, MessagesBench.self])

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Durable order ingestion: concurrent writers through group commit, against one commit per event, same durability.")

        @Option(help: "Events sent through group commit.") var events = 50_000
        @Option(help: "Events sent with one commit per event (the baseline).") var baselineEvents = 3_000
        @Option(help: "Concurrent writers.") var writers = 64
        @Option(help: "Distinct members the orders belong to.") var members = 10_000
        @Option(help: "Folder for the benchmark databases.") var directory = NSTemporaryDirectory()
        @Option(help: "A PostgreSQL URL: measure there instead (each run in a schema of its own, dropped afterwards).")
        var database: String?
        @Option(name: .customLong("webhook-event"), help: "Subscribe a webhook to this event kind first, to measure announcing it (repeatable).")
        var webhookEvents: [WebhookEventKind] = []
        @Flag(help: "Do not keep the console overview's daily aggregates in the write path: measures what keeping them costs.")
        var withoutKeptAggregates = false
        @Flag(help: "Run one marketing campaign with an order bonus (10 points, every member assigned, 10 % held out) during the measurement, to measure the campaign lookup on order placement.")
        var campaign = false
        @Option(help: "With --campaign: the order amount, in cents, from which the bonus applies (above every order's 59.97 to measure the campaign lookup alone).")
        var campaignMinimum: Int64?
        @Flag(help: "Load the program with a messages: section whose triggers fire on enrolment, first order, completed orders and level changes, to measure the triggers on the write path (each placed order then asks whether it is the member's first).")
        var messageTriggers = false
        @Option(name: .customLong("program"), help: "A program file to load instead of the benchmark's one-rule program (examples/programs/gold-club.yaml, say), to measure what its rules read and write.")
        var programFile: String?

        func run() async throws {
            try await reportingErrors {
                let durability =
                    database == nil ? "SQLite WAL, every commit on disk before it is acknowledged" : "PostgreSQL \(try PostgresLocation(url: database!).host), synchronous_commit=on"
                print("patron bench ingest: \(writers) concurrent writers, \(durability), placed-order events\(programFile.map { ", program \($0)" } ?? "")\(campaign ? ", one running campaign with an order bonus" : "")\(messageTriggers ? ", message triggers in the program" : "")")
                let groupCommit = try await measure(events: events, maxBatch: 2_000, name: "group-commit")
                let single = try await measure(events: baselineEvents, maxBatch: 1, name: "one-commit-per-event")
                var table = Table(["mode", "events", "events/s", "p50 ms", "p99 ms", "commits"], rightAligned: [1, 2, 3, 4, 5])
                for result in [groupCommit, single] {
                    table.add([
                        result.name, String(result.events), String(format: "%.0f", result.perSecond), String(format: "%.2f", result.p50),
                        String(format: "%.2f", result.p99), grouped(result.commits),
                    ])
                }
                print(table.text)
                print(String(format: "ratio: group commit is %.1f× one commit per event", groupCommit.perSecond / single.perSecond))
            }
        }

        private struct Result {
            let name: String
            let events: Int
            let perSecond: Double
            let p50: Double
            let p99: Double
            let commits: Int
        }

        private func measure(events: Int, maxBatch: Int, name: String) async throws -> Result {
            let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
            let run = "bench_\(name.replacingOccurrences(of: "-", with: "_"))_\(ProcessInfo.processInfo.processIdentifier)"
            let store: SQLStore
            if let database {
                var location = try PostgresLocation(url: database)
                location.schema = run
                store = SQLStore(postgres: location, clock: ManualClock(start), maxBatch: maxBatch)
            } else {
                store = try SQLStore(path: Self.sqlitePath(run, in: directory), clock: ManualClock(start), maxBatch: maxBatch)
            }
            try await store.migrate()
            if withoutKeptAggregates { await store.stopKeepingDailyTotalsForBenchmark() }
            let base = try programFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? Self.program
            let source = messageTriggers ? base + "\n" + Self.messageSection : base
            let program = try ProgramFile.parse(source)
            _ = try await store.loadProgram(program, source: source)
            if !webhookEvents.isEmpty {
                _ = try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://bench.invalid/", events: Set(webhookEvents), at: start))
            }
            // Members exist before the clock starts, as in a running shop.
            let customers = (0..<members).map { try! Identity.customer("B\($0)") }
            var memberIds: [Int64] = []
            for chunk in stride(from: 0, to: members, by: 2_000) {
                let batch = customers[chunk..<min(chunk + 2_000, members)].map {
                    OrderEvent.placed(Order(id: "warm-\($0.value)", member: $0, lines: [OrderLine(sku: "W", quantity: 1, unitPrice: 100)]), at: start)
                }
                for outcome in await store.apply(batch, options: ApplyOptions(enrollUnknownMembers: true)) { memberIds.append(try outcome.get().memberId) }
            }
            if campaign { try await Self.startCampaign(store, members: memberIds, minimum: campaignMinimum, at: start) }

            let writers = self.writers
            let commitsBefore = await store.commitCount()
            let clock = ContinuousClock()
            let began = clock.now
            let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var latencies: [Double] = []
                        for index in stride(from: writer, to: events, by: writers) {
                            let order = Order(
                                id: "\(name)-\(index)", member: customers[index % customers.count],
                                lines: [OrderLine(sku: "SKU-\(index % 50)", quantity: 1 + index % 3, unitPrice: 1_999)])
                            let sent = clock.now
                            let result = await store.apply([.placed(order, at: start.addingTimeInterval(Double(index)))], options: ApplyOptions())
                            if case .failure(let error) = result[0] { throw error }
                            latencies.append(Double((clock.now - sent).components.attoseconds) / 1e15 + Double((clock.now - sent).components.seconds) * 1e3)
                        }
                        return latencies
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }.sorted()
            let seconds = Double((clock.now - began).components.attoseconds) / 1e18 + Double((clock.now - began).components.seconds)
            let commits = await store.commitCount() - commitsBefore
            let mismatches = try await store.check()
            if campaign, let record = try await store.campaign(named: "bench") {
                print("\(name): the campaign gave \(grouped(record.pointsSpent)) bonus points to \(grouped(record.treated)) treated members (\(grouped(record.control)) held out)")
            }
            await store.close()
            await Self.drop(run, database: database, directory: directory)
            guard mismatches.isEmpty else { throw PatronError(.storage, "benchmark left \(mismatches.count) ledger mismatches") }
            return Result(
                name: name, events: events, perSecond: Double(events) / seconds, p50: latencies[latencies.count / 2],
                p99: latencies[min(latencies.count - 1, latencies.count * 99 / 100)], commits: commits)
        }

        /// A static segment of every member and a running campaign on it giving 10 points on every order in 2026 (from
        /// `minimum` cents, when given).
        private static func startCampaign(_ store: SQLStore, members: [Int64], minimum: Int64?, at start: Date) async throws {
            _ = try await store.saveSegments([SegmentDefinition(name: "everyone", kind: .static, condition: nil)], actor: "bench", at: start)
            _ = try await store.replaceStaticSegmentMembers(segment: "everyone", members: members, at: start)
            let campaign = MarketingCampaign(
                name: "bench", segment: "everyone", starts: LocalDate(iso: "2026-01-01")!, ends: LocalDate(iso: "2026-12-31")!,
                holdoutBasisPoints: 1_000, actions: [.orderBonus(10, minimumAmount: minimum)])
            _ = try await store.createCampaign(campaign, at: start)
            _ = try await store.transitionCampaign(named: "bench", .start, at: start)
            for page in stride(from: 0, to: members.count, by: 2_000) {
                _ = try await store.assignCampaignMembers(named: "bench", members: Array(members[page..<min(page + 2_000, members.count)]), at: start)
            }
        }

        private static func sqlitePath(_ run: String, in directory: String) -> String {
            (directory as NSString).appendingPathComponent("patron-\(run).sqlite")
        }

        /// Removes a run's database: its SQLite files, or its PostgreSQL schema.
        private static func drop(_ run: String, database: String?, directory: String) async {
            guard let database else {
                let path = sqlitePath(run, in: directory)
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                return
            }
            guard let location = try? PostgresLocation(url: database) else { return }
            let admin = SQLStore(postgres: location, clock: SystemClock())
            try? await admin.dropSchema(run)
            await admin.close()
        }

        static let program = """
            name: Benchmark shop
            currency: USD
            timeZone: UTC
            earning: { points: 1, per: "1.00" }
            pending: { days: 14 }
            expiry: { endOfYear: 1 }
            """

        /// The `messages:` section `--message-triggers` adds: triggers on every write-path cause, and time-based ones.
        static let messageSection = """
            messages:
              quietHours: { from: "21:00", to: "08:00" }
              frequencyCap: { marketingPerWeek: 3 }
              triggers:
                - { id: welcome, on: enrolled, channels: [email, inbox] }
                - { id: first-order, on: firstOrder, channels: [email, inbox] }
                - { id: delivered, on: orderDelivered, delay: 3d, channels: [email] }
                - { id: level, on: levelChanged, channels: [inbox] }
                - { id: winback, on: inactive, days: [30, 60, 90], channels: [email, sms] }
            """
    }
}
