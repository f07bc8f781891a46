import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// `/console/rewards` (viewProgram): the catalogue with its cost, stock left and taken, per-member limits and the code
/// pools of pooled coupons; importing coupon codes into a pool (changeProgram), confirmed and audited (`reward.codes`).
enum RewardsPages {
    struct Row: Sendable {
        let id: String
        let name: String
        let kind: String
        let cost: String
        let stock: String
        let taken: String
        let left: String
        let limits: String
        let pool: String
        let soldOut: Bool
    }

    struct PoolChoice: Sendable {
        let id: String
        let label: String
        let selected: Bool
    }

    struct Model: Sendable {
        let hasProgram: Bool
        let rewards: [Row]
        let canImport: Bool
        let pools: [PoolChoice]
        let hasPools: Bool
        let codes: String
        let problems: [String]
        let confirmError: String?
        let rewardError: String?
    }

    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/rewards", .viewProgram) { _, page in
            try await render(page, form: nil, problems: [], confirmError: nil, rewardError: nil, status: .ok)
        }
        routes.staff(.post, "/console/rewards/codes", .changeProgram) { request, page in try await importCodes(request, page) }
    }

    static func importCodes(_ request: Request, _ page: StaffPage) async throws -> Response {
        let form = try await page.form(request)
        let program = try await page.context.currentProgram().program
        let reward = form["reward"] ?? ""
        let pooled = program.rewards.first { $0.id == reward && $0.isPooledCoupon }
        var problems: [String] = []
        var codes: [String] = []
        for (index, line) in (form["codes"] ?? "").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let code = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if code.isEmpty { continue }
            do {
                try CouponCode.validate(code, line: index + 1)
                codes.append(code)
            } catch let error as PatronError {
                problems.append(error.message)
            }
        }
        let rewardError = pooled == nil ? page.text("ops.rewards.choosePool") : nil
        if codes.isEmpty && problems.isEmpty { problems.append(page.text("ops.rewards.noCodes")) }
        let confirmError = form["confirm"] == "yes" ? nil : page.text("ops.confirmRequired")
        guard problems.isEmpty, rewardError == nil, confirmError == nil else {
            return try await render(page, form: form, problems: problems, confirmError: confirmError, rewardError: rewardError, status: .badRequest)
        }
        let added = try await AdminActions(store: page.context.store).importCouponCodes(
            reward: reward, codes: codes, actor: page.actor, at: page.context.clock.now())
        let notice = page.text("ops.rewards.imported").replacingOccurrences(of: "{added}", with: page.formats.number(added))
            .replacingOccurrences(of: "{sent}", with: page.formats.number(codes.count)).replacingOccurrences(of: "{reward}", with: reward)
        return page.redirect("/console/rewards", notice: notice)
    }

    static func render(
        _ page: StaffPage, form: Form?, problems: [String], confirmError: String?, rewardError: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        guard let program = try await page.context.store.currentProgram()?.program else {
            return page.render(
                "staff/rewards/index", title: page.text("ops.rewards.title"),
                Model(
                    hasProgram: false, rewards: [], canImport: false, pools: [], hasPools: false, codes: "", problems: [], confirmError: nil,
                    rewardError: nil), status: status)
        }
        let taken = try await page.context.store.stockTaken()
        let pools = try await page.context.store.couponPools()
        let words = ProgramExplanation(program: program, language: .init(page.language))
        let rows = zip(program.rewards, words.rewards).map { reward, line in
            let used = taken[reward.id] ?? 0
            let left = reward.remainingStock(taken: used)
            let pool = reward.isPooledCoupon
                ? page.text("ops.rewards.poolCounts").replacingOccurrences(of: "{left}", with: page.formats.number(pools[reward.id]?.left ?? 0))
                    .replacingOccurrences(of: "{uploaded}", with: page.formats.number(pools[reward.id]?.uploaded ?? 0)) : ""
            return Row(
                id: reward.id, name: reward.name, kind: line.kind, cost: page.formats.points(reward.cost),
                stock: reward.stock.map(page.formats.number) ?? page.text("ops.rewards.unlimited"), taken: page.formats.number(used),
                left: left.map(page.formats.number) ?? page.text("ops.rewards.unlimited"), limits: line.limits, pool: pool,
                soldOut: left == 0 || (reward.isPooledCoupon && (pools[reward.id]?.left ?? 0) == 0))
        }
        let chosen = form?["reward"]
        let choices = program.rewards.filter(\.isPooledCoupon).map { PoolChoice(id: $0.id, label: "\($0.id) · \($0.name)", selected: $0.id == chosen) }
        return page.render(
            "staff/rewards/index", title: page.text("ops.rewards.title"),
            Model(
                hasProgram: true, rewards: rows, canImport: page.may(.changeProgram) && !choices.isEmpty, pools: choices, hasPools: !choices.isEmpty,
                codes: form?["codes"] ?? "", problems: problems, confirmError: confirmError, rewardError: rewardError), status: status)
    }
}

extension Reward {
    /// Whether this is a coupon whose codes come from an uploaded pool.
    var isPooledCoupon: Bool {
        if case .coupon(let terms) = kind { return terms.pooled }
        return false
    }
}
