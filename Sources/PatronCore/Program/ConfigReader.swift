/// Reads typed values out of a `ConfigNode` tree while collecting every problem with its path, instead of stopping at
/// the first one.
public final class ConfigReader {
    /// Every problem found so far.
    public private(set) var issues: [ProgramIssue] = []

    /// Makes a reader.
    public init() {}

    /// The line of each mapping read so far, by path: a missing key is reported at its parent's line.
    private var mappingLines: [String: Int] = [:]

    /// Records a problem; without a node (a missing key), at the line of the nearest enclosing mapping.
    public func report(_ path: String, _ node: ConfigNode?, _ message: String) {
        let line = node?.line ?? enclosingLine(of: path)
        issues.append(ProgramIssue(path: path.isEmpty ? "(document)" : path, line: line, message: message))
    }

    private func enclosingLine(of path: String) -> Int {
        var path = Substring(path)
        while true {
            if let line = mappingLines[String(path)], line > 0 { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return mappingLines[""] ?? 0 }
            path = path[..<cut]
        }
    }

    /// The pairs of a mapping; reports keys not in `allowed` and a node that is not a mapping.
    public func mapping(_ node: ConfigNode, at path: String, allowed: Set<String>) -> [String: ConfigNode]? {
        guard case .mapping(let pairs, _) = node else {
            report(path, node, "must be a mapping of keys to values")
            return nil
        }
        mappingLines[path] = node.line
        var result: [String: ConfigNode] = [:]
        for (key, value) in pairs {
            let child = Self.join(path, key)
            if !allowed.contains(key) {
                report(child, value, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
            } else if result[key] != nil {
                report(child, value, "appears twice")
            }
            result[key] = value
        }
        return result
    }

    /// A required or optional scalar, as text.
    public func text(_ map: [String: ConfigNode], _ key: String, at path: String, required: Bool = true) -> String? {
        let child = Self.join(path, key)
        switch map[key] {
        case .scalar(let value, _)?:
            // Free text in a program obeys the rule all free text obeys.
            if value.utf8.contains(0) {
                report(child, map[key], "must not contain a NUL character (\\u0000)")
                return nil
            }
            return value
        case nil, .null?:
            if required { report(child, map[key], "is required") }
            return nil
        case let node?:
            report(child, node, "must be a single value")
            return nil
        }
    }

    /// A whole number in a range.
    public func integer(_ map: [String: ConfigNode], _ key: String, at path: String, in range: ClosedRange<Int>, default value: Int? = nil) -> Int? {
        guard let raw = text(map, key, at: path, required: value == nil) else { return value }
        guard let number = Int(raw), range.contains(number) else {
            report(Self.join(path, key), map[key], "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(raw)'")
            return nil
        }
        return number
    }

    /// `true` or `false`.
    public func bool(_ map: [String: ConfigNode], _ key: String, at path: String, default value: Bool) -> Bool {
        guard let raw = text(map, key, at: path, required: false) else { return value }
        switch raw.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(Self.join(path, key), map[key], "must be true or false, not '\(raw)'")
            return value
        }
    }

    /// A list of scalars.
    public func strings(_ map: [String: ConfigNode], _ key: String, at path: String) -> [String] {
        let child = Self.join(path, key)
        switch map[key] {
        case nil, .null?: return []
        case .sequence(let items, _)?:
            return items.enumerated().compactMap { index, item in
                if case .scalar(let value, _) = item {
                    if value.utf8.contains(0) {
                        report("\(child)[\(index)]", item, "must not contain a NUL character (\\u0000)")
                        return nil
                    }
                    return value
                }
                report("\(child)[\(index)]", item, "must be a single value")
                return nil
            }
        case let node?:
            report(child, node, "must be a list")
            return []
        }
    }

    /// An amount in the currency's major units (`"399.00"`), as minor units; `positive` refuses zero.
    public func amount(
        _ map: [String: ConfigNode], _ key: String, at path: String, currency: Currency?, required: Bool = true, positive: Bool = false
    ) -> Int64? {
        guard let raw = text(map, key, at: path, required: required) else { return nil }
        // Without a valid currency the amount is still checked, so that its problem is reported with the currency's.
        guard let minor = DecimalText.scaled(raw, digits: currency?.minorDigits ?? 3), minor >= (positive ? 1 : 0), minor <= Order.maximumAmount else {
            report(
                Self.join(path, key), map[key],
                "must be \(positive ? "a positive" : "an") amount in \(currency?.code ?? "the currency") such as 99.00, not '\(raw)'")
            return nil
        }
        // Scaled by three decimals when the currency is unknown: consistent among themselves, so that ordering
        // checks between amounts still run; the program itself is refused for its currency.
        return minor
    }

    /// A non-negative exact decimal (`1.5`).
    public func rate(_ map: [String: ConfigNode], _ key: String, at path: String, required: Bool = true) -> Rate? {
        guard let raw = text(map, key, at: path, required: required) else { return nil }
        guard let rate = Rate(decimal: raw), rate.numerator <= rate.denominator * 1_000_000 else {
            report(Self.join(path, key), map[key], "must be a number from 0 to 1,000,000 such as 1 or 1.5, not '\(raw)'")
            return nil
        }
        return rate
    }

    /// A `yyyy-MM-dd` date.
    public func date(_ map: [String: ConfigNode], _ key: String, at path: String) -> LocalDate? {
        guard let raw = text(map, key, at: path, required: false) else { return nil }
        guard let date = LocalDate(iso: raw) else {
            report(Self.join(path, key), map[key], "must be a date as yyyy-MM-dd, not '\(raw)'")
            return nil
        }
        return date
    }

    /// The items of a list, with their paths; reports a node that is not a list.
    public func items(_ map: [String: ConfigNode], _ key: String, at path: String) -> [(path: String, node: ConfigNode)] {
        let child = Self.join(path, key)
        switch map[key] {
        case nil, .null?: return []
        case .sequence(let items, _)?: return items.enumerated().map { ("\(child)[\($0.offset)]", $0.element) }
        case let node?:
            report(child, node, "must be a list")
            return []
        }
    }

    /// `parent.key`, or `key` at the top.
    public static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
