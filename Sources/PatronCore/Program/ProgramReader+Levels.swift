/// Reading the `levels` section: the qualifying metric, window, growth model and the levels with their benefits.
extension ProgramReader {
    static func readLevels(_ node: ConfigNode, _ currency: Currency?, _ reader: ConfigReader) -> LevelPolicy? {
        let path = "levels"
        guard let map = reader.mapping(node, at: path, allowed: ["metric", "window", "growth", "returns", "entry", "tiers"]) else { return nil }
        let entryText = reader.text(map, "entry", at: path, required: false) ?? "joining"
        if !["joining", "firstOrder"].contains(entryText) {
            reader.report("\(path).entry", map["entry"], "must be joining or firstOrder, not '\(entryText)'")
        }
        let before = reader.issues.count
        let metricText = reader.text(map, "metric", at: path, required: false) ?? "spend"
        let metric = LevelPolicy.Metric(rawValue: metricText)
        if metric == nil { reader.report("\(path).metric", map["metric"], "must be spend, orders or points, not '\(metricText)'") }
        let window = readWindow(map["window"], at: "\(path).window", reader)
        let growth = readGrowth(map["growth"], at: "\(path).growth", reader)
        let returnsText = reader.text(map, "returns", at: path, required: false) ?? "immediate"
        let returns = LevelPolicy.ReturnHandling(rawValue: returnsText)
        if returns == nil { reader.report("\(path).returns", map["returns"], "must be immediate or endOfPeriod, not '\(returnsText)'") }

        var levels: [Level] = []
        let tiers = reader.items(map, "tiers", at: path)
        if map["tiers"] == nil { reader.report("\(path).tiers", nil, "is required: the levels, lowest first") }
        for (index, (tierPath, tierNode)) in tiers.enumerated() {
            guard let tier = reader.mapping(tierNode, at: tierPath, allowed: ["name", "threshold", "benefits"]) else { continue }
            let name = reader.text(tier, "name", at: tierPath)
            if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { reader.report("\(tierPath).name", tier["name"], "must not be empty") }
            if let name, levels.contains(where: { $0.name == name }) { reader.report("\(tierPath).name", tier["name"], "'\(name)' names another level too") }
            let threshold: Int64? =
                metric == .spend
                ? reader.amount(tier, "threshold", at: tierPath, currency: currency)
                : reader.integer(tier, "threshold", at: tierPath, in: 0...1_000_000_000).map(Int64.init)
            if let threshold, let previous = levels.last, threshold <= previous.threshold {
                reader.report("\(tierPath).threshold", tier["threshold"], "must be greater than tiers[\(index - 1)].threshold")
            }
            let benefits = tier["benefits"].map { readBenefits($0, at: "\(tierPath).benefits", currency, reader) } ?? Benefits()
            if let name, let threshold { levels.append(Level(name: name, threshold: threshold, benefits: benefits ?? Benefits())) }
        }
        guard reader.issues.count == before, let metric, let window, let growth, let returns, !levels.isEmpty else {
            if reader.issues.count == before { reader.report("\(path).tiers", map["tiers"], "needs at least one level") }
            return nil
        }
        return LevelPolicy(metric: metric, window: window, growth: growth, returns: returns, levels: levels, entryOnFirstOrder: entryText == "firstOrder")
    }

    private static func readWindow(_ node: ConfigNode?, at path: String, _ reader: ConfigReader) -> LevelPolicy.Window? {
        switch node {
        case nil, .scalar("lifetime", _)?: return .lifetime
        case .scalar("calendarYear", _)?: return .calendarYear
        case let node?:
            if case .mapping = node, let map = reader.mapping(node, at: path, allowed: ["rollingMonths"]) {
                return reader.integer(map, "rollingMonths", at: path, in: 1...120).map(LevelPolicy.Window.rollingMonths)
            }
            if case .scalar = node { reader.report(path, node, "must be lifetime, calendarYear or { rollingMonths: N }") }
            return nil
        }
    }

    private static func readGrowth(_ node: ConfigNode?, at path: String, _ reader: ConfigReader) -> LevelPolicy.Growth? {
        switch node {
        case nil, .scalar("upgradeOnly", _)?: return .upgradeOnly
        case let node?:
            guard case .mapping = node, let map = reader.mapping(node, at: path, allowed: ["upgradeAndDowngrade"]),
                let inner = map["upgradeAndDowngrade"]
            else {
                if case .scalar = node { reader.report(path, node, "must be upgradeOnly or { upgradeAndDowngrade: { validityMonths: 12 } }") }
                return nil
            }
            let innerPath = "\(path).upgradeAndDowngrade"
            guard let m = reader.mapping(inner, at: innerPath, allowed: ["validityMonths", "downgrade"]) else { return nil }
            let months = reader.integer(m, "validityMonths", at: innerPath, in: 1...120)
            let text = reader.text(m, "downgrade", at: innerPath, required: false) ?? "oneLevel"
            let downgrade = LevelPolicy.Downgrade(rawValue: text)
            if downgrade == nil { reader.report("\(innerPath).downgrade", m["downgrade"], "must be oneLevel or toQualified, not '\(text)'") }
            guard let months, let downgrade else { return nil }
            return .upgradeAndDowngrade(validityMonths: months, downgrade: downgrade)
        }
    }

    private static func readBenefits(_ node: ConfigNode, at path: String, _ currency: Currency?, _ reader: ConfigReader) -> Benefits? {
        let keys: Set<String> = [
            "discountPercent", "spendAndSave", "freeShippingFrom", "birthdayPoints", "monthlyCoupons", "perks", "returnDays", "exclusiveSkus",
        ]
        guard let map = reader.mapping(node, at: path, allowed: keys) else { return nil }
        let before = reader.issues.count
        var benefits = Benefits()
        benefits.discountPercent = reader.rate(map, "discountPercent", at: path, required: false)
        if let discount = benefits.discountPercent, discount.numerator >= discount.denominator * 100 {
            reader.report("\(path).discountPercent", map["discountPercent"], "must be below 100")
        }
        for (stepPath, stepNode) in reader.items(map, "spendAndSave", at: path) {
            guard let step = reader.mapping(stepNode, at: stepPath, allowed: ["spend", "save"]),
                let spend = reader.amount(step, "spend", at: stepPath, currency: currency, positive: true),
                let save = reader.amount(step, "save", at: stepPath, currency: currency, positive: true)
            else { continue }
            if save >= spend { reader.report("\(stepPath).save", step["save"], "must be less than spend") }
            if let previous = benefits.spendAndSave.last, spend <= previous.spend {
                reader.report("\(stepPath).spend", step["spend"], "steps must be in ascending order of spend")
            }
            benefits.spendAndSave.append(SpendAndSave(spend: spend, save: save))
        }
        benefits.freeShippingFrom = reader.amount(map, "freeShippingFrom", at: path, currency: currency, required: false)
        benefits.birthdayPoints = map["birthdayPoints"] == nil ? nil : reader.integer(map, "birthdayPoints", at: path, in: 1...10_000_000).map(Int64.init)
        benefits.monthlyCoupons = reader.strings(map, "monthlyCoupons", at: path)
        benefits.perks = reader.strings(map, "perks", at: path)
        benefits.returnDays = map["returnDays"] == nil ? nil : reader.integer(map, "returnDays", at: path, in: 0...365)
        benefits.exclusiveSKUs = Set(reader.strings(map, "exclusiveSkus", at: path))
        return reader.issues.count == before ? benefits : nil
    }
}
