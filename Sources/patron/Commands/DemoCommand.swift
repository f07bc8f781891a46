import ArgumentParser
import Foundation
import PatronCore
import PatronServer
import PatronStore

/// `patron demo`: a year of a small shop, run through the real store and jobs in a few seconds.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo shop: members, a year of orders with cancellations and returns, the daily jobs, and a summary.")

    @Option(help: "The program to run the shop on.") var program = "examples/programs/starter.yaml"
    @Option(help: "The database file to create (replaced if it exists).") var database = "patron-demo.sqlite"
    @Option(help: "How many members.") var members = 3_000
    @Option(help: "The random seed.") var seed: UInt64 = 42

    func run() async throws {
        try await reportingErrors {
            guard (1...1_000_000).contains(members) else { throw PatronError(.invalidInput, "--members must be 1 to 1,000,000") }
            let started = Date()
            let (parsed, source) = try ProgramFile.load(path: program)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            let calendar = parsed.calendar
            let firstDay = LocalDate(year: 2025, month: 1, day: 1)!
            let clock = ManualClock(calendar.startOfDay(firstDay))
            let store = try SQLStore(path: database, clock: clock)
            try await store.migrate()
            _ = try await store.loadProgram(parsed, source: source)
            let jobs = JobRunner(store: store, clock: clock)

            var shop = DemoShop(members: members, seed: seed, calendar: calendar, firstDay: firstDay)
            var counts = DemoShop.Counts()
            var memberIds: [Int: Int64] = [:]
            print("Running a year of \(parsed.name) for \(grouped(members)) members (\(database))…")
            let progress = Progress("day", total: 365)
            for dayIndex in 0..<365 {
                let day = firstDay.adding(days: dayIndex)
                for (index, request) in shop.enrollments(on: dayIndex) {
                    memberIds[index] = try await store.enroll(request, key: request.identities[0].value).id
                }
                // Activities arrive concurrently, as from many phones: the group-commit writer batches them.
                let activities = shop.activities(on: dayIndex).compactMap { item in memberIds[item.member].map { ($0, item.kind) } }
                let at = calendar.startOfDay(day).addingTimeInterval(9 * 3600)
                counts.activityPoints += try await withThrowingTaskGroup(of: Int64.self) { group in
                    for (member, kind) in activities {
                        group.addTask {
                            do {
                                let outcome = try await store.recordActivity(
                                    ActivityRequest(memberId: member, kind: kind, key: "\(kind):\(member):\(day)", at: at))
                                return outcome.points + outcome.bonus
                            } catch let error as PatronError where error.code == .limitReached {
                                return 0  // a second review this month earns nothing
                            }
                        }
                    }
                    return try await group.reduce(0, +)
                }
                let events = shop.events(on: dayIndex)
                for result in await store.apply(events, options: ApplyOptions()) {
                    if case .failure(let error) = result { throw error }
                }
                counts.add(events)
                clock.set(calendar.startOfDay(day.adding(days: 1)))
                _ = try await jobs.runOnce()
                progress.update(dayIndex + 1)
            }
            progress.finish()
            try await summarize(store, counts, parsed, since: started)
        }
    }

    private func summarize(_ store: SQLStore, _ counts: DemoShop.Counts, _ program: Program, since started: Date) async throws {
        let totals = try await store.totals()
        var table = Table(["", "count"], rightAligned: [1])
        table.add(["members", grouped(totals.members)])
        table.add(["orders placed", grouped(counts.placed)])
        table.add(["orders cancelled", grouped(counts.cancelled)])
        table.add(["returns", grouped(counts.returned)])
        table.add(["points earned (lifetime, net)", grouped(totals.earned)])
        table.add(["points active now", grouped(totals.active)])
        table.add(["points pending (return window)", grouped(totals.pending)])
        table.add(["points expired", grouped(totals.expired)])
        table.add(["points reversed by returns", grouped(totals.reversed)])
        table.add(["points for check-ins and reviews", grouped(counts.activityPoints)])
        table.add(["members with a negative balance", grouped(totals.membersInDebt)])
        print("\n" + table.text)

        if let levels = program.levels {
            var counts: [String: Int] = [:]
            for fact in try await store.memberFacts() {
                if let level = try await store.member(id: fact.memberId)?.level.effectiveLevel(at: Date.distantFuture) { counts[level, default: 0] += 1 }
            }
            var levelTable = Table(["level", "members"], rightAligned: [1])
            for level in levels.levels { levelTable.add([level.name, grouped(counts[level.name] ?? 0)]) }
            print("\nMembers by level\n" + levelTable.text)
        }

        print("\nTop members by lifetime points")
        var top = Table(["member", "name", "level", "lifetime", "active", "pending"], rightAligned: [0, 3, 4, 5])
        for member in try await store.topMembers(limit: 5) {
            let b = member.balances
            top.add([
                String(member.id), member.profile.name ?? "", member.level.level ?? "", grouped(b.lifetimeEarned), grouped(b.active), grouped(b.pending),
            ])
        }
        print(top.text)

        let mismatches = try await store.check()
        print("\nLedger check: \(mismatches.isEmpty ? "clean — every balance and lot equals the ledger" : "\(mismatches.count) MISMATCHES")")
        print(String(format: "Done in %.1f s. Explore: patron member show 1 --database %@", Date().timeIntervalSince(started), database))
        if !mismatches.isEmpty { throw ExitCode.failure }
    }
}
