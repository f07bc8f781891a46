import Foundation

/// What a campaign file may refer to, so that the reader can name an unknown segment or reward with its line.
public struct CampaignVocabulary: Sendable {
    /// The program's currency (amounts are in its major units).
    public var currency: Currency
    /// The names of the segments that exist.
    public var segments: Set<String>
    /// The ids of the catalogue's coupon rewards (the only rewards a campaign can give).
    public var couponRewards: Set<String>

    /// A vocabulary.
    public init(currency: Currency, segments: Set<String>, couponRewards: Set<String>) {
        self.currency = currency
        self.segments = segments
        self.couponRewards = couponRewards
    }
}

/// Turns a campaign file (YAML or JSON, as a `ConfigNode` tree) into a `MarketingCampaign`, reporting every problem
/// with its path and line: unknown keys, an unknown segment or reward, a budget or cap that is not positive, a window
/// that ends before it starts, a holdout outside 0–50 %.
///
/// ```yaml
/// name: win-back-2026-03
/// segment: lapsing
/// window: { starts: 2026-03-01, ends: 2026-03-31 }
/// attributionDays: 14
/// holdout: 10            # percent of the segment held out as the control group
/// budget: { points: 10000, money: 500.00 }
/// perMember: { points: 300 }
/// actions:
///   - grantPoints: 100
///   - orderBonus: { points: 50, minimumAmount: 100.00 }
/// ```
public enum CampaignReader {
    static let keys: Set<String> = ["name", "description", "segment", "window", "attributionDays", "holdout", "budget", "perMember", "actions"]

    /// Reads a campaign, or throws `invalidInput` with every issue (`path (line N): message`) in its details.
    public static func read(_ document: ConfigNode, vocabulary: CampaignVocabulary) throws -> MarketingCampaign {
        let reader = ConfigReader()
        let campaign = read(document, vocabulary, reader)
        guard reader.issues.isEmpty, let campaign else {
            let count = max(reader.issues.count, 1)
            throw PatronError(.invalidInput, "the campaign has \(count) problem\(count == 1 ? "" : "s")", details: reader.issues.map(\.description))
        }
        return campaign
    }

    /// Whether `name` can name a campaign: 1 to 64 letters, digits, `-` and `_`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }
    }

    private static func read(_ node: ConfigNode, _ vocabulary: CampaignVocabulary, _ reader: ConfigReader) -> MarketingCampaign? {
        guard let map = reader.mapping(node, at: "", allowed: keys) else { return nil }
        let name = reader.text(map, "name", at: "")
        if let name, !isValidName(name) {
            reader.report("name", map["name"], "'\(name)' is not a campaign name: use 1 to 64 letters, digits, - and _")
        }
        let description = reader.text(map, "description", at: "", required: false)
        if let description, description.count > 1_000 { reader.report("description", map["description"], "is longer than 1,000 characters") }
        let segment = reader.text(map, "segment", at: "")
        if let segment, !vocabulary.segments.contains(segment) {
            let known = vocabulary.segments.isEmpty ? "there are none; load one with `patron segments load FILE`" : vocabulary.segments.sorted().joined(separator: ", ")
            reader.report("segment", map["segment"], "no segment is named '\(segment)' (known: \(known))")
        }

        var starts: LocalDate?, ends: LocalDate?
        if let windowNode = map["window"] {
            if let window = reader.mapping(windowNode, at: "window", allowed: ["starts", "ends"]) {
                starts = reader.date(window, "starts", at: "window")
                ends = reader.date(window, "ends", at: "window")
                if window["starts"] == nil { reader.report("window.starts", nil, "is required") }
                if window["ends"] == nil { reader.report("window.ends", nil, "is required") }
                if let starts, let ends, ends < starts {
                    reader.report("window.ends", window["ends"], "the window ends (\(ends)) before it starts (\(starts))")
                }
            }
        } else {
            reader.report("window", nil, "is required")
        }
        let attribution = reader.integer(map, "attributionDays", at: "", in: 0...365, default: 14) ?? 14
        var holdout = 1_000
        if let raw = reader.text(map, "holdout", at: "", required: false) {
            let text = raw.hasSuffix("%") ? String(raw.dropLast()).trimmingCharacters(in: .whitespaces) : raw
            if let rate = Rate(decimal: text), rate.numerator * 100 % rate.denominator == 0, rate.numerator * 100 / rate.denominator <= 5_000 {
                holdout = Int(rate.numerator * 100 / rate.denominator)
            } else {
                reader.report("holdout", map["holdout"], "must be a percentage from 0 to 50 with at most two decimals, such as 10, not '\(raw)'")
            }
        }

        var pointsBudget: Int64?, moneyBudget: Int64?
        if let node = map["budget"], let budget = reader.mapping(node, at: "budget", allowed: ["points", "money"]) {
            pointsBudget = positivePoints(budget, "points", at: "budget", reader)
            if let raw = reader.text(budget, "money", at: "budget", required: false) {
                if let minor = DecimalText.scaled(raw, digits: vocabulary.currency.minorDigits), minor > 0, minor <= Order.maximumAmount {
                    moneyBudget = minor
                } else {
                    reader.report("budget.money", budget["money"], "must be a positive amount in \(vocabulary.currency.code) such as 500.00, not '\(raw)'")
                }
            }
            if budget.isEmpty { reader.report("budget", node, "give points, money or both, or leave the budget out") }
        }
        var perMember: Int64?
        if let node = map["perMember"], let cap = reader.mapping(node, at: "perMember", allowed: ["points"]) {
            perMember = positivePoints(cap, "points", at: "perMember", reader)
        }

        var actions: [CampaignAction] = []
        let items = reader.items(map, "actions", at: "")
        if map["actions"] == nil { reader.report("actions", nil, "is required: a campaign needs at least one action") }
        else if items.isEmpty, case .sequence = map["actions"]! { reader.report("actions", map["actions"], "a campaign needs at least one action") }
        var orderActions = 0
        for (path, item) in items {
            if let action = readAction(item, at: path, vocabulary, reader) {
                if case .orderMultiplier = action { orderActions += 1 }
                if case .orderBonus = action { orderActions += 1 }
                if orderActions > 1, action.earningRule(campaign: "") != nil {
                    reader.report(path, item, "a campaign has at most one order action (orderBonus or orderMultiplier)")
                }
                actions.append(action)
            }
        }
        guard let name, let segment, let starts, let ends else { return nil }
        return MarketingCampaign(
            name: name, description: description, segment: segment, starts: starts, ends: ends, attributionDays: attribution,
            holdoutBasisPoints: holdout, pointsBudget: pointsBudget, moneyBudget: moneyBudget, perMemberPoints: perMember, actions: actions)
    }

    private static func positivePoints(_ map: [String: ConfigNode], _ key: String, at path: String, _ reader: ConfigReader) -> Int64? {
        guard let raw = reader.text(map, key, at: path, required: false) else { return nil }
        guard let value = Int64(raw), value > 0, value <= 1_000_000_000_000 else {
            reader.report(ConfigReader.join(path, key), map[key], "must be a positive whole number of points, not '\(raw)'")
            return nil
        }
        return value
    }

    static let actionKinds = ["grantPoints", "orderBonus", "orderMultiplier", "reward", "tag", "untag", "message"]

    private static func readAction(_ node: ConfigNode, at path: String, _ vocabulary: CampaignVocabulary, _ reader: ConfigReader) -> CampaignAction? {
        guard case .mapping(let pairs, _) = node, pairs.count == 1, let (kind, value) = pairs.first else {
            reader.report(path, node, "must be one action, such as `grantPoints: 100`; actions are \(actionKinds.joined(separator: ", "))")
            return nil
        }
        let child = "\(path).\(kind)"
        let single = ["v": value]
        switch kind {
        case "grantPoints":
            return positivePoints(single, "v", at: "", reader, path: child).map(CampaignAction.grantPoints)
        case "orderBonus":
            guard let map = reader.mapping(value, at: child, allowed: ["points", "minimumAmount"]) else { return nil }
            if map["points"] == nil { reader.report("\(child).points", nil, "is required") }
            let points = positivePoints(map, "points", at: child, reader)
            let minimum = reader.amount(map, "minimumAmount", at: child, currency: vocabulary.currency, required: false)
            return points.map { .orderBonus($0, minimumAmount: minimum) }
        case "orderMultiplier":
            guard let map = reader.mapping(value, at: child, allowed: ["multiplier", "minimumAmount"]) else { return nil }
            let rate = reader.rate(map, "multiplier", at: child)
            if let rate, rate.numerator <= rate.denominator || rate.numerator > rate.denominator * 10 {
                reader.report("\(child).multiplier", map["multiplier"], "must be more than 1 and at most 10, such as 2, not '\(rate)'")
                return nil
            }
            let minimum = reader.amount(map, "minimumAmount", at: child, currency: vocabulary.currency, required: false)
            return rate.map { .orderMultiplier($0, minimumAmount: minimum) }
        case "reward":
            guard let id = reader.text(single, "v", at: "", required: true) else { return nil }
            guard vocabulary.couponRewards.contains(id) else {
                let known = vocabulary.couponRewards.isEmpty ? "the catalogue has none" : vocabulary.couponRewards.sorted().joined(separator: ", ")
                reader.report(child, value, "'\(id)' is not a coupon reward of the catalogue (coupons: \(known))")
                return nil
            }
            return .reward(id)
        case "tag", "untag":
            guard let tag = reader.text(single, "v", at: "", required: true) else { return nil }
            guard !tag.isEmpty, tag.count <= 64, !tag.contains(where: { $0.isNewline }) else {
                reader.report(child, value, "must be a tag of 1 to 64 characters on one line")
                return nil
            }
            return kind == "tag" ? .tag(tag) : .untag(tag)
        case "message":
            guard let map = reader.mapping(value, at: child, allowed: ["template", "channel"]) else { return nil }
            let template = reader.text(map, "template", at: child)
            let channel = reader.text(map, "channel", at: child)
            if let channel, !["email", "sms", "push", "inbox"].contains(channel) {
                reader.report("\(child).channel", map["channel"], "must be email, sms, push or inbox, not '\(channel)'")
                return nil
            }
            guard let template, let channel else { return nil }
            return .message(template: template, channel: channel)
        default:
            reader.report(child, value, "unknown action; expected one of \(actionKinds.joined(separator: ", "))")
            return nil
        }
    }

    /// `positivePoints` for a value that is the action itself (`grantPoints: 100`), reported at `path`.
    private static func positivePoints(_ map: [String: ConfigNode], _ key: String, at _: String, _ reader: ConfigReader, path: String) -> Int64? {
        guard case .scalar(let raw, _)? = map[key], let value = Int64(raw), value > 0, value <= 1_000_000_000 else {
            reader.report(path, map[key], "must be a positive whole number of points")
            return nil
        }
        return value
    }
}
