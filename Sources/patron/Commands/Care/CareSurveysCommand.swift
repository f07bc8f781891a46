import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron care surveys …`: NPS invitations after completed orders, answers, and NPS broken down.
struct CareSurveysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "surveys", abstract: "NPS surveys after completed orders: invite, list, answer, and NPS by level, segment, cohort, channel and month.",
        discussion: "The program's care: surveys: section sets the sample and how often a member may be asked; see docs/care.md.",
        subcommands: [Invite.self, List.self, Answer.self, NPS.self])

    static func service(_ options: StoreOptions) async throws -> SurveyService {
        try await service(ServiceContext(store: try await options.open(), clock: try options.clock()))
    }

    static func service(_ context: ServiceContext) async throws -> SurveyService {
        SurveyService(context: context, followUp: CareServices.detractorFollowUp(context))
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invite the members of sampled orders completed lately (the job `serve` runs too). Running it again invites no one twice.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let run = try await CareSurveysCommand.service(store).runInvitations()
                if json { return try printJSON(run) }
                print("Looked at \(grouped(run.considered)) completed orders, sampled \(grouped(run.sampled)), invited \(grouped(run.invited))"
                    + " (\(grouped(run.skippedRecentlyInvited)) members asked lately, \(grouped(run.alreadyInvited)) orders invited before)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List invitations, newest first, with their answers.")
        @Option(help: "Only this member's.") var member: Int64?
        @Flag(help: "Only answered ones.") var answered = false
        @Flag(help: "Only unanswered ones.") var unanswered = false
        @Option(help: "At most this many (1–1000).") var limit = 50
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                if answered && unanswered { throw PatronError(.invalidInput, "--answered and --unanswered: give one of them, not both") }
                let opened = try await store.open()
                let time = try await InstantFormat.of(opened)
                let list = try await CareSurveysCommand.service(ServiceContext(store: opened, clock: try store.clock())).invitations(
                    member: member, answered: answered ? true : unanswered ? false : nil, limit: limit)
                if json { return try printJSON(list) }
                var table = Table(["id", "member", "order", "channel", "invited", "score", "level", "ticket", "comment"], rightAligned: [0, 1, 5])
                for i in list {
                    table.add([
                        String(i.id), String(i.memberId), i.orderId, i.channel ?? "", time.text(i.invitedAt), i.score.map(String.init) ?? "–",
                        i.level ?? "", i.ticketId.map(String.init) ?? "", i.comment ?? "",
                    ])
                }
                print(list.isEmpty ? "No invitations; run `patron care surveys invite` after orders complete." : table.text)
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a member's answer (0–10, once per invitation). A detractor's answer (0–6) opens a ticket.")
        @Argument(help: "The invitation id.") var invitation: Int64
        @Option(help: "How likely the member is to recommend the shop, 0–10.") var score: Int
        @Option(help: "The member's comment.") var comment: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let answered = try await CareSurveysCommand.service(store).answer(invitation: invitation, score: score, comment: comment)
                if json { return try printJSON(answered) }
                print("Invitation \(answered.id): \(answered.score ?? 0) (\(answered.category?.rawValue ?? ""))"
                    + (answered.ticketId.map { "; opened ticket \($0)" } ?? ""))
            }
        }
    }

    struct NPS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nps", abstract: "NPS (% promoters 9–10 − % detractors 0–6) overall and by level, segment, cohort, channel and month.")
        @Option(help: "Only answers on or after this day (yyyy-MM-dd, the program's time zone).") var from: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let service = try await CareSurveysCommand.service(store)
                let start = try await CareCommandDates.start(from, store: store)
                let breakdown = try await service.breakdown(from: start)
                if json { return try printJSON(breakdown) }
                print(CareText.nps(breakdown))
            }
        }
    }
}
