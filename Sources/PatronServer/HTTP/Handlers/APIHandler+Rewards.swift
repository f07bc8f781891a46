import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    func listRewards(_ input: Operations.ListRewards.Input) async throws -> Operations.ListRewards.Output {
        let rewards = try await rewardCatalogue().map { entry -> Components.Schemas.Reward in
            let reward = entry.reward
            var item = Components.Schemas.Reward(
                id: reward.id, name: reward.name, kind: .coupon, cost: reward.cost, stock: reward.stock, remaining: entry.remaining,
                levels: reward.levels.sorted(), tags: reward.tags.sorted())
            switch reward.kind {
            case .coupon: item.kind = .coupon
            case .gift: item.kind = .gift
            case .pointsAndCash(let cash): (item.kind, item.cash) = (.pointsAndCash, cash)
            case .event: item.kind = .event
            case .lottery: item.kind = .lottery
            }
            return item
        }
        return .ok(.init(body: .json(rewards)))
    }

    /// The program's rewards with what is left of each one's stock; shared with the direct route (`DirectRoutes`).
    func rewardCatalogue() async throws -> [RewardCatalogue.Entry] {
        try await RewardCatalogue.load(program: try await program().program, store: store).entries
    }

    func importCouponCodes(_ input: Operations.ImportCouponCodes.Input) async throws -> Operations.ImportCouponCodes.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the codes as JSON") }
        let added = try await AdminActions(store: store).importCouponCodes(reward: input.path.reward, codes: body.codes, actor: actor, at: now())
        return .ok(.init(body: .json(.init(count: added))))
    }

    func redeemReward(_ input: Operations.RedeemReward.Input) async throws -> Operations.RedeemReward.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the redemption as JSON") }
        let target = try await member(body.member)
        // A refusal for stock, a limit or eligibility may open a care ticket (care.automatic.refusedRedemption).
        let redemption = try await RefusedRedemptionTickets(context: ServiceContext(store: store, clock: HandlerClock(instant: now))).redeem(
            RedeemRequest(memberId: target.id, rewardId: body.reward, key: input.headers.idempotencyKey, at: now(), partner: body.partner))
        return .created(.init(body: .json(try Bridge.convert(redemption))))
    }

    func getRedemption(_ input: Operations.GetRedemption.Input) async throws -> Operations.GetRedemption.Output {
        .ok(.init(body: .json(try Bridge.convert(try await store.redemption(id: input.path.redemption)))))
    }

    func reverseRedemption(_ input: Operations.ReverseRedemption.Input) async throws -> Operations.ReverseRedemption.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the reason as JSON") }
        let after = try await AdminActions(store: store).reverseRedemption(
            ReverseRedemptionRequest(redemptionId: input.path.redemption, reason: body.reason, key: input.headers.idempotencyKey, at: now()),
            actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(after))))
    }

    func fulfilRedemption(_ input: Operations.FulfilRedemption.Input) async throws -> Operations.FulfilRedemption.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the status as JSON") }
        let after = try await AdminActions(store: store).fulfil(redemption: input.path.redemption, status: body.status.rawValue, actor: actor, at: now())
        return .ok(.init(body: .json(try Bridge.convert(after))))
    }

    func transferPoints(_ input: Operations.TransferPoints.Input) async throws -> Operations.TransferPoints.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the transfer as JSON") }
        let (from, to) = (try await member(body.from), try await member(body.to))
        let outcome = try await AdminActions(store: store).transfer(
            TransferRequest(from: from.id, to: to.id, points: body.points, key: input.headers.idempotencyKey, at: now()), actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(outcome))))
    }

    func getSettlement(_ input: Operations.GetSettlement.Input) async throws -> Operations.GetSettlement.Output {
        let settlement = try await store.settlement(
            partner: input.path.partner, from: try Self.day(input.query.from, "from"), to: try Self.day(input.query.to, "to"))
        return .ok(.init(body: .json(try Bridge.convert(settlement))))
    }

    /// A query's `yyyy-MM-dd` day, or a 400 naming `field`.
    static func day(_ text: String, _ field: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else {
            throw APIError.invalid("\(field): '\(text)' is not a yyyy-MM-dd date", fields: [.init(path: field, message: "not a date")])
        }
        return date
    }
}
