import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron segments`: named sets of members, dynamic (a condition) or static (imported), for marketing.
struct SegmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments", abstract: "Segments of members: load, list, show, preview, export, import, refresh, score.",
        subcommands: [List.self, Show.self, Preview.self, Export.self, Load.self, Import.self, Refresh.self, Score.self])

    /// Reads a file as UTF-8 text, naming it when it cannot.
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw PatronError(.invalidInput, "cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw PatronError(.invalidInput, "\(path) is not UTF-8 text") }
        return text
    }

    static func context(_ store: StoreOptions) async throws -> ServiceContext {
        ServiceContext(store: try await store.open(), clock: try store.clock())
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every segment with its kind, version, members and last refresh.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let context = try await SegmentsCommand.context(store)
                let segments = try await SegmentService(context: context).list()
                if json { return try printJSON(segments) }
                let time = try await InstantFormat.of(context.store)
                var table = Table(["segment", "kind", "version", "members", "refreshed", "description"], rightAligned: [2, 3])
                for segment in segments {
                    table.add([
                        segment.name, segment.kind.rawValue, String(segment.version), grouped(segment.memberCount),
                        time.text(segment.refreshedAt, none: "never"), segment.definition.description ?? "",
                    ])
                }
                print(segments.isEmpty ? "No segments; load some with `patron segments load FILE`." : table.text)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A segment's definition, version and members count; --sql prints the SQL it runs.")
        @Argument(help: "The segment's name.") var name: String
        @Flag(help: "Also print the SQL the condition compiles to now.") var sql = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await SegmentsCommand.context(store)
                let service = SegmentService(context: context)
                let segment = try await service.segment(name)
                if json { return try printJSON(segment) }
                let time = try await InstantFormat.of(context.store)
                let digits = try await context.currentProgram().program.currency.minorDigits
                print("Segment \(segment.name) (\(segment.kind.rawValue), version \(segment.version))")
                if let description = segment.definition.description { print("  \(description)") }
                print("  members: \(grouped(segment.memberCount)), refreshed \(time.text(segment.refreshedAt, none: "never"))")
                print("  changed: \(time.text(segment.updatedAt))")
                if let condition = segment.definition.condition { print("  where: \(condition.spelled(minorDigits: digits))") }
                if sql, let text = try await service.sql(name) { print("\n" + text) }
            }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How many members a segment selects now, their share of members and of the last 12 months' revenue, and a sample.")
        @Argument(help: "The segment's name.") var name: String
        @Option(help: "How many members to show (0 to 1000).") var sample = 20
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await SegmentsCommand.context(store)
                let preview = try await SegmentService(context: context).preview(name, sample: sample)
                if json { return try printJSON(preview) }
                let program = try await context.currentProgram().program
                let money = { (minor: Int64) in Money(minor: minor, program.currency).description }
                print("Segment \(name): \(grouped(preview.count)) of \(grouped(preview.members)) members (\(percent(preview.memberShare)))")
                print(
                    "  revenue in the last 12 months: \(money(preview.revenue12Months)) of \(money(preview.totalRevenue12Months)) (\(percent(preview.revenueShare)))")
                guard !preview.sample.isEmpty else { return }
                let now = context.clock.now()
                var table = Table(["member", "identity", "level", "active points", "lifetime earned"], rightAligned: [0, 3, 4])
                for member in preview.sample {
                    table.add([
                        String(member.id), member.identities.first?.description ?? "", member.level.effectiveLevel(at: now) ?? "",
                        grouped(member.balances.active), grouped(member.balances.lifetimeEarned),
                    ])
                }
                print("\nSample\n" + table.text)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A segment's members as CSV: member id, entered at (UTC), identities.")
        @Argument(help: "The segment's name.") var name: String
        @Flag(help: "Write CSV (the only format).") var csv = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await SegmentsCommand.context(store)
                let formatter = ISO8601DateFormatter()
                print("member_id,entered_at,identities")
                try await SegmentService(context: context).export(name) { row in
                    let identities = row.identities.joined(separator: " ")
                    let quoted = identities.contains(where: { $0 == "," || $0 == "\"" })
                        ? "\"" + identities.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : identities
                    print("\(row.memberId),\(formatter.string(from: row.enteredAt)),\(quoted)")
                }
            }
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load segments from a YAML file (segments: …, or a program file's segments: section); every problem is named with its path and line, and nothing is stored when there is one.")
        @Argument(help: "The segments file.") var file: String
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let text = try SegmentsCommand.read(file)
                let context = try await SegmentsCommand.context(store)
                let outcome: SegmentService.LoadOutcome
                do {
                    outcome = try await SegmentService(context: context).load(text: text, actor: try actor.resolve())
                } catch var error as PatronError {
                    error.message = "\(file): \(error.message)"
                    throw error
                }
                let refreshed = Dictionary(uniqueKeysWithValues: outcome.refreshed.map { ($0.segment, $0) })
                var table = Table(["segment", "kind", "version", "change", "members"], rightAligned: [2, 4])
                for item in outcome.saved {
                    table.add([
                        item.segment.name, item.segment.kind.rawValue, String(item.segment.version), item.change,
                        refreshed[item.segment.name].map { grouped($0.members) } ?? grouped(item.segment.memberCount),
                    ])
                }
                print(table.text)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a static segment's members with those a CSV of identities names (header: identity, or a kind such as customer).")
        @Argument(help: "The static segment's name.") var name: String
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let text = try SegmentsCommand.read(file)
                let context = try await SegmentsCommand.context(store)
                let outcome = try await SegmentService(context: context).importStatic(name, csv: text, actor: try actor.resolve())
                print("\(name): \(grouped(outcome.members)) members (\(grouped(outcome.entered)) entered, \(grouped(outcome.left)) left)")
            }
        }
    }

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-evaluate a dynamic segment (or all) over every member now; entries and exits go to the outbox.")
        @Argument(help: "The segment's name (default: every dynamic segment).") var name: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await SegmentsCommand.context(store)
                var table = Table(["segment", "entered", "left", "members"], rightAligned: [1, 2, 3])
                for item in try await SegmentService(context: context).refresh(name) {
                    table.add([item.segment, grouped(item.entered), grouped(item.left), grouped(item.members)])
                }
                print(table.text)
            }
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score every member now (RFM, loyalty stage, BG/NBD P(alive) and 90-day purchases, 12-month CLV and percentile) for segment conditions.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = try await SegmentsCommand.context(store)
                let report = try await MemberScoring(context: context).run()
                let time = try await InstantFormat.of(context.store)
                print("scored \(grouped(report.members)) members at \(time.text(report.fittedAt)): \(grouped(report.rfm)) with RFM, \(grouped(report.clv)) with BG/NBD and CLV")
                if let problem = report.clvProblem { print("note: \(problem)") }
            }
        }
    }
}
