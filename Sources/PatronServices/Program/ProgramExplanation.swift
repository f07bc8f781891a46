import Foundation
import PatronCore

/// A program in plain words, in English or Simplified Chinese: what `patron program explain` prints, what the
/// console's programme page shows and what the member handbook can reuse. Every sentence is made from the program
/// itself; the parts are kept apart (levels as rows, rules as a numbered list) so a page can lay them out as tables.
public struct ProgramExplanation: Sendable, Hashable {
    /// The language the sentences are written in.
    public enum Language: String, Sendable, Hashable, CaseIterable {
        /// English.
        case english = "en"
        /// Simplified Chinese.
        case simplifiedChinese = "zh-Hans"
    }

    /// One level and its benefits, each cell already in words (empty when the level has no such benefit).
    public struct LevelRow: Sendable, Hashable {
        /// The level's name.
        public var name: String
        /// Its threshold, in money for spend and as a count otherwise.
        public var from: String
        /// The level discount.
        public var discount: String
        /// Spend-X-save-Y offers.
        public var spendAndSave: String
        /// Free shipping from this order value.
        public var freeShippingFrom: String
        /// The birthday gift.
        public var birthday: String
        /// Other perks: returns, exclusive goods, service.
        public var perks: String
    }

    /// One earning rule: its position in evaluation order, its name and what it does.
    public struct Rule: Sendable, Hashable {
        /// 1-based position in evaluation order.
        public var number: Int
        /// The rule's name from the file.
        public var name: String
        /// What it earns and when.
        public var text: String
    }

    /// One reward of the catalogue in words.
    public struct RewardLine: Sendable, Hashable {
        /// The reward id.
        public var id: String
        /// The reward's name.
        public var name: String
        /// What kind of reward it is and its terms.
        public var kind: String
        /// Its cost in points.
        public var cost: String
        /// Who may redeem it and how often.
        public var limits: String
    }

    /// The language of every sentence.
    public var language: Language
    /// The program's name.
    public var name: String
    /// Currency and time zone.
    public var setting: String
    /// Who may join.
    public var enrollment: String
    /// How levels are reached and kept; `nil` without levels.
    public var levelPolicy: String?
    /// The levels, lowest first.
    public var levels: [LevelRow]
    /// The heading of the earning rules (evaluation order and rounding).
    public var earningHeading: String
    /// The earning rules in evaluation order.
    public var rules: [Rule]
    /// What the points are computed on.
    public var base: String
    /// Points for activities (check-in, review …), one sentence each.
    public var activities: [String]
    /// Points as payment at checkout, if allowed.
    public var pointsAsPayment: String?
    /// The pending period and the expiry policy.
    public var pendingAndExpiry: String
    /// The reward catalogue.
    public var rewards: [RewardLine]
    /// Partners that issue and accept points, one sentence each.
    public var partners: [String]
    /// Transfers between members, if allowed.
    public var transfers: String?

    /// Explains `program` in `language`.
    public init(program: Program, language: Language = .english) {
        let words = Words(program: program, language: language)
        self.language = language
        name = program.name
        setting = words.setting
        enrollment = words.enrollment
        levelPolicy = program.levels.map(words.levelPolicy)
        levels = program.levels.map(words.levelRows) ?? []
        earningHeading = words.earningHeading
        rules = program.earning.rules.enumerated().map { Rule(number: $0.offset + 1, name: $0.element.name, text: words.describe($0.element)) }
        base = words.base
        activities = words.activities
        pointsAsPayment = program.pointsAsPayment.map(words.pointsAsPayment)
        pendingAndExpiry = words.pendingAndExpiry
        rewards = program.rewards.map(words.reward)
        partners = program.partners.map(words.partner)
        transfers = program.transfers.map(words.transfers)
    }
}

/// The sentences of an explanation in one language.
private struct Words {
    let program: Program
    let language: ProgramExplanation.Language

    private var zh: Bool { language == .simplifiedChinese }
    private func money(_ minor: Int64) -> String { Money(minor: minor, program.currency).description }
    private func pick(_ english: String, _ chinese: String) -> String { zh ? chinese : english }
    private var listSeparator: String { zh ? "、" : ", " }

    var setting: String {
        pick("Currency \(program.currency.code), days counted in \(program.timeZone.identifier).",
             "币种 \(program.currency.code)，按 \(program.timeZone.identifier) 时区计日。")
    }

    var enrollment: String {
        switch program.enrollment {
        case .open: pick("Anyone may join, free.", "任何人均可免费加入。")
        case .restricted(.firstOrder): pick("Customers join with their first order.", "顾客完成首单即成为会员。")
        case .restricted(.minimumSpend(let minor)):
            pick("Customers join with an order of at least \(money(minor)).", "单笔订单满 \(money(minor)) 即成为会员。")
        }
    }

    func levelPolicy(_ policy: LevelPolicy) -> String {
        let window: String
        switch policy.window {
        case .lifetime: window = pick("since joining", "自入会以来")
        case .calendarYear: window = pick("in the calendar year", "本自然年内")
        case .rollingMonths(let n): window = pick("over the last \(n) months", "最近 \(n) 个月内")
        }
        let metric: String
        switch policy.metric {
        case .spend: metric = pick("spend", "消费金额")
        case .orders: metric = pick("completed orders", "完成订单数")
        case .points: metric = pick("points earned", "获得积分")
        }
        switch policy.growth {
        case .upgradeOnly:
            return pick("Levels by \(metric) \(window); members only move up.", "等级按\(window)的\(metric)确定；只升不降。")
        case .upgradeAndDowngrade(let months, let downgrade):
            let down = downgrade == .oneLevel ? pick("one level", "降一级") : pick("to the level qualified for", "降至符合条件的等级")
            return pick(
                "Levels by \(metric) \(window); a level is held for \(months) months, then re-evaluated (down \(down)).",
                "等级按\(window)的\(metric)确定；等级有效期 \(months) 个月，到期重新评定（不达标则\(down)）。")
        }
    }

    func levelRows(_ policy: LevelPolicy) -> [ProgramExplanation.LevelRow] {
        policy.levels.map { level in
            let b = level.benefits
            var perks = b.perks
            if let days = b.returnDays { perks.append(pick("\(days)-day returns", "\(days) 天无理由退货")) }
            if !b.exclusiveSKUs.isEmpty {
                perks.append(pick("exclusive: ", "专享商品：") + b.exclusiveSKUs.sorted().joined(separator: listSeparator))
            }
            return ProgramExplanation.LevelRow(
                name: level.name, from: policy.metric == .spend ? money(level.threshold) : String(level.threshold),
                discount: b.discountPercent.map { "\($0) %" } ?? "",
                spendAndSave: b.spendAndSave.map { pick("\(money($0.spend)) − \(money($0.save))", "满 \(money($0.spend)) 减 \(money($0.save))") }
                    .joined(separator: "; "),
                freeShippingFrom: b.freeShippingFrom.map(money) ?? "",
                birthday: b.birthdayPoints.map { pick("\($0) points", "\($0) 积分") } ?? "",
                perks: perks.joined(separator: listSeparator))
        }
    }

    var earningHeading: String {
        let rounding = program.earning.rounding.rawValue
        return pick(
            "rules in evaluation order: base rules, then multipliers and bonuses; rounded \(rounding) once per order",
            "规则按计算顺序排列：先基础规则，再加成与奖励；每单取整一次（\(rounding)）")
    }

    var base: String {
        let base = program.earning.base
        var out: String
        if zh {
            out = "积分按折后商品金额计算"
            out += base.includeShipping ? "，含运费" : "，不含运费"
            out += base.includeTax ? "，含税" : "，不含税"
            if !base.excludedSKUs.isEmpty { out += "；以下商品不计积分：\(base.excludedSKUs.sorted().joined(separator: "、"))" }
            if !base.excludedCategories.isEmpty { out += "；以下品类不计积分：\(base.excludedCategories.sorted().joined(separator: "、"))" }
            return out + "。"
        }
        out = "The base is the goods after discounts"
        out += base.includeShipping ? ", with shipping" : ", without shipping"
        out += base.includeTax ? " and with tax" : " and tax"
        if !base.excludedSKUs.isEmpty { out += "; never SKUs \(base.excludedSKUs.sorted().joined(separator: ", "))" }
        if !base.excludedCategories.isEmpty { out += "; never categories \(base.excludedCategories.sorted().joined(separator: ", "))" }
        return out + "."
    }

    private func limits(_ l: RuleLimit) -> [String] {
        [
            l.perDay.map { pick("\($0)/day", "每天 \($0) 次") }, l.perWeek.map { pick("\($0)/week", "每周 \($0) 次") },
            l.perMonth.map { pick("\($0)/month", "每月 \($0) 次") }, l.lifetime.map { pick("\($0) ever", "累计 \($0) 次") },
        ].compactMap { $0 }
    }

    var activities: [String] {
        program.activities.activities.sorted(by: { $0.key < $1.key }).map { kind, activity in
            let limits = self.limits(program.activities.effectiveLimit(kind) ?? RuleLimit())
            let streak = activity.streak.map { pick("\($0.days)-day streak +\($0.bonus)", "连续 \($0.days) 天额外 +\($0.bonus)") }
            return activityName(kind) + pick(": ", "：") + pick("\(activity.points) points", "\(activity.points) 积分")
                + (limits.isEmpty ? "" : pick(", at most ", "，最多") + limits.joined(separator: listSeparator))
                + (streak.isEmpty ? "" : pick("; ", "；") + streak.joined(separator: listSeparator))
        }
    }

    /// A built-in activity in words; a shop's own kind as the program names it.
    func activityName(_ kind: String) -> String {
        switch kind {
        case "checkIn": pick("Daily check-in", "每日签到")
        case "profileCompleted": pick("Completing your profile", "完善个人资料")
        case "favourite": pick("Adding a favourite", "收藏商品")
        case "review": pick("Writing a review", "发表评价")
        case "game": pick("Playing a game", "参与游戏")
        case "socialFollow": pick("Following the shop", "关注店铺")
        case "share": pick("Sharing", "分享")
        default: kind
        }
    }

    func pointsAsPayment(_ payment: PointsAsPayment) -> String {
        pick(
            "Points pay at checkout: \(payment.points) points = \(money(payment.perMinor)), for up to \(payment.maxPercent) % of the goods.",
            "结账时积分可抵现：\(payment.points) 积分 = \(money(payment.perMinor))，最多抵商品金额的 \(payment.maxPercent) %。")
    }

    var pendingAndExpiry: String {
        let expiry: String
        if zh {
            switch program.expiry {
            case .never: expiry = "永不过期"
            case .afterDays(let n): expiry = "获得后 \(n) 天过期"
            case .afterMonths(let n): expiry = "获得后 \(n) 个月过期"
            case .endOfMonth(let n): expiry = n == 0 ? "在获得当月月底过期" : "在获得当月的 \(n) 年后月底过期"
            case .endOfYear(let n): expiry = n == 0 ? "在获得当年年底过期" : "在获得当年再过 \(n) 年的年底过期"
            }
            return "积分在收货后待生效 \(program.pendingDays) 天，之后\(expiry)。"
        }
        return "Points stay pending for \(program.pendingDays) days after delivery, then expire \(program.expiry)."
    }

    func describe(_ rule: EarningRule) -> String {
        var text: String
        let code = program.currency.code
        switch rule.kind {
        case .fixed(let points, let per): text = pick("\(points) points per \(money(per))", "每 \(money(per)) 得 \(points) 积分")
        case .brackets(let steps, let mode):
            text = steps.map { pick("from \(money($0.from)): \($0.points) per \(code)", "\(money($0.from)) 起：每 \(code) \($0.points) 积分") }
                .joined(separator: "; ")
            text += mode == .wholeOrder
                ? pick(" (the whole order at its bracket's rate)", "（整单按所在档位计算）") : pick(" (each slice at its own rate)", "（各段分别按本档计算）")
        case .levelMultiplier(let multipliers):
            text = multipliers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: listSeparator)
        case .multiplier(let m): text = "×\(m)"
        case .firstOrderBonus(let points): text = pick("+\(points) points on the first order", "首单 +\(points) 积分")
        case .bonus(let points): text = pick("+\(points) points", "+\(points) 积分")
        case .birthday(let bonus, let multiplier, let scope):
            text = [bonus > 0 ? pick("+\(bonus) points", "+\(bonus) 积分") : nil, multiplier.map { "×\($0)" }].compactMap { $0 }
                .joined(separator: pick(" and ", "并且"))
            text += scope == .day ? pick(" on the birthday", "（生日当天）") : pick(" in the birthday month", "（生日当月）")
        }
        let c = rule.conditions
        var when: [String] = []
        if let from = c.from { when.append(pick("from \(from)", "自 \(from)")) }
        if let to = c.to { when.append(pick("to \(to)", "至 \(to)")) }
        if !c.channels.isEmpty { when.append(pick("channels ", "渠道 ") + c.channels.sorted().joined(separator: listSeparator)) }
        if !c.levels.isEmpty { when.append(pick("levels ", "等级 ") + c.levels.sorted().joined(separator: listSeparator)) }
        if !c.skus.isEmpty { when.append("SKUs " + c.skus.sorted().joined(separator: listSeparator)) }
        if !c.categories.isEmpty { when.append(pick("categories ", "品类 ") + c.categories.sorted().joined(separator: listSeparator)) }
        if let minimum = c.minimumAmount { when.append(pick("orders of \(money(minimum)) or more", "订单满 \(money(minimum))")) }
        if !c.tags.isEmpty { when.append(pick("members tagged \(c.tags.sorted().joined(separator: " or "))", "标签为 \(c.tags.sorted().joined(separator: "或")) 的会员")) }
        if !when.isEmpty { text += pick("; when ", "；条件：") + when.joined(separator: listSeparator) }
        let limits = self.limits(rule.limit)
        if !limits.isEmpty { text += pick("; at most ", "；最多") + limits.joined(separator: listSeparator) }
        return text
    }

    func reward(_ reward: Reward) -> ProgramExplanation.RewardLine {
        let kind: String
        switch reward.kind {
        case .coupon(let terms):
            var value = terms.value.map { pick("\(money($0)) off", "减 \(money($0))") } ?? terms.percent.map { pick("\($0) % off", "\($0) % 折扣") } ?? ""
            if terms.minimumSpend > 0 { value += pick(" on \(money(terms.minimumSpend)) or more", "（满 \(money(terms.minimumSpend)) 可用）") }
            value += pick(", valid \(terms.validDays) days", "，有效期 \(terms.validDays) 天")
            if terms.pooled { value += pick(", codes from a pool", "，券码来自上传的券码池") }
            kind = pick("coupon: ", "优惠券：") + value
        case .gift: kind = pick("gift, shipped", "实物礼品，需配送")
        case .pointsAndCash(let cash): kind = pick("points plus \(money(cash))", "积分加 \(money(cash))")
        case .event: kind = pick("event", "活动")
        case .lottery(let prizes): kind = pick("lottery with \(prizes.count) prizes", "抽奖，共 \(prizes.count) 种奖品")
        }
        var limits = self.limits(reward.limit).map { pick("at most ", "最多") + $0 }
        if !reward.levels.isEmpty { limits.append(pick("levels ", "等级 ") + reward.levels.sorted().joined(separator: listSeparator)) }
        if !reward.tags.isEmpty { limits.append(pick("tags ", "标签 ") + reward.tags.sorted().joined(separator: listSeparator)) }
        if let from = reward.visibleFrom { limits.append(pick("from \(from)", "自 \(from)")) }
        if let to = reward.visibleTo { limits.append(pick("to \(to)", "至 \(to)")) }
        return ProgramExplanation.RewardLine(
            id: reward.id, name: reward.name, kind: kind, cost: pick("\(reward.cost) points", "\(reward.cost) 积分"),
            limits: limits.joined(separator: pick("; ", "；")))
    }

    func partner(_ partner: Partner) -> String {
        let code = program.currency.code
        return pick(
            "\(partner.name) (\(partner.id)): pays \(partner.paysPerPoint) \(code) per point its customers earn, receives \(partner.receivesPerPoint) \(code) per point redeemed with it.",
            "\(partner.name)（\(partner.id)）：其顾客每获得 1 积分，商户支付 \(partner.paysPerPoint) \(code)；每在该商户兑换 1 积分，商户收取 \(partner.receivesPerPoint) \(code)。")
    }

    func transfers(_ policy: TransferPolicy) -> String {
        pick(
            "Members may give points to each other: \(policy.minimum) to \(policy.maximum) points at a time, fee \(policy.feePercent) %.",
            "会员之间可转赠积分：每次 \(policy.minimum) 至 \(policy.maximum) 积分，手续费 \(policy.feePercent) %。")
    }
}
