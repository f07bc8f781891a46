import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron care csat …`: the member's satisfaction (1–5) with how a closed ticket was handled, through the same
/// `CareReportService` the API's `/v1/care/surveys/csat/{ticket}` uses. `patron care csat TICKET --score N` records a
/// rating; `show` and `list` read them.
struct CareCSATCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csat", abstract: "CSAT of closed tickets (1–5): rate one, show one, or list them.",
        discussion: "A ticket is rated once, when it is closed. `patron care csat 12 --score 5 --comment \"quick\"` records the member's answer.",
        subcommands: [Rate.self, Show.self, List.self], defaultSubcommand: Rate.self)

    /// The service over the opened store, and the store's way of writing instants.
    static func service(_ options: StoreOptions) async throws -> (CareReportService, InstantFormat) {
        let opened = try await options.open()
        let context = ServiceContext(store: opened, clock: try options.clock())
        return (CareReportService(context: context, tickets: CareServices.ticketReader(context)), try await InstantFormat.of(opened))
    }

    static func line(_ rating: CSATRating, time: InstantFormat) -> String {
        "ticket \(rating.ticketId): \(rating.score) of 5, \(time.text(rating.ratedAt))" + (rating.comment.map { " — \($0)" } ?? "")
    }

    struct Rate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rate", abstract: "Record the member's rating of a closed ticket (1–5, once per ticket).")
        @Argument(help: "The ticket's number.") var ticket: Int64
        @Option(help: "How satisfied the member is with how the ticket was handled, 1–5.") var score: Int
        @Option(help: "The member's comment.") var comment: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let (service, time) = try await CareCSATCommand.service(store)
                let rating = try await service.rate(ticket: ticket, score: score, comment: comment)
                if json { return try printJSON(rating) }
                print("rated " + CareCSATCommand.line(rating, time: time))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a ticket's rating.")
        @Argument(help: "The ticket's number.") var ticket: Int64
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let (service, time) = try await CareCSATCommand.service(store)
                let rating = try await service.rating(ticket: ticket)
                if json { return try printJSON(rating) }
                print(CareCSATCommand.line(rating, time: time))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the ratings, oldest first, with their mean and share of 4–5.")
        @Option(help: "Only ratings on or after this day (yyyy-MM-dd, the program's time zone).") var from: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let start = try await CareCommandDates.start(from, store: store)
                let (service, time) = try await CareCSATCommand.service(store)
                let ratings = try await service.ratings(from: start)
                if json { return try printJSON(ratings) }
                guard !ratings.isEmpty else { return print("No CSAT ratings yet; a closed ticket is rated with `patron care csat TICKET --score N`.") }
                var table = Table(["ticket", "member", "score", "rated", "comment"], rightAligned: [0, 1, 2])
                for r in ratings {
                    table.add([String(r.ticketId), r.memberId.map(String.init) ?? "", String(r.score), time.text(r.ratedAt), r.comment ?? ""])
                }
                let mean = Double(ratings.reduce(0) { $0 + $1.score }) / Double(ratings.count)
                let satisfied = Double(ratings.filter { $0.score >= 4 }.count) / Double(ratings.count)
                print(table.text)
                print("\(grouped(ratings.count)) ratings, mean \(String(format: "%.2f", mean)), \(CareText.share(satisfied)) rated 4–5")
            }
        }
    }
}
