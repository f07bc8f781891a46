/// Reading the `earning` section: the base, the rounding and the rules.
extension ProgramReader {
    static func readEarning(_ node: ConfigNode, _ currency: Currency?, _ levels: LevelPolicy?, _ reader: ConfigReader) -> EarningPolicy? {
        let path = "earning"
        guard let map = reader.mapping(node, at: path, allowed: ["points", "per", "base", "rounding", "rules"]) else { return nil }
        var rules: [EarningRule] = []
        var ok = true
        var names: Set<String> = []
        if map["points"] != nil || map["per"] != nil {
            let points = reader.rate(map, "points", at: path)
            let per = reader.amount(map, "per", at: path, currency: currency, positive: true)
            if let points, let per { rules.append(EarningRule(name: "base", kind: .fixed(points: points, perMinor: per))) } else { ok = false }
            names.insert("base")
        }
        for (itemPath, item) in reader.items(map, "rules", at: path) {
            guard let rule = readRule(item, at: itemPath, currency, levels, reader) else { ok = false; continue }
            if !names.insert(rule.name).inserted {
                reader.report("\(itemPath).name", item, "'\(rule.name)' names another rule too; rule names must be unique")
            }
            rules.append(rule)
        }
        let baseRules = rules.filter(\.isBase)
        if ok, baseRules.isEmpty {
            reader.report(path, node, "needs a base rule: points and per (1 point per 1.00), or a fixed or brackets rule in rules")
        }
        if map["points"] != nil, baseRules.count > 1 {
            reader.report("\(path).points", map["points"], "the shorthand points/per and a fixed or brackets rule would both earn; keep one")
        }
        var rounding = Rounding.floor
        if let text = reader.text(map, "rounding", at: path, required: false) {
            if let value = Rounding(rawValue: text) { rounding = value } else {
                reader.report("\(path).rounding", map["rounding"], "must be floor, nearest or ceiling, not '\(text)'")
            }
        }
        var base = EarningBase()
        if let node = map["base"] {
            let basePath = "\(path).base"
            if let b = reader.mapping(node, at: basePath, allowed: ["includeShipping", "includeTax", "excludeSkus", "excludeCategories"]) {
                base.includeShipping = reader.bool(b, "includeShipping", at: basePath, default: false)
                base.includeTax = reader.bool(b, "includeTax", at: basePath, default: false)
                base.excludedSKUs = Set(reader.strings(b, "excludeSkus", at: basePath))
                base.excludedCategories = Set(reader.strings(b, "excludeCategories", at: basePath))
            }
        }
        guard ok, !baseRules.isEmpty else { return nil }
        return EarningPolicy(rules: rules, base: base, rounding: rounding)
    }

    private static let ruleKinds: Set<String> = ["fixed", "brackets", "levelMultiplier", "multiplier", "firstOrderBonus", "birthday", "bonus"]

    private static func readRule(_ node: ConfigNode, at path: String, _ currency: Currency?, _ levels: LevelPolicy?, _ reader: ConfigReader) -> EarningRule? {
        guard let map = reader.mapping(node, at: path, allowed: ruleKinds.union(["name", "when", "limit"])) else { return nil }
        let kinds = map.keys.filter(ruleKinds.contains)
        guard kinds.count == 1, let kindKey = kinds.first else {
            reader.report(path, node, "must have exactly one of \(ruleKinds.sorted().joined(separator: ", "))")
            return nil
        }
        let name = reader.text(map, "name", at: path, required: false) ?? kindKey
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || name.isEmpty {
            reader.report("\(path).name", map["name"], "must be a non-empty name without control characters")
        } else if name.hasPrefix("campaign:") {
            reader.report(
                "\(path).name", map["name"],
                "'\(name)': names starting with campaign: are reserved for marketing campaigns' parts of an order's points; choose another name")
        }
        let kindPath = "\(path).\(kindKey)"
        let value = map[kindKey]!
        var kind: EarningRule.Kind?
        switch kindKey {
        case "fixed":
            if let m = reader.mapping(value, at: kindPath, allowed: ["points", "per"]),
                let points = reader.rate(m, "points", at: kindPath), let per = reader.amount(m, "per", at: kindPath, currency: currency, positive: true)
            {
                kind = .fixed(points: points, perMinor: per)
            }
        case "brackets": kind = readBrackets(value, at: kindPath, currency, reader)
        case "levelMultiplier":
            if case .mapping(let pairs, _) = value {
                var multipliers: [String: Rate] = [:]
                for (level, rateNode) in pairs {
                    if levels?.level(named: level) == nil {
                        reader.report("\(kindPath).\(level)", rateNode, "'\(level)' is not a level of this program")
                    }
                    if let rate = reader.rate([level: rateNode], level, at: kindPath) { multipliers[level] = rate }
                }
                kind = multipliers.count == pairs.count ? .levelMultiplier(multipliers) : nil
            } else {
                reader.report(kindPath, value, "must map level names to multipliers, such as Gold: 1.5")
            }
        case "multiplier": kind = reader.rate(map, "multiplier", at: path).map(EarningRule.Kind.multiplier)
        case "firstOrderBonus", "bonus":
            let points = reader.integer(map, kindKey, at: path, in: 0...10_000_000).map(Int64.init)
            kind = points.map { kindKey == "bonus" ? .bonus($0) : .firstOrderBonus($0) }
        default:  // birthday
            if let m = reader.mapping(value, at: kindPath, allowed: ["bonus", "multiplier", "scope"]) {
                let bonus = Int64(reader.integer(m, "bonus", at: kindPath, in: 0...10_000_000, default: 0) ?? 0)
                let multiplier = reader.rate(m, "multiplier", at: kindPath, required: false)
                let scopeText = reader.text(m, "scope", at: kindPath, required: false) ?? "day"
                if let scope = BirthdayScope(rawValue: scopeText) {
                    kind = .birthday(bonus: bonus, multiplier: multiplier, scope: scope)
                } else {
                    reader.report("\(kindPath).scope", m["scope"], "must be day or month, not '\(scopeText)'")
                }
            }
        }
        let conditions = map["when"].map { readConditions($0, at: "\(path).when", currency, levels, reader) } ?? RuleConditions()
        let limit = map["limit"].map { readLimit($0, at: "\(path).limit", reader) } ?? RuleLimit()
        guard let kind, let conditions, let limit else { return nil }
        return EarningRule(name: name, kind: kind, conditions: conditions, limit: limit)
    }

    private static func readBrackets(_ node: ConfigNode, at path: String, _ currency: Currency?, _ reader: ConfigReader) -> EarningRule.Kind? {
        guard let map = reader.mapping(node, at: path, allowed: ["mode", "steps"]) else { return nil }
        let modeText = reader.text(map, "mode", at: path, required: false) ?? "wholeOrder"
        let mode = BracketMode(rawValue: modeText)
        if mode == nil { reader.report("\(path).mode", map["mode"], "must be wholeOrder or perSlice, not '\(modeText)'") }
        var steps: [Bracket] = []
        var ok = true
        for (index, (stepPath, stepNode)) in reader.items(map, "steps", at: path).enumerated() {
            guard let step = reader.mapping(stepNode, at: stepPath, allowed: ["from", "points"]) else { ok = false; continue }
            let from = step["from"] == nil ? 0 : reader.amount(step, "from", at: stepPath, currency: currency)
            guard let from, let points = reader.rate(step, "points", at: stepPath) else { ok = false; continue }
            if index == 0, from != 0 { reader.report("\(stepPath).from", step["from"], "the first step must start at 0 (leave from out)") }
            if let previous = steps.last, from <= previous.from {
                reader.report("\(stepPath).from", step["from"], "must be greater than steps[\(index - 1)].from; brackets must not overlap")
                ok = false
            }
            steps.append(Bracket(from: from, points: points))
        }
        if map["steps"] != nil, steps.isEmpty, ok { reader.report("\(path).steps", map["steps"], "needs at least one step") }
        guard ok, let mode, !steps.isEmpty else { return nil }
        return .brackets(steps, mode: mode)
    }

    private static func readConditions(_ node: ConfigNode, at path: String, _ currency: Currency?, _ levels: LevelPolicy?, _ reader: ConfigReader) -> RuleConditions? {
        let keys: Set<String> = ["from", "to", "channels", "levels", "skus", "categories", "minimumAmount", "tags"]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        let before = reader.issues.count
        var c = RuleConditions(
            from: reader.date(map, "from", at: path), to: reader.date(map, "to", at: path), channels: Set(reader.strings(map, "channels", at: path)),
            levels: Set(reader.strings(map, "levels", at: path)), skus: Set(reader.strings(map, "skus", at: path)),
            categories: Set(reader.strings(map, "categories", at: path)), tags: Set(reader.strings(map, "tags", at: path)))
        c.minimumAmount = reader.amount(map, "minimumAmount", at: path, currency: currency, required: false)
        for (index, level) in reader.strings(map, "levels", at: path).enumerated() where levels?.level(named: level) == nil {
            reader.report("\(path).levels[\(index)]", map["levels"], "'\(level)' is not a level of this program")
        }
        if let from = c.from, let to = c.to, to < from { reader.report("\(path).to", map["to"], "must not be before from (\(from))") }
        return reader.issues.count == before ? c : nil
    }

    static func readActivities(_ node: ConfigNode, _ reader: ConfigReader) -> ActivityPolicy? {
        let path = "activities"
        guard case .mapping(let pairs, _) = node else {
            reader.report(path, node, "must map activities (checkIn, profileCompleted, review …) to their points")
            return nil
        }
        let before = reader.issues.count
        var activities: [String: Activity] = [:]
        for (kind, value) in pairs {
            let kindPath = "\(path).\(kind)"
            if kind.isEmpty || kind.contains(where: { $0.isWhitespace }) { reader.report(kindPath, value, "activity names have no spaces") }
            guard let map = reader.mapping(value, at: kindPath, allowed: ["points", "limit", "streak"]) else { continue }
            let points = reader.integer(map, "points", at: kindPath, in: 1...10_000_000).map(Int64.init)
            let limit = map["limit"].map { readLimit($0, at: "\(kindPath).limit", reader) } ?? RuleLimit()
            var streak: [StreakBonus] = []
            for (stepPath, stepNode) in reader.items(map, "streak", at: kindPath) {
                if kind != "checkIn" { reader.report(stepPath, stepNode, "streak bonuses are for checkIn only") }
                guard let step = reader.mapping(stepNode, at: stepPath, allowed: ["days", "bonus"]),
                    let days = reader.integer(step, "days", at: stepPath, in: 2...3_650),
                    let bonus = reader.integer(step, "bonus", at: stepPath, in: 1...10_000_000)
                else { continue }
                streak.append(StreakBonus(days: days, bonus: Int64(bonus)))
            }
            if let points, let limit { activities[kind] = Activity(points: points, limit: limit, streak: streak) }
        }
        return reader.issues.count == before ? ActivityPolicy(activities: activities) : nil
    }

    static func readLimit(_ node: ConfigNode, at path: String, _ reader: ConfigReader) -> RuleLimit? {
        guard let map = reader.mapping(node, at: path, allowed: ["perDay", "perWeek", "perMonth", "lifetime"]) else { return nil }
        let before = reader.issues.count
        let limit = RuleLimit(
            perDay: map["perDay"] == nil ? nil : reader.integer(map, "perDay", at: path, in: 1...1_000_000),
            perWeek: map["perWeek"] == nil ? nil : reader.integer(map, "perWeek", at: path, in: 1...1_000_000),
            perMonth: map["perMonth"] == nil ? nil : reader.integer(map, "perMonth", at: path, in: 1...1_000_000),
            lifetime: map["lifetime"] == nil ? nil : reader.integer(map, "lifetime", at: path, in: 1...1_000_000))
        return reader.issues.count == before ? limit : nil
    }

    static func readPointsAsPayment(_ node: ConfigNode, _ currency: Currency?, _ reader: ConfigReader) -> PointsAsPayment? {
        let path = "pointsAsPayment"
        guard let map = reader.mapping(node, at: path, allowed: ["points", "per", "maxPercent"]) else { return nil }
        let points = reader.integer(map, "points", at: path, in: 1...1_000_000)
        let per = reader.amount(map, "per", at: path, currency: currency, positive: true)
        let maxPercent = reader.integer(map, "maxPercent", at: path, in: 1...100)
        guard let points, let per, let maxPercent else { return nil }
        return PointsAsPayment(points: Int64(points), perMinor: per, maxPercent: maxPercent)
    }
}
