import Foundation
import PatronCore

/// Compiles a segment condition into one SQL boolean expression over `members m`, the same text on SQLite and
/// PostgreSQL but for one function: a million members are then selected by the database in one statement, not
/// member by member in Swift.
///
/// Every instant a condition depends on ("90 days ago", "the start of this month") is computed here, in the program's
/// time zone, from the instant of evaluation, and written into the SQL as a number. Text is written as a quoted literal
/// (quotes doubled; the reader refuses NUL). Within `all`, cheap tests on the member's own row come first, so the
/// costly per-member subqueries (orders, lots, scores) run only for members who passed them.
struct SegmentSQL {
    /// The instant of evaluation.
    let now: Date
    /// The program's calendar.
    let calendar: ShopCalendar
    /// Whether the text is for PostgreSQL (`strpos`) or SQLite (`instr`).
    let postgres: Bool
    /// Stored segments by name, for `segment:` references.
    let segments: [String: SegmentRecord]

    /// The boolean expression for `condition`.
    func expression(_ condition: SegmentCondition) throws -> String {
        try expression(condition, depth: 0)
    }

    private var today: LocalDate { calendar.localDate(of: now) }

    /// Milliseconds of the start of local day `day`.
    private func start(_ day: LocalDate) -> Int64 { calendar.startOfDay(day).ms }

    private func expression(_ condition: SegmentCondition, depth: Int) throws -> String {
        guard depth < 32 else { throw PatronError(.invalidInput, "segments refer to each other more than 32 deep") }
        switch condition {
        case .all(let items):
            let parts = try items.sorted { cost($0) < cost($1) }.map { "(\(try expression($0, depth: depth)))" }
            return parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND ")
        case .any(let items):
            let parts = try items.map { "(\(try expression($0, depth: depth)))" }
            return parts.isEmpty ? "1 = 0" : parts.joined(separator: " OR ")
        case .not(let inner):
            // Two-valued: a member for whom the inner test is unknown (no orders yet, say) matches the negation.
            return "NOT coalesce((\(try expression(inner, depth: depth))), 1 = 0)"
        case .segment(let name):
            guard let record = segments[name] else { throw PatronError(.notFound, "no segment is named '\(name)'") }
            if record.kind == .dynamic, let inner = record.definition.condition {
                return try expression(inner, depth: depth + 1)
            }
            return "EXISTS (SELECT 1 FROM segment_members sm WHERE sm.segment_id = \(record.id) AND sm.member_id = m.id)"
        case .level(let names):
            return "(CASE WHEN m.override_level IS NOT NULL AND m.override_until > \(now.ms) THEN m.override_level ELSE m.level END) IN \(list(names))"
        case .daysAtLevel(let range):
            return daysSince("m.level_since", range)
        case .enrolled(let from, let to):
            return between("m.enrolled_at", from, to)
        case .daysSinceEnrolment(let range):
            return daysSince("m.enrolled_at", range)
        case .birthdayMonth(let months, let current):
            let wanted = current ? [today.month] : months
            return "substr(m.birthday, 6, 2) IN \(list(wanted.map { $0 < 10 ? "0\($0)" : "\($0)" }))"
        case .tag(let tags):
            return tags.map { "\(contains)(m.tags, \(literal(json($0)))) > 0" }.joined(separator: " OR ")
        case .profile(let field, let values):
            return "m.\(field.rawValue) IN \(list(values))"
        case .identity(let kind):
            let test = kind == "social" ? "i.kind LIKE 'social:%'" : "i.kind = \(literal(kind))"
            return "EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id AND \(test))"
        case .consent(let channel):
            return "\(contains)(m.consents, \(literal(json(channel) + ":true"))) > 0"
        case .points(let balance, let range):
            return compare("m.\(balance.column)", range)
        case .expiringPoints(let days, let range):
            let until = calendar.adding(days: days, to: now).ms
            return compare(
                """
                (SELECT coalesce(sum(l.remaining), 0) FROM lots l WHERE l.member_id = m.id AND l.remaining > 0
                    AND l.expires_at IS NOT NULL AND l.expires_at > \(now.ms) AND l.expires_at <= \(until))
                """, range)
        case .orders(let days, let range):
            return compare("(SELECT count(*) FROM orders o WHERE \(orders(days)))", range)
        case .spend(let days, let range):
            return compare("(SELECT coalesce(sum(o.kept), 0) FROM orders o WHERE \(orders(days)))", range)
        case .daysSinceLastOrder(let range):
            return daysSince("(SELECT max(o.placed_at) FROM orders o WHERE \(orders(nil)))", range)
        case .overdue(let factor):
            // (now − last) > factor × (last − first) ÷ (n − 1), multiplied out so that no division is needed.
            return """
                (SELECT CASE WHEN count(*) >= 2 AND (\(now.ms) - max(o.placed_at)) * (count(*) - 1) > \(factor) * (max(o.placed_at) - min(o.placed_at))
                    THEN 1 ELSE 0 END FROM orders o WHERE \(orders(nil))) = 1
                """
        case .firstOrder(let from, let to):
            return between("(SELECT min(o.placed_at) FROM orders o WHERE \(orders(nil)))", from, to)
        case .averageOrderValue(let range):
            return compare("(SELECT avg(o.kept) FROM orders o WHERE \(orders(nil)))", range)
        case .returnRate(let range):
            return compare(
                """
                (SELECT CASE WHEN sum(o.amount) > 0 THEN 1.0 * (sum(o.amount) - sum(o.kept)) / sum(o.amount) END
                    FROM orders o WHERE \(orders(nil)))
                """, range)
        case .redemptions(let days, let range):
            let since = days.map { " AND r.created_at >= \(start(today.adding(days: -$0 + 1)))" } ?? ""
            return compare(
                """
                (SELECT count(*) FROM redemptions r WHERE r.member_id = m.id AND r.entry_id IS NOT NULL
                    AND r.status <> \(SQLLiteral.text(RedemptionStatus.reversed))\(since))
                """, range)
        case .lastActivity(let kind, let range):
            let last = "(SELECT max(u.day) FROM rule_uses u WHERE u.member_id = m.id AND u.rule = \(literal("activity:" + kind)))"
            var tests: [String] = []
            if let min = range.min { tests.append("\(last) <= \(today.dayNumber - Int(min))") }
            if let max = range.max { tests.append("\(last) >= \(today.dayNumber - Int(max))") }
            return tests.joined(separator: " AND ")
        case .label(let label, let values, let maxAge):
            return """
                EXISTS (SELECT 1 FROM member_scores s WHERE s.member_id = m.id AND s.fitted_at >= \(now.ms - Int64(maxAge) * 3_600_000)
                    AND s.\(label.column) IN \(list(values)))
                """
        case .score(let score, let range, let maxAge):
            return """
                EXISTS (SELECT 1 FROM member_scores s WHERE s.member_id = m.id AND s.fitted_at >= \(now.ms - Int64(maxAge) * 3_600_000)
                    AND \(compare("s.\(score.column)", range)))
                """
        }
    }

    /// How costly a condition is to test, for ordering `all`: the member's own row, then one indexed lookup, then
    /// aggregates over the member's orders or lots.
    private func cost(_ condition: SegmentCondition) -> Int {
        switch condition {
        case .all(let items), .any(let items): items.map(cost).max() ?? 0
        case .not(let inner): cost(inner)
        case .segment(let name):
            segments[name].map { $0.kind == .dynamic ? ($0.definition.condition.map(cost) ?? 0) : 1 } ?? 0
        case .level, .daysAtLevel, .enrolled, .daysSinceEnrolment, .birthdayMonth, .tag, .profile, .consent, .points: 0
        case .identity, .label, .score, .lastActivity: 1
        case .expiringPoints, .orders, .spend, .daysSinceLastOrder, .overdue, .firstOrder, .averageOrderValue, .returnRate, .redemptions: 2
        }
    }

    /// The orders that count (not cancelled), of member `m`, placed in the last `days` local days (today included).
    private func orders(_ days: Int?) -> String {
        let since = days.map { " AND o.placed_at >= \(start(today.adding(days: -$0 + 1)))" } ?? ""
        return "o.member_id = m.id AND o.status <> \(SQLLiteral.text(OrderRecord.Status.cancelled))\(since)"
    }

    /// `value` in `range` (NULL never is).
    private func compare(_ value: String, _ range: SegmentRange) -> String {
        var tests: [String] = []
        if let min = range.min { tests.append("\(value) >= \(number(min))") }
        if let max = range.max { tests.append("\(value) <= \(number(max))") }
        return tests.joined(separator: " AND ")
    }

    /// Whole local days from the instant in `column` to today, in `range`: `min` N means the instant is before the start
    /// of the day N − 1 days ago; `max` N means it is on or after the start of the day N days ago.
    private func daysSince(_ column: String, _ range: SegmentRange) -> String {
        var tests: [String] = []
        if let min = range.min { tests.append("\(column) < \(start(today.adding(days: -Int(min) + 1)))") }
        if let max = range.max { tests.append("\(column) >= \(start(today.adding(days: -Int(max))))") }
        return tests.joined(separator: " AND ")
    }

    /// The instant in `column` falls on the local days `from` to `to`, inclusive.
    private func between(_ column: String, _ from: LocalDate?, _ to: LocalDate?) -> String {
        var tests: [String] = []
        if let from { tests.append("\(column) >= \(start(from))") }
        if let to { tests.append("\(column) < \(start(to.adding(days: 1)))") }
        return tests.joined(separator: " AND ")
    }

    private var contains: String { postgres ? "strpos" : "instr" }

    /// `text` as JSON, as the members row stores tags and consent keys.
    private func json(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(text)) ?? Data(), as: UTF8.self)
    }

    /// A quoted SQL string literal.
    func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    private func list(_ values: [String]) -> String { "(" + values.map(literal).joined(separator: ", ") + ")" }

    private func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 9e15 ? String(Int64(value)) : String(value)
    }
}
