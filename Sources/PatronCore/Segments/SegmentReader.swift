import Foundation

/// Turns a `segments:` list (a segments file, a program file's section, an API body) into validated definitions,
/// reporting every problem with its path and line: unknown conditions and keys, wrong types, unknown levels, labels
/// and activities, references to unknown segments, a segment that refers to itself or a cycle.
public enum SegmentReader {
    /// The hours a score may be old when a condition does not say (`maxAge`).
    public static let defaultMaxAgeHours = 7 * 24

    /// Reads a whole segments file: a mapping with one key, `segments`.
    public static func readFile(_ document: ConfigNode, vocabulary: SegmentVocabulary) throws -> [SegmentDefinition] {
        let reader = ConfigReader()
        var result: [SegmentDefinition] = []
        if let top = reader.mapping(document, at: "", allowed: ["segments"]) {
            if let node = top["segments"] {
                result = read(node, at: "segments", vocabulary, reader)
            } else {
                reader.report("segments", nil, "is required")
            }
        }
        return try finish(result, reader)
    }

    /// Reads the list at `path` (`segments` in a program file).
    public static func read(_ node: ConfigNode, at path: String = "segments", vocabulary: SegmentVocabulary) throws -> [SegmentDefinition] {
        let reader = ConfigReader()
        return try finish(read(node, at: path, vocabulary, reader), reader)
    }

    private static func finish(_ result: [SegmentDefinition], _ reader: ConfigReader) throws -> [SegmentDefinition] {
        guard reader.issues.isEmpty else {
            let count = reader.issues.count
            throw PatronError(.invalidInput, "the segments have \(count) problem\(count == 1 ? "" : "s")", details: reader.issues.map(\.description))
        }
        return result
    }

    static let segmentKeys: Set<String> = ["name", "description", "type", "where"]

    private static func read(_ node: ConfigNode, at path: String, _ vocabulary: SegmentVocabulary, _ reader: ConfigReader) -> [SegmentDefinition] {
        guard case .sequence(let items, _) = node else {
            reader.report(path, node, "must be a list of segments")
            return []
        }
        var definitions: [SegmentDefinition] = []
        var references: [String: [(name: String, path: String, node: ConfigNode)]] = [:]
        var seen: [String: String] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let map = reader.mapping(item, at: itemPath, allowed: segmentKeys) else { continue }
            let name = reader.text(map, "name", at: itemPath)
            if let name {
                if !SegmentDefinition.isValidName(name) {
                    reader.report("\(itemPath).name", map["name"], "'\(name)' is not a segment name: use 1 to 64 letters, digits, - and _")
                } else if let other = seen[name] {
                    reader.report("\(itemPath).name", map["name"], "'\(name)' is also the name of \(other)")
                }
                seen[name] = itemPath
            }
            let description = reader.text(map, "description", at: itemPath, required: false)
            if let description, description.count > 500 { reader.report("\(itemPath).description", map["description"], "must have at most 500 characters") }
            var kind = SegmentDefinition.Kind.dynamic
            if let raw = reader.text(map, "type", at: itemPath, required: false) {
                if let parsed = SegmentDefinition.Kind(rawValue: raw) { kind = parsed } else {
                    reader.report("\(itemPath).type", map["type"], "must be dynamic or static, not '\(raw)'")
                }
            }
            var condition: SegmentCondition?
            var refs: [(name: String, path: String, node: ConfigNode)] = []
            switch (kind, map["where"]) {
            case (.dynamic, let whereNode?):
                condition = readCondition(whereNode, at: "\(itemPath).where", vocabulary, reader, &refs)
            case (.dynamic, nil):
                reader.report("\(itemPath).where", nil, "is required for a dynamic segment")
            case (.static, let whereNode?):
                reader.report("\(itemPath).where", whereNode, "a static segment has no condition: its members are imported (patron segments import)")
            case (.static, nil):
                break
            }
            guard let name else { continue }
            references[name] = refs
            definitions.append(SegmentDefinition(name: name, description: description, kind: kind, condition: condition))
        }
        checkReferences(definitions, references, vocabulary, reader)
        return definitions
    }

    /// Every reference names a known segment, and following references never comes back to where it started.
    private static func checkReferences(
        _ definitions: [SegmentDefinition], _ references: [String: [(name: String, path: String, node: ConfigNode)]],
        _ vocabulary: SegmentVocabulary, _ reader: ConfigReader
    ) {
        var graph: [String: [String]] = vocabulary.stored.mapValues { $0.condition?.referencedSegments ?? [] }
        for definition in definitions { graph[definition.name] = definition.condition?.referencedSegments ?? [] }
        for definition in definitions {
            for reference in references[definition.name] ?? [] {
                if reference.name == definition.name {
                    reader.report(reference.path, reference.node, "segment '\(definition.name)' refers to itself")
                } else if graph[reference.name] == nil {
                    reader.report(reference.path, reference.node, "no segment is named '\(reference.name)'")
                } else if let cycle = path(from: reference.name, to: definition.name, graph) {
                    reader.report(
                        reference.path, reference.node,
                        "refers back to itself: " + ([definition.name] + cycle).joined(separator: " → "))
                }
            }
        }
    }

    /// The chain of references from `start` that reaches `goal`, if any.
    private static func path(from start: String, to goal: String, _ graph: [String: [String]]) -> [String]? {
        var visited: Set<String> = []
        func visit(_ node: String) -> [String]? {
            if node == goal { return [node] }
            guard visited.insert(node).inserted else { return nil }
            for next in graph[node] ?? [] {
                if let rest = visit(next) { return [node] + rest }
            }
            return nil
        }
        return visit(start)
    }

    /// The keys a condition may have, each a one-key mapping.
    public static let conditionKeys: [String] = [
        "all", "any", "not", "segment", "level", "daysAtLevel", "enrolled", "daysSinceEnrolment", "birthdayMonth", "tag",
        "region", "city", "channel", "gender", "identity", "consent", "activePoints", "pendingPoints", "lifetimeEarned",
        "lifetimeSpent", "expiringPoints", "orders", "spend", "daysSinceLastOrder", "overdue", "firstOrder", "averageOrderValue",
        "returnRate", "redemptions", "lastActivity", "rfmCell", "rfmSegment", "loyaltyStage", "loyaltyType", "pAlive",
        "expectedPurchases90", "clv12", "clvPercentile",
    ]

    static func readCondition(
        _ node: ConfigNode, at path: String, _ vocabulary: SegmentVocabulary, _ reader: ConfigReader,
        _ refs: inout [(name: String, path: String, node: ConfigNode)]
    ) -> SegmentCondition? {
        guard case .mapping(let pairs, _) = node else {
            reader.report(path, node, "must be a condition: a mapping with one key such as level, orders or all")
            return nil
        }
        guard pairs.count == 1, let (key, value) = pairs.first.map({ ($0.key, $0.value) }) else {
            reader.report(
                path, node,
                pairs.isEmpty ? "is an empty condition" : "has \(pairs.count) keys (\(pairs.map(\.key).joined(separator: ", "))); combine conditions with all: or any:")
            return nil
        }
        let child = ConfigReader.join(path, key)
        switch key {
        case "all", "any":
            guard case .sequence(let items, _) = value else {
                reader.report(child, value, "must be a list of conditions")
                return nil
            }
            if items.isEmpty { reader.report(child, value, "must list at least one condition") }
            let conditions = items.enumerated().map { readCondition($0.element, at: "\(child)[\($0.offset)]", vocabulary, reader, &refs) }
            guard conditions.allSatisfy({ $0 != nil }) else { return nil }
            return key == "all" ? .all(conditions.compactMap { $0 }) : .any(conditions.compactMap { $0 })
        case "not":
            return readCondition(value, at: child, vocabulary, reader, &refs).map { .not($0) }
        case "segment":
            guard let name = scalar(value, at: child, reader) else { return nil }
            refs.append((name, child, value))
            return .segment(name)
        case "level":
            let names = list(value, at: child, reader)
            for (index, name) in names.enumerated() where !vocabulary.levels.contains(name) {
                reader.report(
                    names.count == 1 && !isSequence(value) ? child : "\(child)[\(index)]", item(value, index),
                    vocabulary.levels.isEmpty
                        ? "the program has no levels" : "'\(name)' is not a level; the program has \(vocabulary.levels.joined(separator: ", "))")
            }
            return names.isEmpty ? nil : .level(names)
        case "daysAtLevel": return range(value, at: child, reader, whole: true).map { .daysAtLevel($0) }
        case "daysSinceEnrolment": return range(value, at: child, reader, whole: true).map { .daysSinceEnrolment($0) }
        case "daysSinceLastOrder": return range(value, at: child, reader, whole: true).map { .daysSinceLastOrder($0) }
        case "overdue":
            guard let map = reader.mapping(value, at: child, allowed: ["factor"]) else { return nil }
            guard let raw = reader.text(map, "factor", at: child, required: false) else { return map["factor"] == nil ? .overdue(factor: 1) : nil }
            guard let factor = Double(raw), factor.isFinite, factor >= 0.1, factor <= 100 else {
                reader.report("\(child).factor", map["factor"], "must be a number from 0.1 to 100 (times the member's mean time between orders), not '\(raw)'")
                return nil
            }
            return .overdue(factor: factor)
        case "enrolled", "firstOrder":
            guard let map = reader.mapping(value, at: child, allowed: ["from", "to"]) else { return nil }
            let from = reader.date(map, "from", at: child)
            let to = reader.date(map, "to", at: child)
            if map["from"] == nil && map["to"] == nil { reader.report(child, value, "give from and/or to (yyyy-MM-dd)") }
            if let from, let to, to < from { reader.report("\(child).to", map["to"], "must not be before from") }
            return key == "enrolled" ? .enrolled(from: from, to: to) : .firstOrder(from: from, to: to)
        case "birthdayMonth":
            if case .scalar("current", _) = value { return .birthdayMonth([], current: true) }
            let raw = list(value, at: child, reader)
            var months: [Int] = []
            for (index, text) in raw.enumerated() {
                guard let month = Int(text), (1...12).contains(month) else {
                    reader.report(isSequence(value) ? "\(child)[\(index)]" : child, item(value, index), "must be a month from 1 to 12 or current, not '\(text)'")
                    continue
                }
                months.append(month)
            }
            return months.count == raw.count && !months.isEmpty ? .birthdayMonth(months, current: false) : nil
        case "tag":
            let tags = list(value, at: child, reader)
            return tags.isEmpty ? nil : .tag(tags)
        case "region", "city", "channel", "gender":
            let values = list(value, at: child, reader)
            return values.isEmpty ? nil : .profile(ProfileField(rawValue: key)!, values)
        case "identity":
            guard let kind = scalar(value, at: child, reader) else { return nil }
            let known = ["customer", "email", "phone", "card", "social"]
            guard known.contains(kind) || (kind.hasPrefix("social:") && kind.count > 7) else {
                reader.report(child, value, "'\(kind)' is not an identity kind; use customer, email, phone, card, social or social:NETWORK")
                return nil
            }
            return .identity(kind)
        case "consent":
            guard let channel = scalar(value, at: child, reader) else { return nil }
            return .consent(channel)
        case "activePoints", "pendingPoints", "lifetimeEarned", "lifetimeSpent":
            return range(value, at: child, reader, whole: true).map { .points(PointsBalance(rawValue: key)!, $0) }
        case "expiringPoints":
            guard let (days, range) = windowed(value, at: child, reader, daysRequired: true, money: nil) else { return nil }
            return .expiringPoints(days: days!, range)
        case "orders":
            return windowed(value, at: child, reader, daysRequired: false, money: nil).map { .orders(days: $0.0, $0.1) }
        case "redemptions":
            return windowed(value, at: child, reader, daysRequired: false, money: nil).map { .redemptions(days: $0.0, $0.1) }
        case "spend":
            return windowed(value, at: child, reader, daysRequired: false, money: vocabulary.currency).map { .spend(days: $0.0, $0.1) }
        case "averageOrderValue":
            return range(value, at: child, reader, money: vocabulary.currency).map { .averageOrderValue($0) }
        case "returnRate":
            guard let range = range(value, at: child, reader) else { return nil }
            if !range.lies(in: 0...1) { reader.report(child, value, "a return rate lies from 0 to 1") }
            return .returnRate(range)
        case "lastActivity":
            guard let map = reader.mapping(value, at: child, allowed: ["kind", "min", "max"]) else { return nil }
            let kind = reader.text(map, "kind", at: child)
            if let kind, !vocabulary.activities.contains(kind) {
                reader.report("\(child).kind", map["kind"], "'\(kind)' is not an activity; use one of \(vocabulary.activities.sorted().joined(separator: ", "))")
            }
            guard let range = bounds(map, at: child, node: value, reader, whole: true, money: nil), let kind else { return nil }
            return .lastActivity(kind: kind, range)
        case "rfmCell", "rfmSegment", "loyaltyStage", "loyaltyType":
            let label = SegmentLabel(rawValue: key)!
            var valuesNode = value
            var maxAge = defaultMaxAgeHours
            if case .mapping = value {
                guard let map = reader.mapping(value, at: child, allowed: ["in", "maxAge"]) else { return nil }
                maxAge = self.maxAge(map, at: child, reader)
                guard let inner = map["in"] else {
                    reader.report("\(child).in", nil, "is required")
                    return nil
                }
                valuesNode = inner
            }
            let valuesPath = valuesNode == value ? child : "\(child).in"
            let values = list(valuesNode, at: valuesPath, reader)
            for (index, text) in values.enumerated() {
                let valid = label == .rfmCell
                    ? text.count == 3 && text.allSatisfy { ("1"..."5").contains($0) }
                    : (vocabulary.labels[label] ?? []).contains(text)
                if !valid {
                    reader.report(
                        isSequence(valuesNode) ? "\(valuesPath)[\(index)]" : valuesPath, item(valuesNode, index),
                        label == .rfmCell
                            ? "'\(text)' is not an RFM cell: three digits from 1 to 5, such as 545"
                            : "'\(text)' is not a \(key) value; use one of \((vocabulary.labels[label] ?? []).joined(separator: ", "))")
                }
            }
            return values.isEmpty ? nil : .label(label, values, maxAgeHours: maxAge)
        case "pAlive", "expectedPurchases90", "clv12", "clvPercentile":
            let score = SegmentScore(rawValue: key)!
            guard let map = reader.mapping(value, at: child, allowed: ["min", "max", "maxAge"]) else { return nil }
            let maxAge = self.maxAge(map, at: child, reader)
            guard let range = bounds(map, at: child, node: value, reader, whole: false, money: score == .clv12 ? vocabulary.currency : nil) else { return nil }
            if score == .pAlive, !range.lies(in: 0...1) { reader.report(child, value, "P(alive) lies from 0 to 1") }
            if score == .clvPercentile, !range.lies(in: 0...100) { reader.report(child, value, "a percentile lies from 0 to 100") }
            return .score(score, range, maxAgeHours: maxAge)
        default:
            reader.report(child, value, "unknown condition '\(key)'; conditions are \(conditionKeys.joined(separator: ", "))")
            return nil
        }
    }

    private static func isSequence(_ node: ConfigNode) -> Bool {
        if case .sequence = node { return true }
        return false
    }

    private static func item(_ node: ConfigNode, _ index: Int) -> ConfigNode {
        if case .sequence(let items, _) = node, index < items.count { return items[index] }
        return node
    }

    private static func scalar(_ node: ConfigNode, at path: String, _ reader: ConfigReader) -> String? {
        guard case .scalar(let text, _) = node, !text.isEmpty else {
            reader.report(path, node, "must be a single value")
            return nil
        }
        guard !text.utf8.contains(0) else {
            reader.report(path, node, "must not contain a NUL character (\\u0000)")
            return nil
        }
        return text
    }

    /// One value or a list of them.
    private static func list(_ node: ConfigNode, at path: String, _ reader: ConfigReader) -> [String] {
        switch node {
        case .scalar: return scalar(node, at: path, reader).map { [$0] } ?? []
        case .sequence(let items, _):
            if items.isEmpty { reader.report(path, node, "must list at least one value") }
            return items.enumerated().compactMap { scalar($0.element, at: "\(path)[\($0.offset)]", reader) }
        default:
            reader.report(path, node, "must be a value or a list of values")
            return []
        }
    }

    /// `{ min, max }`.
    private static func range(_ node: ConfigNode, at path: String, _ reader: ConfigReader, whole: Bool = false, money: Currency? = nil) -> SegmentRange? {
        guard let map = reader.mapping(node, at: path, allowed: ["min", "max"]) else { return nil }
        return bounds(map, at: path, node: node, reader, whole: whole, money: money)
    }

    /// `{ days, min, max }`.
    private static func windowed(_ node: ConfigNode, at path: String, _ reader: ConfigReader, daysRequired: Bool, money: Currency?) -> (Int?, SegmentRange)? {
        guard let map = reader.mapping(node, at: path, allowed: ["days", "min", "max"]) else { return nil }
        var days: Int?
        if map["days"] != nil || daysRequired {
            days = reader.integer(map, "days", at: path, in: 1...3650)
            if days == nil { return nil }
        }
        return bounds(map, at: path, node: node, reader, whole: money == nil, money: money).map { (days, $0) }
    }

    private static func bounds(
        _ map: [String: ConfigNode], at path: String, node: ConfigNode, _ reader: ConfigReader, whole: Bool, money: Currency?
    ) -> SegmentRange? {
        func number(_ key: String) -> (ok: Bool, value: Double?) {
            guard map[key] != nil else { return (true, nil) }
            guard let raw = reader.text(map, key, at: path, required: false) else { return (false, nil) }
            if let money {
                guard let minor = DecimalText.scaled(raw, digits: money.minorDigits), minor >= 0 else {
                    reader.report(ConfigReader.join(path, key), map[key], "must be an amount in \(money.code) such as 99.00, not '\(raw)'")
                    return (false, nil)
                }
                return (true, Double(minor))
            }
            if whole {
                guard let value = Int64(raw), value >= 0 else {
                    reader.report(ConfigReader.join(path, key), map[key], "must be a whole number of at least 0, not '\(raw)'")
                    return (false, nil)
                }
                return (true, Double(value))
            }
            guard let value = Double(raw), value.isFinite else {
                reader.report(ConfigReader.join(path, key), map[key], "must be a number, not '\(raw)'")
                return (false, nil)
            }
            return (true, value)
        }
        let low = number("min")
        let high = number("max")
        guard low.ok, high.ok else { return nil }
        if low.value == nil && high.value == nil {
            reader.report(path, node, "give min and/or max")
            return nil
        }
        if let min = low.value, let max = high.value, max < min {
            reader.report(ConfigReader.join(path, "max"), map["max"], "must not be below min")
            return nil
        }
        return SegmentRange(min: low.value, max: high.value)
    }

    /// `maxAge: 36h` or `7d`, in hours.
    private static func maxAge(_ map: [String: ConfigNode], at path: String, _ reader: ConfigReader) -> Int {
        guard let raw = reader.text(map, "maxAge", at: path, required: false) else { return defaultMaxAgeHours }
        let unit = raw.last
        if let unit, unit == "h" || unit == "d", let count = Int(raw.dropLast()), (1...24 * 3650).contains(count) {
            return unit == "h" ? count : count * 24
        }
        reader.report(ConfigReader.join(path, "maxAge"), map["maxAge"], "must be hours or days such as 36h or 7d, not '\(raw)'")
        return defaultMaxAgeHours
    }
}
