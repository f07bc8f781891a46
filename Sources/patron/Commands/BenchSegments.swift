import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

extension BenchCommand {
    /// `patron bench segments`: a 5-condition segment over a synthetic shop, compiled against a hand-written query in
    /// the same run; then durable ingestion with 20 dynamic segments followed against none, alternating. The follower runs
    /// beside the writers as in `patron serve`: it evaluates on a reader and takes the writer only to move members.
    struct Segments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Segment evaluation over a synthetic shop (compiled SQL beside a hand-written query) and ingestion with 20 dynamic segments against none.")

        @Option(help: "Members of the synthetic shop (SQLite).") var members = 1_000_000
        @Option(help: "Timed evaluations of each query (the median is reported).") var runs = 5
        @Option(help: "Order events per ingestion run (0 skips the ingestion part).") var events = 100_000
        @Option(help: "Concurrent writers while ingesting.") var writers = 64
        @Option(help: "Ingestion runs of each kind, alternating.") var rounds = 2
        @Option(help: "Seconds between passes of the segment follower while ingesting (serve's default --segment-interval).") var followInterval = 5.0
        @Option(help: "Folder for the benchmark databases.") var directory = NSTemporaryDirectory()

        static let program = """
            name: Segment benchmark shop
            currency: CNY
            timeZone: Asia/Shanghai
            earning: { points: 1, per: "1.00" }
            levels:
              tiers: [{ name: Bronze, threshold: "0" }, { name: Silver, threshold: "1000.00" }, { name: Gold, threshold: "5000.00" }]
            """

        static let segment = """
            segments:
              - name: active-gold-and-silver
                where:
                  all:
                    - level: [Gold, Silver]
                    - consent: email
                    - activePoints: { min: 2000 }
                    - daysSinceLastOrder: { max: 90 }
                    - spend: { days: 365, min: "300.00" }
            """

        func run() async throws {
            try await reportingErrors {
                try await evaluation()
                if events > 0 { try await ingestion() }
            }
        }

        private func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        private func evaluation() async throws {
            let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 08:00 in Shanghai
            let path = (directory as NSString).appendingPathComponent("patron-bench-segments-\(ProcessInfo.processInfo.processIdentifier).sqlite")
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let store = try SQLStore(path: path, clock: ManualClock(now))
            try await store.migrate()
            _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
            let clock = ContinuousClock()
            let seeded = try await clock.measure { try await store.seedSyntheticShop(members: members, at: now) }
            print("patron bench segments: \(grouped(members)) synthetic members, \(grouped(try await store.totals().orders)) orders (seeded in \(String(format: "%.1f", seconds(seeded))) s), SQLite")
            let context = ServiceContext(store: store, clock: ManualClock(now))
            let definition = try SegmentFile.parse(Self.segment, vocabulary: try await SegmentService(context: context).vocabulary())[0]
            let condition = definition.condition!
            // The same five conditions as a person would write them, with the same instants (Shanghai days).
            let calendar = try ProgramFile.parse(Self.program).calendar
            let today = calendar.localDate(of: now)
            let recent = Int64(calendar.startOfDay(today.adding(days: -90)).timeIntervalSince1970 * 1000)
            let year = Int64(calendar.startOfDay(today.adding(days: -364)).timeIntervalSince1970 * 1000)
            let handWritten = """
                m.erased_at IS NULL AND m.level IN ('Gold', 'Silver') AND m.consents LIKE '%"email":true%' AND m.active >= 2000
                AND EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND o.status <> 'cancelled' AND o.placed_at >= \(recent))
                AND (SELECT sum(o.kept) FROM orders o WHERE o.member_id = m.id AND o.status <> 'cancelled' AND o.placed_at >= \(year)) >= 30000
                """
            var compiledTimes: [Double] = []
            var handTimes: [Double] = []
            var compiledCount = 0
            var handCount = 0
            for _ in 0..<max(1, runs) {
                compiledTimes.append(seconds(try await clock.measure { compiledCount = try await store.previewSegment(condition, at: now, sample: 0).count }))
                handTimes.append(seconds(try await clock.measure { handCount = try await store.countMembers(handWrittenWhere: handWritten) }))
            }
            guard compiledCount == handCount else {
                throw PatronError(.storage, "the compiled segment counts \(compiledCount) members, the hand-written query \(handCount)")
            }
            // The preview also sums revenue; time the count alone too, which is what the hand-written query does.
            var countTimes: [Double] = []
            for _ in 0..<max(1, runs) {
                countTimes.append(seconds(try await clock.measure { _ = try await store.evaluateSegment(condition, at: now) }))
            }
            let median = { (values: [Double]) in values.sorted()[values.count / 2] }
            var table = Table(["query", "members found", "median s", "runs"], rightAligned: [1, 2, 3])
            table.add(["compiled segment (ids of every member)", grouped(compiledCount), String(format: "%.3f", median(countTimes)), String(countTimes.count)])
            table.add(["compiled segment preview (count + 12-month revenue)", grouped(compiledCount), String(format: "%.3f", median(compiledTimes)), String(compiledTimes.count)])
            table.add(["hand-written SQL (count)", grouped(handCount), String(format: "%.3f", median(handTimes)), String(handTimes.count)])
            print(table.text)
            print(String(format: "ratio: compiled ids / hand-written count = %.2f×", median(countTimes) / median(handTimes)))
        }

        private func ingestion() async throws {
            print("\ningestion: \(grouped(events)) placed-order events from \(writers) writers, SQLite WAL, every commit on disk before it is acknowledged")
            var table = Table(["dynamic segments", "events/s", "follower passes", "entered", "left"], rightAligned: [0, 1, 2, 3, 4])
            // Alternating runs, so that a change in the machine's load between them falls on both sides.
            var rates: [Int: [Double]] = [:]
            for _ in 0..<rounds {
                for count in [0, 20] {
                    let result = try await ingest(segments: count)
                    rates[count, default: []].append(result.rate)
                    table.add([String(count), String(format: "%.0f", result.rate), String(result.passes), grouped(result.entered), grouped(result.left)])
                }
            }
            print(table.text)
            let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
            print(
                String(
                    format: "with 20 dynamic segments: %.1f %% of the throughput without (mean of %d runs each: %.0f against %.0f events/s)",
                    mean(rates[20]!) / mean(rates[0]!) * 100, rounds, mean(rates[20]!), mean(rates[0]!)))
        }

        private func ingest(segments: Int) async throws -> (rate: Double, passes: Int, entered: Int, left: Int) {
            let start = Date(timeIntervalSince1970: 1_767_225_600)
            let path = (directory as NSString).appendingPathComponent("patron-bench-follow-\(segments)-\(ProcessInfo.processInfo.processIdentifier).sqlite")
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let clock = ManualClock(start)
            let store = try SQLStore(path: path, clock: clock)
            try await store.migrate()
            _ = try await store.loadProgram(try ProgramFile.parse(Self.program), source: Self.program)
            _ = try await store.createWebhookSubscription(NewWebhookSubscription(url: "https://bench.invalid/", events: [.segmentEntered, .segmentLeft], at: start))
            let customers = (0..<10_000).map { try! Identity.customer("B\($0)") }
            for chunk in stride(from: 0, to: customers.count, by: 2_000) {
                let batch = customers[chunk..<min(chunk + 2_000, customers.count)].map {
                    OrderEvent.placed(Order(id: "warm-\($0.value)", member: $0, lines: [OrderLine(sku: "W", quantity: 1, unitPrice: 100)]), at: start)
                }
                _ = await store.apply(batch, options: ApplyOptions(enrollUnknownMembers: true))
            }
            let context = ServiceContext(store: store, clock: clock)
            let service = SegmentService(context: context)
            if segments > 0 {
                // Twenty segments of the kinds shops define: points, orders, spend, levels, recency and their mixes.
                var yaml = "segments:\n"
                for index in 0..<segments {
                    let conditions = [
                        "{ pendingPoints: { min: \(20 + index * 10) } }",
                        "{ orders: { days: 30, min: \(1 + index % 4) } }",
                        "{ spend: { days: 365, min: \"\(50 + index * 20).00\" } }",
                        "{ all: [{ level: [Silver, Gold] }, { orders: { min: \(2 + index % 3) } }] }",
                        "{ any: [{ daysSinceLastOrder: { max: \(index) } }, { lifetimeEarned: { min: \(100 * index) } }] }",
                    ]
                    yaml += "  - name: dyn-\(index)\n    where: \(conditions[index % conditions.count])\n"
                }
                _ = try await service.load(text: yaml, actor: "bench")
                _ = try await service.followChanges()  // the follower starts at the present
            }
            let writers = self.writers
            let events = self.events
            let interval = followInterval
            let began = ContinuousClock.now
            let follow = Task {
                var passes = 0
                var entered = 0
                var left = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int(interval * 1_000)))
                    guard segments > 0, let pass = try? await service.followChanges() else { continue }
                    passes += 1
                    entered += pass.entered
                    left += pass.left
                }
                return (passes, entered, left)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in stride(from: writer, to: events, by: writers) {
                            let order = Order(
                                id: "bench-\(index)", member: customers[index % customers.count],
                                lines: [OrderLine(sku: "SKU-\(index % 50)", quantity: 1 + index % 3, unitPrice: 1_999)])
                            let result = await store.apply([.placed(order, at: start.addingTimeInterval(Double(index)))], options: ApplyOptions())
                            if case .failure(let error) = result[0] { throw error }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = seconds(ContinuousClock.now - began)
            follow.cancel()
            var (passes, entered, left) = await follow.value
            if segments > 0 {
                // Catch up: every member touched during the run is re-evaluated (not timed).
                let last = try await service.followChanges()
                passes += 1
                entered += last.entered
                left += last.left
            }
            await store.close()
            return (Double(events) / elapsed, passes, entered, left)
        }
    }
}
