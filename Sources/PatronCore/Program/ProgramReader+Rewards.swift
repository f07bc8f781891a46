/// Reading the `rewards` catalogue.
extension ProgramReader {
    static func readRewards(_ node: ConfigNode, _ currency: Currency?, _ levels: LevelPolicy?, _ reader: ConfigReader) -> [Reward] {
        guard case .sequence = node else {
            reader.report("rewards", node, "must be a list of rewards")
            return []
        }
        var rewards: [Reward] = []
        let keys: Set<String> = ["id", "name", "kind", "cost", "cash", "coupon", "stock", "limit", "levels", "tags", "from", "to"]
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
            case "pointsAndCash"?: kind = reader.amount(map, "cash", at: path, currency: currency, positive: true).map { .pointsAndCash(cash: $0) }
            case "coupon"?:
                if let node = map["coupon"], let c = reader.mapping(node, at: "\(path).coupon", allowed: ["value", "percent", "minimumSpend", "validDays"]) {
                    let couponPath = "\(path).coupon"
                    let value = reader.amount(c, "value", at: couponPath, currency: currency, required: false, positive: true)
                    let percent = reader.rate(c, "percent", at: couponPath, required: false)
                    if (value == nil) == (percent == nil) { reader.report(couponPath, node, "give exactly one of value or percent") }
                    let minimum = reader.amount(c, "minimumSpend", at: couponPath, currency: currency, required: false) ?? 0
                    if let days = reader.integer(c, "validDays", at: couponPath, in: 1...3_650) {
                        kind = .coupon(CouponTerms(value: value, percent: percent, minimumSpend: minimum, validDays: days))
                    }
                } else if map["coupon"] == nil {
                    reader.report("\(path).coupon", nil, "is required for a coupon: { value or percent, minimumSpend, validDays }")
                }
            case let other?: reader.report("\(path).kind", map["kind"], "'\(other)' is not a reward kind; use coupon, gift, pointsAndCash or event")
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
        return rewards
    }
}
