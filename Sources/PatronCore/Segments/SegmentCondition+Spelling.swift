import Foundation

extension SegmentCondition {
    /// The condition in its YAML spelling, as one flow-style line that the reader reads back (amounts in major units
    /// with `minorDigits` decimals).
    public func spelled(minorDigits: Int) -> String {
        func quoted(_ text: String) -> String {
            let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
                && !text.hasPrefix("-") && Double(text) == nil && !["true", "false", "yes", "no", "null", "on", "off", "~"].contains(text.lowercased())
            return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func values(_ items: [String]) -> String { items.count == 1 ? quoted(items[0]) : "[" + items.map(quoted).joined(separator: ", ") + "]" }
        func number(_ value: Double) -> String { value.rounded() == value && abs(value) < 9e15 ? String(Int64(value)) : String(value) }
        func money(_ value: Double) -> String {
            let minor = Int64(value)
            guard minorDigits > 0 else { return "\"\(minor)\"" }
            var scale: Int64 = 1
            for _ in 0..<minorDigits { scale *= 10 }
            let fraction = String(minor % scale)
            return "\"\(minor / scale).\(String(repeating: "0", count: minorDigits - fraction.count) + fraction)\""
        }
        func range(_ range: SegmentRange, extra: [String] = [], money isMoney: Bool = false) -> String {
            var parts = extra
            if let min = range.min { parts.append("min: " + (isMoney ? money(min) : number(min))) }
            if let max = range.max { parts.append("max: " + (isMoney ? money(max) : number(max))) }
            return "{ " + parts.joined(separator: ", ") + " }"
        }
        func age(_ hours: Int) -> String { hours % 24 == 0 ? "\(hours / 24)d" : "\(hours)h" }
        func dates(_ from: LocalDate?, _ to: LocalDate?) -> String {
            "{ " + ([from.map { "from: \($0)" }, to.map { "to: \($0)" }].compactMap { $0 }).joined(separator: ", ") + " }"
        }
        let body: String
        switch self {
        case .all(let items): body = "all: [" + items.map { $0.spelled(minorDigits: minorDigits) }.joined(separator: ", ") + "]"
        case .any(let items): body = "any: [" + items.map { $0.spelled(minorDigits: minorDigits) }.joined(separator: ", ") + "]"
        case .not(let inner): body = "not: " + inner.spelled(minorDigits: minorDigits)
        case .segment(let name): body = "segment: " + quoted(name)
        case .level(let names): body = "level: " + values(names)
        case .daysAtLevel(let value): body = "daysAtLevel: " + range(value)
        case .enrolled(let from, let to): body = "enrolled: " + dates(from, to)
        case .daysSinceEnrolment(let value): body = "daysSinceEnrolment: " + range(value)
        case .birthdayMonth(let months, let current): body = "birthdayMonth: " + (current ? "current" : values(months.map(String.init)))
        case .tag(let tags): body = "tag: " + values(tags)
        case .profile(let field, let items): body = "\(field.rawValue): " + values(items)
        case .identity(let kind): body = "identity: " + quoted(kind)
        case .consent(let channel): body = "consent: " + quoted(channel)
        case .points(let balance, let value): body = "\(balance.rawValue): " + range(value)
        case .expiringPoints(let days, let value): body = "expiringPoints: " + range(value, extra: ["days: \(days)"])
        case .orders(let days, let value): body = "orders: " + range(value, extra: days.map { ["days: \($0)"] } ?? [])
        case .spend(let days, let value): body = "spend: " + range(value, extra: days.map { ["days: \($0)"] } ?? [], money: true)
        case .daysSinceLastOrder(let value): body = "daysSinceLastOrder: " + range(value)
        case .overdue(let factor): body = "overdue: { factor: \(factor) }"
        case .firstOrder(let from, let to): body = "firstOrder: " + dates(from, to)
        case .averageOrderValue(let value): body = "averageOrderValue: " + range(value, money: true)
        case .returnRate(let value): body = "returnRate: " + range(value)
        case .redemptions(let days, let value): body = "redemptions: " + range(value, extra: days.map { ["days: \($0)"] } ?? [])
        case .lastActivity(let kind, let value): body = "lastActivity: " + range(value, extra: ["kind: \(quoted(kind))"])
        case .label(let label, let items, let hours):
            body = "\(label.rawValue): { in: " + (items.count == 1 ? "[\(quoted(items[0]))]" : values(items)) + ", maxAge: \(age(hours)) }"
        case .score(let score, let value, let hours):
            body = "\(score.rawValue): " + range(value, extra: ["maxAge: \(age(hours))"], money: score == .clv12)
        }
        return "{ " + body + " }"
    }
}
