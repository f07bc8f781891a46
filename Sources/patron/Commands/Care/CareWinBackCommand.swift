import ArgumentParser
import Foundation
import PatronAnalytics
import PatronCore
import PatronServices
import PatronStore

/// `patron care winback …`: the at-risk list, offers made, and whether the members came back.
struct CareWinBackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winback", abstract: "Win-back follow-up: members at risk with their likely cause, offers made, recovery within 90 days.",
        subcommands: [List.self, Offer.self, Recovery.self])

    static func service(_ options: StoreOptions) async throws -> WinBackService {
        WinBackService(context: ServiceContext(store: try await options.open(), clock: try options.clock()))
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members at risk: BG/NBD P(alive) below a limit and no order for a while, highest CLV first, with their likely cause.")
        @Option(help: "P(alive) below this (0–1).") var maxAlive = 0.5
        @Option(help: "At least this many days since the last order.") var minDays = 60
        @Option(help: "At most this many members.") var limit = 20
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let list = try await CareWinBackCommand.service(store).atRisk(maxProbabilityAlive: maxAlive, minDaysSinceLastOrder: minDays, limit: limit)
                if json { return try printJSON(list) }
                print("\(grouped(list.atRisk)) of \(grouped(list.customers)) buyers at risk on \(list.asOf) (P(alive) < \(maxAlive), \(minDays)+ days without an order)")
                print("Likely causes: " + WinBackCause.allCases.map { "\($0.rawValue) \(list.causes[$0.rawValue] ?? 0)" }.joined(separator: ", "))
                var table = Table(
                    ["member", "P(alive)", "exp. purchases 12m", "last order", "days", "orders", "CLV", "cause", "complaints", "returns", "discounted"],
                    rightAligned: [1, 2, 4, 5, 6, 8, 9, 10])
                for c in list.candidates {
                    table.add([
                        c.customer, String(format: "%.2f", c.probabilityAlive), String(format: "%.2f", c.expectedPurchases), c.lastOrder, String(c.daysSinceLastOrder),
                        String(c.orders), String(format: "%.2f", c.clv), c.cause.rawValue, String(c.history.complaints), String(c.history.returns),
                        "\(c.history.discountedOrders)/\(c.history.orders)",
                    ])
                }
                if !list.candidates.isEmpty { print("\n" + table.text) }
            }
        }
    }

    struct Offer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an offer made to a member (audited), so its outcome is followed for 90 days.")
        @Argument(help: "The member id.") var member: Int64
        @Option(help: "What was offered, such as coupon:welcome-10, call or 200 points.") var offer: String
        @Option(help: "The cause it addresses (complaint, returns, price, incentive, unknown); default: the one the history shows.") var cause: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                var chosen: WinBackCause?
                if let cause {
                    guard let known = WinBackCause(rawValue: cause) else {
                        throw PatronError(.invalidInput, "--cause '\(cause)': use one of \(WinBackCause.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    chosen = known
                }
                let recorded = try await CareWinBackCommand.service(store).recordOffer(member: member, offer: offer, cause: chosen, actor: try actor.resolve())
                if json { return try printJSON(recorded) }
                print("Recorded offer \(recorded.id) to member \(recorded.memberId): \(recorded.offer) (cause: \(recorded.cause))")
            }
        }
    }

    struct Recovery: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether members came back within the window after their offer, and what they spent; rates per cause and offer.")
        @Option(help: "The window, days.") var window = 90
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let recovery = try await CareWinBackCommand.service(store).recovery(windowDays: window)
                if json { return try printJSON(recovery) }
                print("Recovery within \(recovery.windowDays) days, as of \(recovery.asOf)")
                for (title, rows) in [("cause", [recovery.overall] + recovery.byCause), ("offer", recovery.byOffer)] {
                    var table = Table([title, "offers", "decided", "came back", "rate", "spent (minor units)"], rightAligned: [1, 2, 3, 4, 5])
                    for r in rows { table.add([r.key, String(r.offers), String(r.decided), String(r.recovered), CareText.share(r.rate), grouped(r.spend)]) }
                    print("\n" + table.text)
                }
            }
        }
    }
}
