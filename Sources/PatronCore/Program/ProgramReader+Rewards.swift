/// Reading the `rewards` catalogue.
extension ProgramReader {
    static func readRewards(_ node: ConfigNode, _ currency: Currency?, _ levels: LevelPolicy?, _ reader: ConfigReader) -> [Reward] {
        guard case .sequence = node else {
            reader.report("rewards", node, "must be a list of rewards")
            return []
        }
        var rewards: [Reward] = []
        let keys: Set<String> = ["id", "name", "kind", "cost", "cash", "coupon", "prizes", "stock", "limit", "levels", "tags", "from", "to"]
        for (path, item) in reader.items(["rewards": node], "rewards", at: "") {
            guard let map = reader.mapping(item, at: path, allowed: keys) else { continue }
            let before = reader.issues.count
            let id = reader.text(map, "id", at: path) ?? ""
            if rewards.contains(where: { $0.id == id }) { reader.report("\(path).id", map["id"], "'\(id)' names another reward too") }
            let name = reader.text(map, "name", at: path, required: false) ?? id
            let cost = reader.integer(map, "cost", at: path, in: 1...1_000_000_000).map(Int64.init)
            var kind: Reward.Kind?
            switch reader.text(map, "kind", at: path) {
            case "gift"?: kind = .gift
            case "event"?: kind = .event
            case "lottery"?:
                var prizes: [Prize] = []
                var total = Rate(0, per: 1)
                for (prizePath, prizeNode) in reader.items(map, "prizes", at: path) {
                    guard let p = reader.mapping(prizeNode, at: prizePath, allowed: ["points", "reward", "probability"]),
                        let probability = reader.rate(p, "probability", at: prizePath)
                    else { continue }
                    let points = p["points"] == nil ? nil : reader.integer(p, "points", at: prizePath, in: 1...100_000_000).map(Int64.init)
                    let reward = reader.text(p, "reward", at: prizePath, required: false)
                    if (points == nil) == (reward == nil) { reader.report(prizePath, prizeNode, "give exactly one of points or reward") }
                    total = Rate(total.numerator * probability.denominator + probability.numerator * total.denominator, per: total.denominator * probability.denominator)
                    prizes.append(Prize(points: points, reward: reward, probability: probability))
                }
                if prizes.isEmpty { reader.report("\(path).prizes", map["prizes"], "a lottery needs at least one prize") }
                if total.numerator > total.denominator { reader.report("\(path).prizes", map["prizes"], "the probabilities add up to more than 1") }
                kind = .lottery(prizes)
            case "pointsAndCash"?: kind = reader.amount(map, "cash", at: path, currency: currency, positive: true).map { .pointsAndCash(cash: $0) }
            case "coupon"?:
                if let node = map["coupon"], let c = reader.mapping(node, at: "\(path).coupon", allowed: ["value", "percent", "minimumSpend", "validDays", "codes"]) {
                    let couponPath = "\(path).coupon"
                    let value = reader.amount(c, "value", at: couponPath, currency: currency, required: false, positive: true)
                    let percent = reader.rate(c, "percent", at: couponPath, required: false)
                    if (value == nil) == (percent == nil) { reader.report(couponPath, node, "give exactly one of value or percent") }
                    let minimum = reader.amount(c, "minimumSpend", at: couponPath, currency: currency, required: false) ?? 0
                    let codes = reader.text(c, "codes", at: couponPath, required: false) ?? "generated"
                    if !["generated", "pool"].contains(codes) { reader.report("\(couponPath).codes", c["codes"], "must be generated or pool, not '\(codes)'") }
                    if let days = reader.integer(c, "validDays", at: couponPath, in: 1...3_650) {
                        var terms = CouponTerms(value: value, percent: percent, minimumSpend: minimum, validDays: days)
                        terms.pooled = codes == "pool"
                        kind = .coupon(terms)
                    }
                } else if map["coupon"] == nil {
                    reader.report("\(path).coupon", nil, "is required for a coupon: { value or percent, minimumSpend, validDays }")
                }
            case let other?:
                reader.report("\(path).kind", map["kind"], "'\(other)' is not a reward kind; use coupon, gift, pointsAndCash, event or lottery")
            case nil: break
            }
            let stock = map["stock"] == nil ? nil : reader.integer(map, "stock", at: path, in: 0...100_000_000)
            let limit = map["limit"].map { readLimit($0, at: "\(path).limit", reader) } ?? RuleLimit()
            let eligible = Set(reader.strings(map, "levels", at: path))
            for level in eligible where levels?.level(named: level) == nil {
                reader.report("\(path).levels", map["levels"], "'\(level)' is not a level of this program")
            }
            let from = reader.date(map, "from", at: path)
            let to = reader.date(map, "to", at: path)
            guard reader.issues.count == before, let cost, let kind, let limit else { continue }
            rewards.append(
                Reward(
                    id: id, name: name, kind: kind, cost: cost, stock: stock, limit: limit, levels: eligible,
                    tags: Set(reader.strings(map, "tags", at: path)), visibleFrom: from, visibleTo: to))
        }
        // A lottery's reward prizes must be coupons of this catalogue.
        for reward in rewards {
            guard case .lottery(let prizes) = reward.kind else { continue }
            for prize in prizes {
                if let id = prize.reward, !rewards.contains(where: { $0.id == id && { if case .coupon = $0.kind { true } else { false } }($0) }) {
                    reader.report("rewards", node, "lottery \(reward.id): prize '\(id)' is not a coupon in rewards")
                }
            }
        }
        return rewards
    }
}
