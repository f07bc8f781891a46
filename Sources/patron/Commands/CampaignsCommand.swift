import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron campaigns …`: marketing campaigns on segments, with holdout groups and their uplift report.
struct CampaignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns", abstract: "Marketing campaigns: offers to a segment, measured against a held-out control group.",
        discussion: "A campaign file (YAML or JSON) names the segment, the window, the holdout, the budget and the actions; see docs/marketing.md.",
        subcommands: [
            Create.self, List.self, Show.self, Step.Schedule.self, Step.Start.self, Step.Pause.self, Step.Resume.self, Step.Finish.self,
            Step.Cancel.self, Assign.self, Report.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a campaign from a file, as a draft. Every problem is reported with its path and line; nothing is written then.")
        @Argument(help: "The campaign file (YAML or JSON).") var file: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: file) else { throw PatronError(.notFound, "cannot read the campaign file '\(file)'") }
                let service = try await CampaignsCommand.service(store)
                let record = try await service.create(text: String(decoding: data, as: UTF8.self), actor: try actor.resolve())
                if json { return try printJSON(record) }
                print("Created campaign \(record.campaign.name) (draft) on segment \(record.campaign.segment), \(record.campaign.starts) to \(record.campaign.ends)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the campaigns with their status, groups and spending.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let records = try await CampaignsCommand.service(store).list()
                if json { return try printJSON(records) }
                var table = Table(["name", "status", "segment", "window", "treated", "control", "points spent", "budget"], rightAligned: [4, 5, 6])
                for r in records {
                    table.add([
                        r.campaign.name, r.status.rawValue, r.campaign.segment, "\(r.campaign.starts) – \(r.campaign.ends)", String(r.treated),
                        String(r.control), grouped(r.pointsSpent), r.campaign.pointsBudget.map(grouped) ?? "none",
                    ])
                }
                print(records.isEmpty ? "No campaigns; create one with `patron campaigns create FILE`." : table.text)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a campaign's definition, status and spending.")
        @Argument(help: "The campaign's name.") var name: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let r = try await CampaignService(context: ServiceContext(store: opened, clock: try store.clock())).show(name)
                if json { return try printJSON(r) }
                let currency = try await opened.currentProgram()?.program.currency
                let money = { (minor: Int64) in currency.map { Money(minor: minor, $0).description } ?? "\(minor) minor units" }
                let c = r.campaign
                print("Campaign \(c.name): \(r.status.rawValue)")
                if let description = c.description { print(description) }
                print("Segment \(c.segment); window \(c.starts) to \(c.ends); attribution \(c.attributionDays) days; holdout \(Double(c.holdoutBasisPoints) / 100) %")
                print("Budget: \(c.pointsBudget.map { "\(grouped($0)) points" } ?? "no points limit"), \(c.moneyBudget.map { "\(money($0)) in coupons" } ?? "no money limit"); per member: \(c.perMemberPoints.map { "\(grouped($0)) points" } ?? "no cap")")
                print("Actions: \(c.actions.map { CampaignsCommand.describe($0, money: money) }.joined(separator: "; "))")
                print("Members: \(r.treated) treated, \(r.control) control; spent \(grouped(r.pointsSpent)) points and \(money(r.moneySpent)) in coupons")
            }
        }
    }

    /// The lifecycle steps: each one audited with its actor.
    enum Step {
        /// What every step takes: the campaign, who takes the step, the database, and whether to print JSON.
        struct Options: ParsableArguments {
            @Argument(help: "The campaign's name.") var name: String
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var actor: ActorOption
            @OptionGroup var store: StoreOptions

            /// Takes `transition` and prints the campaign's new status (and whom a start or resume assigned).
            func take(_ transition: CampaignTransition) async throws {
                try await reportingErrors {
                    let change = try await CampaignsCommand.service(store).transition(name, transition, actor: try actor.resolve())
                    if json { return try printJSON(change) }
                    print("Campaign \(name) is \(change.campaign.status.rawValue)")
                    if let a = change.assignment { print(CampaignsCommand.describe(a)) }
                }
            }
        }

        struct Schedule: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Approve a draft to run: draft → scheduled; the campaigns job (serve, patron jobs run) starts it when its window opens.")
            @OptionGroup var step: Options
            func run() async throws { try await step.take(.schedule) }
        }
        struct Start: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Start it: draft or scheduled → running; assigns the segment's members to treated and control and runs the entry actions.")
            @OptionGroup var step: Options
            func run() async throws { try await step.take(.start) }
        }
        struct Pause: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Pause it: running → paused; orders earn nothing extra meanwhile.")
            @OptionGroup var step: Options
            func run() async throws { try await step.take(.pause) }
        }
        struct Resume: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Resume it: paused → running; members new to the segment are assigned.")
            @OptionGroup var step: Options
            func run() async throws { try await step.take(.resume) }
        }
        struct Finish: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Finish it: running or paused → finished.")
            @OptionGroup var step: Options
            func run() async throws { try await step.take(.finish) }
        }
        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel it for good: draft, scheduled, running or paused → cancelled.")
            @OptionGroup var step: Options
            func run() async throws { try await step.take(.cancel) }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign members who joined the segment since the last pass (a running campaign) now, without waiting for the campaigns job; earlier members keep their group.")
        @Argument(help: "The campaign's name.") var name: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let assignment = try await CampaignsCommand.service(store).assign(name, actor: try actor.resolve())
                if json { return try printJSON(assignment) }
                print(CampaignsCommand.describe(assignment))
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the treated group with the control group: buyers, orders, revenue, incremental orders and revenue with 95 % intervals, cost and return.")
        @Argument(help: "The campaign's name.") var name: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let report = try await CampaignsCommand.service(store).report(name)
                if json { return try printJSON(report) }
                print(report.text)
            }
        }
    }

    static func service(_ options: StoreOptions) async throws -> CampaignService {
        CampaignService(context: ServiceContext(store: try await options.open(), clock: try options.clock()))
    }

    static func describe(_ a: CampaignAssignment) -> String {
        var parts = ["Assigned \(a.treated) treated and \(a.control) control (\(a.alreadyAssigned) already assigned)"]
        if a.pointsGranted > 0 || a.grantsRefused > 0 { parts.append("granted \(grouped(a.pointsGranted)) points (\(a.grantsRefused) grants refused by the budget or cap)") }
        if a.couponsIssued > 0 || a.couponsRefused > 0 { parts.append("issued \(a.couponsIssued) coupons (\(a.couponsRefused) refused: stock or budget)") }
        if a.tagged > 0 { parts.append("tagged \(a.tagged)") }
        if a.messagesWaiting > 0 { parts.append("\(a.messagesWaiting) messages queued") }
        return parts.joined(separator: "; ")
    }

    static func describe(_ action: CampaignAction, money: (Int64) -> String) -> String {
        switch action {
        case .grantPoints(let p): "grant \(p) points on entry"
        case .orderBonus(let p, let minimum): "+\(p) points per order" + (minimum.map { " from \(money($0))" } ?? "")
        case .orderMultiplier(let r, let minimum): "\(r)× points per order" + (minimum.map { " from \(money($0))" } ?? "")
        case .reward(let id): "coupon \(id) on entry"
        case .tag(let t): "tag \(t)"
        case .untag(let t): "untag \(t)"
        case .message(let template, let channel): "message \(template) by \(channel) (queued as a campaign message on entry)"
        }
    }
}
