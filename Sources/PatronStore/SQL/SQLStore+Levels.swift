import Foundation
import PatronCore

extension SQLStore {
    /// A member's level state, on the writer.
    func levelState(_ db: SQLSession, member id: Int64) throws -> LevelState {
        try sql(db, "SELECT level, level_since, level_until, override_level, override_until, override_reason FROM members WHERE id = ?").one(
            id, read: Self.levelState) ?? LevelState()
    }

    /// A level state from a row starting `level, level_since, level_until, override_level, override_until, override_reason`.
    static func levelState(_ row: Columns) -> LevelState {
        LevelState(
            level: row.optionalText(0), since: row.optionalInt(1).map(Date.init(ms:)), validUntil: row.optionalInt(2).map(Date.init(ms:)),
            override: row.optionalText(3).map { LevelOverride(level: $0, until: Date(ms: row.int(4)), reason: row.text(5)) })
    }

    /// The member's qualifying value for the program's levels at `instant`, and whether they have a completed order.
    /// A rolling window covers (instant − N months, instant]: an order exactly N months old no longer counts.
    func qualifyingValue(_ db: SQLSession, member id: Int64, policy: LevelPolicy, calendar: ShopCalendar, at instant: Date) throws -> (Int64, Bool) {
        let since = policy.windowStart(at: instant, calendar: calendar)?.ms ?? Int64.min
        let (spend, orders) = try sql(
            db,
            """
            SELECT coalesce(sum(kept), 0), count(*) FROM orders
            WHERE member_id = ? AND status IN ('completed', 'active') AND completed_at > ? AND kept > 0
            """
        ).one(id, since) { ($0.int(0), $0.int(1)) } ?? (0, 0)
        switch policy.metric {
        case .spend: return (spend, orders > 0)
        case .orders: return (orders, orders > 0)
        case .points:
            // The kinds come from PatronCore (`countsAsEarned`), written in by `SQLLiteral`.
            let points = try db.prepare(
                dynamic: "SELECT coalesce(sum(active_delta), 0) FROM entries WHERE member_id = ? AND kind IN \(LedgerEntry.Kind.earnedSQL) AND occurred_at > ?"
            ).one(id, since) { $0.int(0) } ?? 0
            return (points, orders > 0)
        }
    }

    /// Re-evaluates a member's level after `trigger` and records any change with its reason; returns the member's level
    /// state afterwards (`nil` when the program has no levels). A `fresh` member, created in this transaction, has no
    /// level, orders or points yet, so nothing about them is read.
    @discardableResult
    func reviewLevel(
        _ db: SQLSession, member id: Int64, trigger: LevelEngine.Trigger, at instant: Date, version: ProgramVersion, fresh: Bool = false
    ) throws -> LevelState? {
        guard let policy = version.program.levels else { return nil }
        let state = fresh ? LevelState() : try levelState(db, member: id)
        let (value, hasOrder) = fresh ? (0, false) : try qualifyingValue(db, member: id, policy: policy, calendar: version.program.calendar, at: instant)
        guard
            let change = LevelEngine.evaluate(
                state, value: value, hasCompletedOrder: hasOrder, trigger: trigger, at: instant, policy: policy, calendar: version.program.calendar)
        else {
            // A validity end that changes nothing (the program no longer downgrades) is not reviewed again.
            if trigger == .validityEnded {
                try sql(db, "UPDATE members SET level_until = NULL WHERE id = ?").run(id)
                return LevelState(level: state.level, since: state.since, validUntil: nil, override: state.override)
            }
            return state
        }
        try saveLevel(db, member: id, change.state)
        if change.from != change.to {
            try recordLevelChange(db, member: id, from: change.from, to: change.to, reason: change.reason, actor: nil, at: instant, version: version.version)
        }
        return change.state
    }

    func saveLevel(_ db: SQLSession, member id: Int64, _ state: LevelState) throws {
        try sql(
            db,
            "UPDATE members SET level = ?, level_since = ?, level_until = ?, override_level = ?, override_until = ?, override_reason = ? WHERE id = ?"
        ).run(state.level, state.since?.ms, state.validUntil?.ms, state.override?.level, state.override?.until.ms, state.override?.reason, id)
    }

    /// Records a level change and announces it (if subscribed) in the outbox, in the caller's transaction.
    func recordLevelChange(_ db: SQLSession, member: Int64, from: String?, to: String?, reason: String, actor: String?, at: Date, version: Int) throws {
        try sql(
            db, "INSERT INTO level_changes (member_id, from_level, to_level, reason, actor, occurred_at, program_version) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).run(member, from, to, reason, actor, at.ms, version)
        if let calendar = try currentProgram(db, writing: true)?.program.calendar {
            if let from { db.tallies.add(DailyTotal.Metric.level, key: from, -1, at: at, calendar: calendar) }
            if let to { db.tallies.add(DailyTotal.Metric.level, key: to, 1, at: at, calendar: calendar) }
        }
        try announce(db, .levelChanged, member: member, at: at) {
            OutboxPayload.LevelChanged(memberId: member, from: from, to: to, reason: reason, actor: actor, programVersion: version, at: at)
        }
    }

    public func runLevelReview(asOf instant: Date) async throws -> JobReport {
        var report = JobReport(items: 0, points: 0)
        while true {
            let chunk = try await writer.submit { db -> Int in
                guard try self.leaseJob(db, "level-review") else { return 0 }
                let version = try self.requireProgram(db)
                guard version.program.levels != nil else { return 0 }
                let members = try self.sql(db, "SELECT id FROM members WHERE level_until <= ? ORDER BY level_until, id LIMIT ?")
                    .all(instant.ms, Self.jobChunk) { $0.int(0) }
                for member in members {
                    let until = try self.levelState(db, member: member).validUntil ?? instant
                    try self.reviewLevel(db, member: member, trigger: .validityEnded, at: until, version: version)
                }
                return members.count
            }
            report.items += chunk
            if chunk < Self.jobChunk { return report }
        }
    }

    public func setLevel(_ request: LevelOverrideRequest) async throws -> Member {
        // The fields are checked before any work; the level against the program in force, in the transaction.
        try FreeText.check(request.level, field: "level")
        let reason = try LevelOverride.checkedReason(request.reason, actor: request.actor, until: request.until, at: request.at)
        var f = Fingerprint()
        f.mix(request.memberId); f.mix(request.level); f.mix(request.until.ms); f.mix(reason); f.mix(request.actor)
        let fingerprint = f.value
        let id = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: "level:\(request.key)", fingerprint: fingerprint, at: request.at) { () -> Int64 in
                let version = try self.requireProgram(db)
                let override = try LevelOverride.validated(
                    level: request.level, until: request.until, reason: request.reason, actor: request.actor, at: request.at,
                    policy: version.program.levels, programName: version.program.name)
                try self.lockChangeable(db, request.memberId)
                var state = try self.levelState(db, member: request.memberId)
                guard try self.fetchMember(db, id: request.memberId) != nil else { throw PatronError(.notFound, "no member \(request.memberId)") }
                let before = state.effectiveLevel(at: request.at)
                state.override = override
                try self.saveLevel(db, member: request.memberId, state)
                try self.recordLevelChange(
                    db, member: request.memberId, from: before, to: request.level, reason: "override until \(Self.shopInstant(request.until, version.program)): \(reason)",
                    actor: request.actor, at: request.at, version: version.version)
                return request.memberId
            }
        }
        return try await member(id: id)!
    }

    public func levelHistory(member id: Int64) async throws -> [LevelHistoryEntry] {
        try await backend.read { db in try self.levelHistory(db, member: id) }
    }

    /// Every change of a member's level, oldest first.
    func levelHistory(_ db: SQLSession, member id: Int64) throws -> [LevelHistoryEntry] {
        try sql(db, "SELECT from_level, to_level, reason, actor, occurred_at, program_version FROM level_changes WHERE member_id = ? ORDER BY id").all(id) {
            LevelHistoryEntry(
                from: $0.optionalText(0), to: $0.optionalText(1), reason: $0.text(2), actor: $0.optionalText(3), at: Date(ms: $0.int(4)),
                programVersion: Int($0.int(5)))
        }
    }

    /// What the earning rules need to know about the member placing an order (only what the program's rules use), in
    /// at most three statements however many rules are limited: PostgreSQL pays for each statement of an order event.
    func earningContext(_ db: SQLSession, member id: Int64, program: Program, at instant: Date, known: EarningFacts? = nil) throws -> EarningContext {
        var context = EarningContext(at: instant)
        let rules = program.earning.rules
        let usesLevel = rules.contains { rule in
            if case .levelMultiplier = rule.kind { return true }
            return !rule.conditions.levels.isEmpty
        }
        let usesProfile = rules.contains { rule in
            if case .birthday = rule.kind { return true }
            return !rule.conditions.tags.isEmpty
        }
        let usesFirst = rules.contains { if case .firstOrderBonus = $0.kind { true } else { false } }
        let limited = rules.filter(\.limit.isLimited)
        let (level, usage) = (usesLevel || usesFirst, !limited.isEmpty)
        if level || usage {
            // Known already (a member enrolled by this order), or in a PostgreSQL batch from what the batch read for all
            // its members at once, while that still holds.
            let window = RuleUsage.Window(program.calendar.localDate(of: instant))
            let facts = try known ?? db.batch?.earningFacts(db, member: id, window: window, level: level, usage: usage)
                ?? earningFacts(db, member: id, window: window, level: level, usage: usage)
            if usesLevel { context.level = facts.state.effectiveLevel(at: instant) }
            if usesFirst { context.isFirstOrder = !facts.hasOrdered }
            for rule in limited { context.usage[rule.name] = facts.usage[rule.name] ?? .none }
        }
        if usesProfile, let member = try fetchMember(db, id: id) {
            context.birthday = member.profile.birthday
            context.tags = Set(member.profile.tags)
        }
        return context
    }

    /// A member's level state and whether they have ordered (`level`), and the uses of every rule they have used
    /// around `window` (`usage`): one statement each.
    func earningFacts(_ db: SQLSession, member id: Int64, window: RuleUsage.Window, level: Bool, usage: Bool) throws -> EarningFacts {
        var facts = EarningFacts()
        if level {
            let read = try sql(
                db,
                """
                SELECT level, level_since, level_until, override_level, override_until, override_reason,
                    CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND o.status != 'cancelled') THEN 1 ELSE 0 END, m.id
                FROM members m WHERE m.id = ?
                """
            ).one(id, read: Self.readLevelFacts)
            if let read { (facts.state, facts.hasOrdered) = (read.state, read.hasOrdered) }
        }
        if usage { facts.usage = try usages(db, member: id, window: window) }
        return facts
    }

    /// What the earning rules read about a member: level state, whether they have ordered, rules' uses by name.
    struct EarningFacts {
        var state = LevelState()
        var hasOrdered = false
        var usage: [String: RuleUsage] = [:]
    }

    /// A row of the level facts' statements (here for one member, `EarningFactsAhead` for a batch's): the member, their
    /// level state and whether they have ordered.
    static func readLevelFacts(_ row: Columns) -> (member: Int64, state: LevelState, hasOrdered: Bool) {
        (row.int(7), levelState(row), row.int(6) == 1)
    }

    /// A row of the rule-use statements (here for one member, `EarningFactsAhead` for a batch's): the member, the rule
    /// and its uses around the window.
    static func readRuleUses(_ row: Columns) -> (member: Int64, rule: String, usage: RuleUsage) {
        (row.int(0), row.text(1), RuleUsage(day: Int(row.int(2)), week: Int(row.int(3)), month: Int(row.int(4)), lifetime: Int(row.int(5))))
    }

    /// How often a rule applied to a member in the day, week (Monday to Sunday), month and ever around `day`.
    func usage(_ db: SQLSession, member: Int64, rule: String, day: LocalDate) throws -> RuleUsage {
        try usages(db, member: member, window: RuleUsage.Window(day))[rule] ?? .none
    }

    /// `usage` of every rule the member has used, in one statement; a rule never used is absent.
    func usages(_ db: SQLSession, member: Int64, window: RuleUsage.Window) throws -> [String: RuleUsage] {
        var used: [String: RuleUsage] = [:]
        for (_, rule, usage) in try sql(
            db,
            """
            SELECT member_id, rule, sum(CASE WHEN day = ? THEN 1 ELSE 0 END), sum(CASE WHEN day >= ? AND day < ? THEN 1 ELSE 0 END),
                sum(CASE WHEN day >= ? THEN 1 ELSE 0 END), count(*)
            FROM rule_uses WHERE member_id = ? AND day <= ? GROUP BY member_id, rule
            """
        ).all(window.day, window.monday, window.monday + 7, window.firstOfMonth, member, window.day, read: Self.readRuleUses) {
            used[rule] = usage
        }
        return used
    }

    /// Records the uses of an order's limited rules, which later orders' limits count.
    func recordRuleUses(_ db: SQLSession, member: Int64, earning: Earning, program: Program, at instant: Date) throws {
        let limited = program.earning.rules.filter(\.limit.isLimited).map(\.name)
        guard !limited.isEmpty else { return }
        let day = program.calendar.localDate(of: instant).dayNumber
        for part in earning.breakdown where part.note == nil && limited.contains(part.rule) {
            try db.writeRuleUse(member: member, rule: part.rule, day: day)
        }
    }

    /// An order's earning breakdown as stored: `rule<US>micropoints<RS>…` (ASCII unit and record separators).
    static func storedBreakdown(_ earning: Earning?) -> String? {
        // Built in one string: interpolating each part and joining them cost more than the order's INSERT binding.
        earning.map { earning in
            var text = ""
            for part in earning.breakdown where part.note == nil {
                if !text.isEmpty { text.append("\u{1E}") }
                text.append(part.rule)
                text.append("\u{1F}")
                text.append(String(part.micropoints))
            }
            return text
        }
    }
}

extension SQLStore {
    /// An instant as stored text a person reads: ISO 8601 in the shop's time zone, with its offset.
    static func shopInstant(_ instant: Date, _ program: Program) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = program.timeZone
        return formatter.string(from: instant)
    }
}
