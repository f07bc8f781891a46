import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

extension BenchCommand {
    /// `patron bench compare`: what-if on a year of orders, against the naive way (importing them under the draft).
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "patron program compare on 12 months of orders, against importing the same orders into a scratch database under the draft.")

        @Option(help: "Orders placed over the year.") var orders = 1_000_000
        @Option(help: "Distinct members.") var members = 100_000
        @Option(help: "Orders the naive way imports (all of them by default); its time is scaled to all orders when fewer.")
        var naiveOrders: Int?
        @Option(help: "Folder for the benchmark databases.") var directory = NSTemporaryDirectory()
        @Option(help: "Keep the shop's database at this path instead of deleting it (reused by a later run when it exists).")
        var keep: String?

        func run() async throws {
            try await reportingErrors {
                let start = Date(timeIntervalSince1970: 1_735_660_800)  // 2025-01-01 00:00 +08:00
                let program = try ProgramFile.parse(DemoProgram.starter)
                let draftSource = Self.draft
                let draft = try ProgramFile.parse(draftSource)
                print("patron bench compare: \(grouped(Int64(orders))) orders of \(grouped(Int64(members))) members over 12 months, SQLite, the demo's program against a draft")
                let path = keep ?? (directory as NSString).appendingPathComponent("patron-bench-compare-\(ProcessInfo.processInfo.processIdentifier).sqlite")
                let clock = ContinuousClock()
                var built: Duration?
                if keep == nil || !FileManager.default.fileExists(atPath: path) {
                    let began = clock.now
                    try await Self.importShop(into: path, program: program, source: DemoProgram.starter, orders: orders, members: members, start: start)
                    built = clock.now - began
                }
                let store = try SQLStore(path: path, clock: ManualClock(start))
                try await store.migrate()
                let context = ServiceContext(store: store, clock: ManualClock(start))
                let began = clock.now
                let comparison = try await ProgramComparisonService(context: context).compare(draft: draft, options: .init(months: 12))
                let compared = Self.seconds(clock.now - began)
                await store.close()
                print(
                    comparison.ledgerCheck.matches
                        ? "replay of the current program matches the ledger: \(grouped(comparison.ledgerCheck.ledgerPoints)) points (\(grouped(Int64(comparison.ledgerCheck.orders))) orders)"
                        : "replay of the current program DIFFERS from the ledger: \(comparison.ledgerCheck.differingOrders) orders")
                print("draft: \(grouped(comparison.draft.orderPoints)) order points against \(grouped(comparison.current.orderPoints)); \(comparison.movedUp) members up, \(comparison.movedDown) down")

                // The naive way: import the same orders into a scratch database with the draft loaded.
                let naive = min(naiveOrders ?? orders, orders)
                let scratch = (directory as NSString).appendingPathComponent("patron-bench-naive-\(ProcessInfo.processInfo.processIdentifier).sqlite")
                let naiveBegan = clock.now
                try await Self.importShop(into: scratch, program: draft, source: draftSource, orders: orders, members: members, start: start, limit: naive)
                let naiveSeconds = Self.seconds(clock.now - naiveBegan) * Double(orders) / Double(naive)
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + suffix) }
                if keep == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

                var table = Table(["way", "orders", "seconds", "orders/s"], rightAligned: [1, 2, 3])
                table.add(["program compare (both programs)", grouped(Int64(comparison.orders)), String(format: "%.2f", compared), grouped(Int64(Double(comparison.orders) / compared))])
                table.add([
                    naive == orders ? "import under the draft" : "import under the draft (\(grouped(Int64(naive))) orders, scaled)", grouped(Int64(orders)),
                    String(format: "%.2f", naiveSeconds), grouped(Int64(Double(orders) / naiveSeconds)),
                ])
                if let built { table.add(["(building the shop: import under the current program)", grouped(Int64(orders)), String(format: "%.2f", seconds(built)), ""]) }
                print(table.text)
                print(String(format: "ratio: compare is %.1f× faster than the naive way", naiveSeconds / compared))
            }
        }

        private func seconds(_ d: Duration) -> Double { Self.seconds(d) }
        static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

        /// Imports a year of a tea shop's orders through the store, as `patron import` would, day by day with the daily
        /// jobs: each order placed, completed two days later; 2 % cancelled within the hour, 3 % returned (half of them
        /// one line) a week after completion. The same seed gives the same orders; `limit` stops after that many.
        static func importShop(
            into path: String, program: Program, source: String, orders: Int, members: Int, start: Date, limit: Int? = nil
        ) async throws {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let clock = ManualClock(start)
            let store = try SQLStore(path: path, clock: clock, maxBatch: 4_000)
            try await store.migrate()
            _ = try await store.loadProgram(program, source: source)
            var random = SplitMix(seed: 2025)
            let customers = (0..<members).map { try! Identity.customer("M\($0)") }
            let perDay = Double(orders) / 365
            var pending: [(Date, OrderEvent)] = []
            var placed = 0
            let categories = ["tea", "tea", "teaware", "gift-cards"]
            for day in 0..<365 {
                let dayStart = start.addingTimeInterval(Double(day) * 86_400)
                let target = min(Int((Double(day + 1) * perDay).rounded()), limit ?? orders)
                var events: [(Date, OrderEvent)] = []
                while placed < target {
                    let at = dayStart.addingTimeInterval(random.uniform() * 86_000)
                    let id = "B\(placed)"
                    let lineCount = 1 + Int(random.next() % 3)
                    let lines = (0..<lineCount).map { index in
                        OrderLine(
                            id: "l\(index)", sku: "SKU-\(random.next() % 200)", category: categories[Int(random.next() % 4)],
                            quantity: 1 + Int(random.next() % 2), unitPrice: 1_000 + Int64(random.gamma(shape: 2, rate: 1) * 4_000))
                    }
                    let member = customers[Int(Double(members) * pow(random.uniform(), 1.6))]
                    let order = Order(id: id, member: member, lines: lines, channel: random.uniform() < 0.4 ? "app" : "web")
                    events.append((at, .placed(order, at: at)))
                    let fate = random.uniform()
                    if fate < 0.02 {
                        pending.append((at.addingTimeInterval(3_600), .cancelled(id, at: at.addingTimeInterval(3_600))))
                    } else {
                        let done = at.addingTimeInterval(2 * 86_400)
                        pending.append((done, .completed(id, at: done)))
                        if fate < 0.05 {
                            let back = done.addingTimeInterval(7 * 86_400)
                            let which = fate < 0.035 ? [ReturnedLine(lineId: "l0", quantity: 1)] : nil
                            pending.append((back, .returned(id, lines: which, at: back, id: "\(id)-r")))
                        }
                    }
                    placed += 1
                }
                let dayEnd = dayStart.addingTimeInterval(86_400)
                events += pending.filter { $0.0 < dayEnd }
                pending.removeAll { $0.0 < dayEnd }
                events.sort { $0.0 < $1.0 }
                for chunk in stride(from: 0, to: events.count, by: 4_000) {
                    let batch = events[chunk..<min(chunk + 4_000, events.count)]
                    clock.set(batch.last!.0)
                    for (index, result) in (await store.apply(batch.map(\.1), options: ApplyOptions(enrollUnknownMembers: true))).enumerated() {
                        if case .failure(let error) = result { throw PatronError(.storage, "bench import: \(batch[batch.startIndex + index].1.id): \(error.message)") }
                    }
                }
                clock.set(dayEnd)
                _ = try await store.runActivation(asOf: dayEnd)
                _ = try await store.runLevelReview(asOf: dayEnd)
                if let limit, placed >= limit, pending.isEmpty { break }
            }
            await store.close()
        }

        /// The draft: the demo's program with a richer app campaign and higher level thresholds.
        static var draft: String {
            DemoProgram.starter
                .replacingOccurrences(of: #"threshold: "1000.00""#, with: #"threshold: "1500.00""#)
                .replacingOccurrences(of: #"threshold: "3000.00""#, with: #"threshold: "4000.00""#)
                .replacingOccurrences(of: "{ name: app double points, multiplier: 2,", with: "{ name: app double points, multiplier: 3,")
        }
    }
}
