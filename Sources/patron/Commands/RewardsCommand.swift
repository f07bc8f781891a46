import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron rewards list`: the catalogue.
struct RewardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rewards", abstract: "The rewards catalogue.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the rewards points buy, with what is left of each one's stock.",
            discussion: "stock is what the catalogue offers in all, remaining what redemptions (not reversed) left of it; with --program FILE only the stock is known.")
        @OptionGroup var source: ProgramSource
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let loaded = try await source.loadWithStore()
                let program = loaded.program
                let catalogue = try await RewardCatalogue.load(program: program, store: loaded.store)
                let money = { (minor: Int64) in Money(minor: minor, program.currency).description }
                struct Row: Encodable { let id, name, kind: String; let cost: Int64; let stock: Int?; let remaining: Int?; let terms: String }
                let rows = catalogue.entries.map { entry -> Row in
                    let reward = entry.reward
                    let (kind, terms): (String, String)
                    switch reward.kind {
                    case .coupon(let c):
                        kind = "coupon"
                        terms = (c.value.map { money($0) + " off" } ?? "\(c.percent!) % off") + (c.minimumSpend > 0 ? " from \(money(c.minimumSpend))" : "")
                            + ", valid \(c.validDays) days"
                    case .gift: (kind, terms) = ("gift", "")
                    case .pointsAndCash(let cash): (kind, terms) = ("points + cash", "+ \(money(cash))")
                    case .event: (kind, terms) = ("event", "")
                    case .lottery(let prizes):
                        kind = "lottery"
                        terms = prizes.map { ($0.points.map { "\($0) points" } ?? $0.reward ?? "") + " at \($0.probability)" }.joined(separator: ", ")
                    }
                    return Row(id: reward.id, name: reward.name, kind: kind, cost: reward.cost, stock: reward.stock, remaining: entry.remaining, terms: terms)
                }
                if json { return try printJSON(rows) }
                var table = Table(["id", "name", "kind", "points", "stock", "remaining", "terms"], rightAligned: [3, 4, 5])
                for row in rows {
                    table.add([row.id, row.name, row.kind, grouped(row.cost), row.stock.map(String.init) ?? "", row.remaining.map(String.init) ?? "", row.terms])
                }
                print(table.text)
            }
        }
    }
}

/// `patron redeem MEMBER REWARD` and `patron redeem --reverse ID`.
struct RedeemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeem", abstract: "Redeem a reward for a member, or reverse a redemption (--reverse ID --reason …).")
    @Argument(help: "A member id or KIND:VALUE, and the reward id.") var arguments: [String] = []
    @Option(help: ArgumentHelp("Reverse this redemption instead (a cancelled gift, a revoked coupon); needs --reason.", valueName: "redemption"))
    var reverse: Int64?
    @Option(help: ArgumentHelp("Mark this gift redemption shipped.", valueName: "redemption")) var ship: Int64?
    @Option(help: ArgumentHelp("Mark this gift redemption delivered.", valueName: "redemption")) var deliver: Int64?
    @Option(help: "Why, for a reversal.") var reason: String?
    @Option(help: "The partner merchant the reward is redeemed with.") var partner: String?
    @Option(help: "An idempotency key: the same key again does not redeem twice (default: a new random key).") var key: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var actor: ActorOption
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            let opened = try await store.open()
            let now = try store.clock().now()
            let key = key ?? UUID().uuidString
            let admin = AdminActions(store: opened)
            let redemption: Redemption
            if let ship {
                redemption = try await admin.fulfil(redemption: ship, status: "shipped", actor: try actor.resolve(), at: now)
            } else if let deliver {
                redemption = try await admin.fulfil(redemption: deliver, status: "delivered", actor: try actor.resolve(), at: now)
            } else if let reverse {
                guard let reason else { throw PatronError(.invalidInput, "a reversal needs --reason") }
                redemption = try await admin.reverseRedemption(
                    ReverseRedemptionRequest(redemptionId: reverse, reason: reason, key: key, at: now), actor: try actor.resolve())
            } else {
                guard arguments.count == 2 else { throw PatronError(.invalidInput, "give the member and the reward: patron redeem customer:C1 coupon-10") }
                let member = try await MemberCommand.MemberReference.parse([arguments[0]]).resolve(opened)
                redemption = try await opened.redeem(RedeemRequest(memberId: member.id, rewardId: arguments[1], key: key, at: now, partner: partner))
            }
            if json { return try printJSON(redemption) }
            let time = try await InstantFormat.of(opened)
            print("redemption \(redemption.id): \(redemption.rewardId) for \(grouped(redemption.points)) points, \(redemption.status)"
                + (redemption.couponCode.map { ", coupon \($0)" } ?? "") + (redemption.validUntil.map { " valid until \(time.text($0))" } ?? ""))
        }
    }
}

/// `patron coupons …`: a member's coupons, and codes for pooled coupon rewards.
struct CouponsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupons", abstract: "List a member's coupons, or import codes for a pooled coupon reward.", subcommands: [List.self, Import.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member's coupons with their status and validity.")
        @OptionGroup var reference: MemberCommand.MemberReference
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let coupons = try await opened.coupons(member: try await reference.resolve(opened).id)
                if json { return try printJSON(coupons) }
                let time = try await InstantFormat.of(opened)
                var table = Table(["redemption", "reward", "code", "status", "valid until"], rightAligned: [0])
                for c in coupons { table.add([String(c.id), c.rewardId, c.couponCode ?? "", c.status.rawValue, time.text(c.validUntil, none: "")]) }
                print(coupons.isEmpty ? "(no coupons)" : table.text)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add codes (one a line) to a coupon reward with codes: pool.")
        @Argument(help: "The reward id.") var reward: String
        @Argument(help: "A file with one code a line.") var file: String
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    throw PatronError(.invalidInput, "cannot read \(file)")
                }
                let codes = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let added = try await AdminActions(store: try await store.open()).importCouponCodes(
                    reward: reward, codes: codes, actor: try actor.resolve(), at: try store.clock().now())
                print("added \(added) of \(codes.count) codes to \(reward) (the rest were known already)")
            }
        }
    }
}
