import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

extension BenchCommand {
    /// `patron bench console`: the console overview's server time on a large shop, from the kept aggregates, beside a
    /// hand-written scan of the tables that computes the same figures.
    struct ConsoleBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console",
            abstract: "Generate a shop through the write path and time the console overview (kept aggregates) against a table scan.")

        @Option(help: "Members to generate (each with one or more orders over a year).") var members = 1_000_000
        @Option(help: "Timed runs of each measurement.") var runs = 20
        @Option(help: "The SQLite file to generate (kept afterwards, and reused without generating when it exists).")
        var database = (NSTemporaryDirectory() as NSString).appendingPathComponent("patron-bench-console.sqlite")
        @Flag(help: "Skip the model snapshot (RFM, CLV, retention): it fits models on every order and takes long on a large shop.")
        var noSnapshot = false

        static let program = """
            name: Benchmark shop
            currency: USD
            timeZone: America/New_York
            earning: { points: 1, per: "1.00" }
            pending: { days: 7 }
            expiry: { afterDays: 365 }
            levels:
              metric: spend
              tiers: [{ name: Bronze, threshold: "0" }, { name: Silver, threshold: "250.00" }, { name: Gold, threshold: "750.00" }]
            """

        /// 2027-01-01 00:00 New York: the shop's year is 2026.
        static let end = Date(timeIntervalSince1970: 1_798_779_600)

        func run() async throws {
            try await reportingErrors {
                let clock = ManualClock(Self.end)
                let exists = FileManager.default.fileExists(atPath: database)
                let store = try SQLStore.open(database, clock: clock)
                try await store.migrate()
                let context = ServiceContext(store: store, clock: clock)
                if exists, try await store.currentProgram() != nil {
                    print("patron bench console: reusing \(database) (\(grouped(try await store.totals().members)) members)")
                } else {
                    _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
                    try await generate(store)
                }
                if !noSnapshot {
                    let started = ContinuousClock.now
                    let snapshot = try await OverviewSnapshots.take(context)
                    print("snapshot: \(grouped(snapshot.customers)) customers in \(Self.text(ContinuousClock.now - started))")
                }
                try await measure(store, context)
                try await measureMemberPage(store, context)
            }
        }

        /// Members arrive over the year; each buys once and then again after exponential gaps; 3 % of orders are
        /// cancelled, 5 % of completed ones partly returned; then activation, expiry and level review run.
        private func generate(_ store: SQLStore) async throws {
            let year = 365.0 * 86_400
            let start = Self.end.addingTimeInterval(-year)
            var random = SplitMix(seed: 2026)
            var placed: [OrderEvent] = [], later: [OrderEvent] = []
            var events = 0
            let began = ContinuousClock.now
            func send(_ batch: [OrderEvent]) async throws {
                for chunk in stride(from: 0, to: batch.count, by: 2_000) {
                    for result in await store.apply(Array(batch[chunk..<min(chunk + 2_000, batch.count)]), options: ApplyOptions(enrollUnknownMembers: true, history: true)) {
                        _ = try result.get()
                    }
                }
                events += batch.count
            }
            for member in 0..<members {
                let customer = try Identity.customer("C\(member)")
                var at = start.addingTimeInterval(random.uniform() * year * Double(member) / Double(max(members, 1)))
                var index = 0
                while at < Self.end {
                    let id = "O\(member)-\(index)"
                    let lines = (0..<(1 + Int(random.uniform() * 3))).map {
                        OrderLine(id: "\($0 + 1)", sku: "SKU-\(Int(random.uniform() * 200))", quantity: 1, unitPrice: 1_000 + Int64(random.uniform() * 9_000))
                    }
                    placed.append(.placed(Order(id: id, member: customer, lines: lines), at: at))
                    let fate = random.uniform()
                    let next = at.addingTimeInterval(2 * 86_400)
                    if fate < 0.03 {
                        later.append(.cancelled(id, at: at.addingTimeInterval(3_600)))
                    } else if next < Self.end {
                        later.append(.completed(id, at: next))
                        if fate < 0.08, next.addingTimeInterval(86_400) < Self.end {
                            later.append(.returned(id, lines: [ReturnedLine(lineId: "1", quantity: 1)], at: next.addingTimeInterval(86_400), id: "\(id)-r"))
                        }
                    }
                    index += 1
                    // The gap to the next order: exponential with a mean of 120 days.
                    at = at.addingTimeInterval(-log(random.uniform()) * 120 * 86_400)
                }
                if placed.count >= 20_000 {
                    try await send(placed)
                    try await send(later)
                    placed = []
                    later = []
                    print("  \(grouped(member + 1)) members, \(grouped(events)) events, \(Self.text(ContinuousClock.now - began))")
                }
            }
            try await send(placed)
            try await send(later)
            let jobs = ContinuousClock.now
            _ = try await store.runActivation(asOf: Self.end)
            _ = try await store.runExpiry(asOf: Self.end)
            print(
                "generated \(grouped(members)) members and \(grouped(events)) order events through the write path in \(Self.text(jobs - began)); jobs \(Self.text(ContinuousClock.now - jobs))"
            )
        }

        private func measure(_ store: SQLStore, _ context: ServiceContext) async throws {
            let today = LocalDate(year: 2026, month: 12, day: 31)!
            let period = OverviewPeriod.last(365, today: today)
            let calendar = try await context.currentProgram().program.calendar
            let (start, end) = (calendar.startOfDay(period.from), calendar.startOfDay(period.to.adding(days: 1)))
            var kept: [Duration] = [], scanned: [Duration] = []
            var overview: Overview?
            var scan: OverviewScan?
            for _ in 0..<runs {
                let a = ContinuousClock.now
                overview = try await OverviewService.overview(context, period: period)
                kept.append(ContinuousClock.now - a)
                let b = ContinuousClock.now
                scan = try await store.overviewScan(start: start, end: end)
                scanned.append(ContinuousClock.now - b)
            }
            guard let overview, let scan else { return }
            let same = overview.members == scan.members && overview.orders == scan.orders && overview.sales == scan.sales
                && overview.liabilityPoints == scan.liabilityPoints && overview.issued == scan.issued
            var table = Table(["overview, last 365 days", "median ms", "p95 ms", "members", "orders", "sales"], rightAligned: [1, 2, 3, 4, 5])
            table.add(["kept aggregates (OverviewService)", Self.ms(kept, 0.5), Self.ms(kept, 0.95), grouped(overview.members), grouped(overview.orders), grouped(overview.sales)])
            table.add(["table scan (peer)", Self.ms(scanned, 0.5), Self.ms(scanned, 0.95), grouped(scan.members), grouped(scan.orders), grouped(scan.sales)])
            print(table.text)
            print("same figures: \(same ? "yes" : "NO")")
            print(String(format: "ratio: the scan takes %.0f× the kept aggregates' time (medians)", Self.seconds(scanned, 0.5) / max(Self.seconds(kept, 0.5), 1e-9)))
        }

        static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        static func seconds(_ all: [Duration], _ q: Double) -> Double {
            let sorted = all.sorted()
            return seconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))])
        }
        static func ms(_ all: [Duration], _ q: Double) -> String { String(format: "%.1f", seconds(all, q) * 1_000) }
        static func text(_ d: Duration) -> String { String(format: "%.1f s", seconds(d)) }
    }
}
