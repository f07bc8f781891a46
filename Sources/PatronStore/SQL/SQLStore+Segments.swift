import Foundation
import PatronCore

extension SQLStore {
    public func saveSegments(_ definitions: [SegmentDefinition], actor: String, at instant: Date) async throws -> [SegmentSaved] {
        try FreeText.check(actor, field: "actor")
        var names: Set<String> = []
        for definition in definitions {
            guard SegmentDefinition.isValidName(definition.name) else {
                throw PatronError(.invalidInput, "'\(definition.name)' is not a segment name: use 1 to 64 letters, digits, - and _")
            }
            guard names.insert(definition.name).inserted else { throw PatronError(.invalidInput, "segment '\(definition.name)' is given twice") }
            if let description = definition.description { try FreeText.check(description, field: "segment \(definition.name): description") }
            guard (definition.kind == .dynamic) == (definition.condition != nil) else {
                throw PatronError(.invalidInput, "segment '\(definition.name)': a dynamic segment has a condition and a static one has none")
            }
        }
        return try await writer.submit { db -> [SegmentSaved] in
            var saved: [SegmentSaved] = []
            for definition in definitions {
                let text = try Self.segmentJSON(definition.condition)
                let existing = try self.segmentRecords(db, name: definition.name).first
                if let existing {
                    guard existing.kind == definition.kind else {
                        throw PatronError(
                            .invalidInput,
                            "segment '\(definition.name)' is \(existing.kind.rawValue); it cannot become \(definition.kind.rawValue) (load it under another name)")
                    }
                    if existing.definition == definition {
                        saved.append(SegmentSaved(segment: existing, change: "unchanged"))
                        continue
                    }
                    let version = existing.version + 1
                    try self.sql(db, "UPDATE segments SET description = ?, definition = ?, version = ?, updated_at = ? WHERE id = ?").run(
                        definition.description, text, version, instant.ms, existing.id)
                    try self.sql(
                        db, "INSERT INTO segment_versions (segment_id, version, kind, description, definition, actor, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    ).run(existing.id, version, definition.kind.rawValue, definition.description, text, actor, instant.ms)
                    var record = existing
                    record.definition = definition
                    record.version = version
                    record.updatedAt = instant
                    saved.append(SegmentSaved(segment: record, change: "changed"))
                } else {
                    let id = try self.sql(
                        db,
                        "INSERT INTO segments (name, kind, description, definition, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)"
                    ).insert(definition.name, definition.kind.rawValue, definition.description, text, instant.ms, instant.ms)
                    try self.sql(
                        db, "INSERT INTO segment_versions (segment_id, version, kind, description, definition, actor, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    ).run(id, 1, definition.kind.rawValue, definition.description, text, actor, instant.ms)
                    saved.append(
                        SegmentSaved(
                            segment: SegmentRecord(
                                id: id, definition: definition, version: 1, createdAt: instant, updatedAt: instant, refreshedAt: nil, memberCount: 0),
                            change: "created"))
                }
            }
            return saved
        }
    }

    public func segments() async throws -> [SegmentRecord] {
        try await backend.read { db in try self.segmentRecords(db, name: nil) }
    }

    public func segment(named name: String) async throws -> SegmentRecord? {
        try await backend.read { db in try self.segmentRecords(db, name: name).first }
    }

    public func segmentMembers(segment: Int64, limit: Int, after: Int64) async throws -> [SegmentMember] {
        guard (1...100_000).contains(limit) else { throw PatronError(.invalidInput, "a page of segment members holds 1 to 100000, not \(limit)") }
        return try await backend.read { db in
            try self.sql(db, "SELECT member_id, entered_at FROM segment_members WHERE segment_id = ? AND member_id > ? ORDER BY member_id LIMIT ?")
                .all(segment, after, limit) { SegmentMember(memberId: $0.int(0), enteredAt: Date(ms: $0.int(1))) }
        }
    }

    public func isSegmentMember(segment: Int64, member: Int64) async throws -> Bool {
        try await backend.read { db in
            try self.sql(db, "SELECT 1 FROM segment_members WHERE segment_id = ? AND member_id = ?").one(segment, member) { _ in true } ?? false
        }
    }

    public func memberSegments(member: Int64) async throws -> [String] {
        try await backend.read { db in
            try self.sql(db, "SELECT s.name FROM segment_members sm JOIN segments s ON s.id = sm.segment_id WHERE sm.member_id = ? ORDER BY s.name")
                .all(member) { $0.text(0) }
        }
    }

    public func refreshSegment(named name: String, at instant: Date) async throws -> SegmentRefresh {
        try await writer.submit { db -> SegmentRefresh in
            let all = try self.segmentsByName(db)
            guard let record = all[name] else { throw PatronError(.notFound, "no segment is named '\(name)'") }
            guard record.kind == .dynamic, let condition = record.definition.condition else {
                throw PatronError(.invalidInput, "segment '\(name)' is static: its members change only by import")
            }
            let compiled = try self.segmentCompiler(db, at: instant, segments: all).expression(condition)
            let (entered, left) = try self.applyMembership(db, record, condition: compiled, among: nil, at: instant)
            let count = try self.countSegmentMembers(db, record.id)
            try self.sql(db, "UPDATE segments SET refreshed_at = ?, member_count = ? WHERE id = ?").run(instant.ms, count, record.id)
            return SegmentRefresh(segment: name, entered: entered, left: left, members: count)
        }
    }

    public func followSegmentChanges(at instant: Date, limit: Int) async throws -> SegmentFollowUp {
        // Evaluated on a reader, in one snapshot, beside the writer: only the moves themselves take the writer, so
        // ingestion goes on while segments are evaluated. A member who changes after the snapshot has a ledger entry
        // after the cursor saved with it, and is evaluated again by the next pass.
        let plan = try await backend.read { db in try self.followPlan(db, at: instant, limit: limit) }
        return try await writer.submit { db -> SegmentFollowUp in
            for (name, position) in plan.cursors {
                if try self.sql(db, "UPDATE segment_cursors SET position = ? WHERE name = ? AND position < ?").run(position, name, position) == 0,
                    try self.sql(db, "SELECT 1 FROM segment_cursors WHERE name = ?").one(name, read: { _ in true }) == nil
                {
                    try self.sql(db, "INSERT INTO segment_cursors (name, position) VALUES (?, ?)").run(name, position)
                }
            }
            // Set-based, a thousand members a statement: the writer is held for a few statements per segment, not
            // for one or two per member that moves.
            var entered = 0
            var left = 0
            for move in plan.moves {
                var delta = 0
                for chunk in stride(from: 0, to: move.entering.count, by: 1_000) {
                    let ids = move.entering[chunk..<min(chunk + 1_000, move.entering.count)].map(String.init).joined(separator: ",")
                    let moved = try self.enter(db, move.segment, members: ids, at: instant)
                    entered += moved
                    delta += moved
                }
                for chunk in stride(from: 0, to: move.leaving.count, by: 1_000) {
                    let ids = move.leaving[chunk..<min(chunk + 1_000, move.leaving.count)].map(String.init).joined(separator: ",")
                    let moved = try self.leave(db, move.segment, members: ids, at: instant)
                    left += moved
                    delta -= moved
                }
                if delta != 0 {
                    try self.sql(db, "UPDATE segments SET member_count = member_count + ? WHERE id = ?").run(delta, move.segment.id)
                }
            }
            return SegmentFollowUp(members: plan.touched, entered: entered, left: left, more: plan.more)
        }
    }

    /// Puts the members `ids` (a comma-separated list) who are not in `record` into it, announcing each; returns how
    /// many entered.
    private func enter(_ db: SQLSession, _ record: SegmentRecord, members ids: String, at instant: Date) throws -> Int {
        let entering = """
            FROM members m WHERE m.id IN (\(ids))
                AND NOT EXISTS (SELECT 1 FROM segment_members x WHERE x.segment_id = \(record.id) AND x.member_id = m.id)
            """
        if try isSubscribed(db, .segmentEntered) {
            try db.prepare(
                once: """
                    INSERT INTO outbox (kind, member_id, payload, occurred_at)
                    SELECT '\(WebhookEventKind.segmentEntered.rawValue)', m.id, \(payloadSQL(record, member: "m.id")), \(instant.ms) \(entering) ORDER BY m.id
                    """
            ).run()
        }
        return try db.prepare(once: "INSERT INTO segment_members (segment_id, member_id, entered_at) SELECT \(record.id), m.id, \(instant.ms) \(entering)").run()
    }

    /// Takes the members `ids` (a comma-separated list) who are in `record` out of it, announcing each; returns how
    /// many left.
    private func leave(_ db: SQLSession, _ record: SegmentRecord, members ids: String, at instant: Date) throws -> Int {
        if try isSubscribed(db, .segmentLeft) {
            try db.prepare(
                once: """
                    INSERT INTO outbox (kind, member_id, payload, occurred_at)
                    SELECT '\(WebhookEventKind.segmentLeft.rawValue)', sm.member_id, \(payloadSQL(record, member: "sm.member_id")), \(instant.ms)
                    FROM segment_members sm WHERE sm.segment_id = \(record.id) AND sm.member_id IN (\(ids)) ORDER BY sm.member_id
                    """
            ).run()
        }
        return try db.prepare(once: "DELETE FROM segment_members WHERE segment_id = \(record.id) AND member_id IN (\(ids))").run()
    }

    /// What a pass of the follower will move, read in one snapshot.
    struct FollowPlan: Sendable {
        struct Move: Sendable {
            let segment: SegmentRecord
            var entering: [Int64] = []
            var leaving: [Int64] = []
        }

        /// The cursors' new positions.
        var cursors: [(String, Int64)]
        var moves: [Move]
        var touched: Int
        var more: Bool
    }

    private func followPlan(_ db: SQLSession, at instant: Date, limit: Int) throws -> FollowPlan {
        let all = try segmentsByName(db)
        let dynamic = all.values.filter { $0.kind == .dynamic }.sorted { $0.id < $1.id }
        // The ledger and the level history are the marks: every change of points writes an entry and every change of
        // level a level_changes row, in the change's own transaction, so the write path pays nothing more. The first pass
        // starts at the present: what changed before is for a full refresh.
        let stored = Dictionary(uniqueKeysWithValues: try sql(db, "SELECT name, position FROM segment_cursors").all { ($0.text(0), $0.int(1)) })
        let entryCursor = try stored["entries"] ?? (sql(db, "SELECT coalesce(max(id), 0) FROM entries").one { $0.int(0) } ?? 0)
        let levelCursor = try stored["level_changes"] ?? (sql(db, "SELECT coalesce(max(id), 0) FROM level_changes").one { $0.int(0) } ?? 0)
        // PostgreSQL commits transactions out of id order: a trailing window of ids is read again (re-evaluating a
        // member twice changes nothing).
        let overlap: Int64 = db.isPostgres ? 1_000 : 0
        // What changed for each member: an entry moves points, and with an order (placed, completed, cancelled,
        // returned) the member's orders too; a level_changes row the level.
        let entries = try sql(db, "SELECT id, member_id, CASE WHEN order_id IS NULL THEN 0 ELSE 1 END FROM entries WHERE id > ? ORDER BY id LIMIT ?")
            .all(max(0, entryCursor - overlap), limit) { ($0.int(0), $0.int(1), $0.int(2) == 1) }
        let levels = try sql(db, "SELECT id, member_id FROM level_changes WHERE id > ? ORDER BY id LIMIT ?")
            .all(max(0, levelCursor - overlap), limit) { ($0.int(0), $0.int(1)) }
        var changes: [Int64: Set<SegmentChange>] = [:]
        for (_, member, order) in entries {
            let kinds: Set<SegmentChange> = order ? [.points, .orders] : [.points]
            changes[member, default: []].formUnion(kinds)
        }
        for (_, member) in levels { changes[member, default: []].insert(.level) }
        let cursors = [("entries", max(entryCursor, entries.last?.0 ?? 0)), ("level_changes", max(levelCursor, levels.last?.0 ?? 0))]
        let more = entries.count == limit || levels.count == limit
        guard !changes.isEmpty, !dynamic.isEmpty else { return FollowPlan(cursors: cursors, moves: [], touched: changes.count, more: more) }
        // Each segment is evaluated only for the members whose changes its condition reads. Segments that read the
        // same kinds of change share their members, and are evaluated together: one statement per thousand members
        // gives each member's answer for every segment of the group, and one more their current memberships.
        let resolve = { (name: String) in all[name].flatMap { $0.kind == .dynamic ? $0.definition.condition : nil } }
        var groups: [Set<SegmentChange>: [(record: SegmentRecord, condition: SegmentCondition)]] = [:]
        for record in dynamic {
            guard let condition = record.definition.condition else { continue }
            let reads = condition.changes(resolving: resolve)
            if !reads.isEmpty { groups[reads, default: []].append((record, condition)) }
        }
        let compiler = try segmentCompiler(db, at: instant, segments: all)
        var moves: [Int64: FollowPlan.Move] = [:]
        for (reads, group) in groups.sorted(by: { $0.value[0].record.id < $1.value[0].record.id }) {
            let records = group.map(\.record)
            let members = changes.filter { !$0.value.isDisjoint(with: reads) }.keys.sorted()
            guard !members.isEmpty else { continue }
            let tests = try group.map { "CASE WHEN (\(try compiler.expression($0.condition))) THEN 1 ELSE 0 END" }.joined(separator: ", ")
            // Every pair below is of a segment of this group: `current` is filtered to them, `matching` made from them.
            let byId = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
            for chunk in stride(from: 0, to: members.count, by: 1_000) {
                let list = "(" + members[chunk..<min(chunk + 1_000, members.count)].map(String.init).joined(separator: ",") + ")"
                let held = try db.prepare(once: "SELECT segment_id, member_id FROM segment_members WHERE member_id IN \(list)").all { [$0.int(0), $0.int(1)] }
                let current = Set(held.filter { byId[$0[0]] != nil })
                // An erased member matches no segment, and leaves those they are in.
                let answers = try db.prepare(once: "SELECT m.id, \(tests) FROM members m WHERE m.id IN \(list) AND m.erased_at IS NULL").all { row in
                    (row.int(0), records.indices.map { row.int(Int32($0 + 1)) == 1 })
                }
                var matching: Set<[Int64]> = []
                for (member, answer) in answers {
                    for (index, record) in records.enumerated() where answer[index] { matching.insert([record.id, member]) }
                }
                for pair in matching.subtracting(current) { moves[pair[0], default: .init(segment: byId[pair[0]]!)].entering.append(pair[1]) }
                for pair in current.subtracting(matching) { moves[pair[0], default: .init(segment: byId[pair[0]]!)].leaving.append(pair[1]) }
            }
        }
        let ordered = moves.sorted { $0.key < $1.key }.map { item in
            var move = item.value
            move.entering.sort()
            move.leaving.sort()
            return move
        }
        return FollowPlan(cursors: cursors, moves: ordered, touched: changes.count, more: more)
    }

    public func previewSegment(_ condition: SegmentCondition, at instant: Date, sample: Int) async throws -> SegmentPreviewCounts {
        guard (0...1_000).contains(sample) else { throw PatronError(.invalidInput, "a preview's sample holds 0 to 1000 members, not \(sample)") }
        return try await backend.read { db in
            let version = try self.currentProgram(db)
            let calendar = version?.program.calendar ?? ShopCalendar(timeZone: TimeZone(identifier: "UTC")!)
            let compiled = try self.segmentCompiler(db, at: instant, segments: try self.segmentsByName(db)).expression(condition)
            let since = calendar.startOfDay(calendar.localDate(of: instant).adding(months: -12)).ms
            let count = try db.prepare(dynamic: "SELECT count(*) FROM members m WHERE m.erased_at IS NULL AND (\(compiled))").one { $0.int(0) } ?? 0
            let members = try self.sql(db, "SELECT count(*) FROM members WHERE erased_at IS NULL").one { $0.int(0) } ?? 0
            let revenue = try db.prepare(
                dynamic: """
                    SELECT coalesce(sum(o.kept), 0) FROM orders o
                    WHERE o.member_id IN (SELECT m.id FROM members m WHERE m.erased_at IS NULL AND (\(compiled)))
                        AND o.status <> \(SQLLiteral.text(OrderRecord.Status.cancelled)) AND o.placed_at >= \(since)
                    """
            ).one { $0.int(0) } ?? 0
            let total = try self.sql(db, "SELECT coalesce(sum(kept), 0) FROM orders WHERE status <> 'cancelled' AND placed_at >= ?").one(since) { $0.int(0) } ?? 0
            let ids = sample == 0 ? [] : try db.prepare(
                dynamic: "SELECT m.id FROM members m WHERE m.erased_at IS NULL AND (\(compiled)) ORDER BY m.id LIMIT \(sample)"
            ).all { $0.int(0) }
            return SegmentPreviewCounts(
                count: Int(count), members: Int(members), revenue12Months: revenue, totalRevenue12Months: total, sample: ids)
        }
    }

    public func evaluateSegment(_ condition: SegmentCondition, at instant: Date) async throws -> [Int64] {
        try await backend.read { db in
            let compiled = try self.segmentCompiler(db, at: instant, segments: try self.segmentsByName(db)).expression(condition)
            return try db.prepare(dynamic: "SELECT m.id FROM members m WHERE m.erased_at IS NULL AND (\(compiled)) ORDER BY m.id").all { $0.int(0) }
        }
    }

    /// Counts the members a hand-written `WHERE` clause over `members m` selects, for the benchmark that sets the
    /// compiled SQL beside a hand-written query. The text is run as given: never pass it input from outside.
    public func countMembers(handWrittenWhere clause: String) async throws -> Int {
        try await backend.read { db in Int(try db.prepare(dynamic: "SELECT count(*) FROM members m WHERE \(clause)").one { $0.int(0) } ?? 0) }
    }

    /// The SQL a condition compiles to now, for `patron segments show --sql` and the benchmark.
    public func segmentSQL(_ condition: SegmentCondition, at instant: Date) async throws -> String {
        try await backend.read { db in
            "SELECT m.id FROM members m WHERE m.erased_at IS NULL AND ("
                + (try self.segmentCompiler(db, at: instant, segments: try self.segmentsByName(db)).expression(condition)) + ")"
        }
    }

    public func replaceStaticSegmentMembers(segment name: String, members: [Int64], at instant: Date) async throws -> SegmentRefresh {
        let wanted = Set(members).sorted()
        return try await writer.submit { db -> SegmentRefresh in
            guard let record = try self.segmentRecords(db, name: name).first else { throw PatronError(.notFound, "no segment is named '\(name)'") }
            guard record.kind == .static else {
                throw PatronError(.invalidInput, "segment '\(name)' is dynamic: its members follow its condition and cannot be imported")
            }
            let current = Set(try self.sql(db, "SELECT member_id FROM segment_members WHERE segment_id = ?").all(record.id) { $0.int(0) })
            let entering = wanted.filter { !current.contains($0) }
            let leaving = current.subtracting(wanted).sorted()
            for member in entering {
                try self.sql(db, "INSERT INTO segment_members (segment_id, member_id, entered_at) VALUES (?, ?, ?)").run(record.id, member, instant.ms)
                try self.announce(db, .segmentEntered, member: member, at: instant, json: { self.segmentPayload(record, member: member) })
            }
            for member in leaving {
                try self.sql(db, "DELETE FROM segment_members WHERE segment_id = ? AND member_id = ?").run(record.id, member)
                try self.announce(db, .segmentLeft, member: member, at: instant, json: { self.segmentPayload(record, member: member) })
            }
            try self.sql(db, "UPDATE segments SET refreshed_at = ?, member_count = ? WHERE id = ?").run(instant.ms, wanted.count, record.id)
            return SegmentRefresh(segment: name, entered: entering.count, left: leaving.count, members: wanted.count)
        }
    }

    public func saveMemberScores(_ scores: [MemberScores], fittedAt instant: Date) async throws {
        _ = try await writer.submit { db -> Bool in
            try self.sql(db, "DELETE FROM member_scores").run()
            let insert = try self.sql(
                db,
                """
                INSERT INTO member_scores (member_id, fitted_at, rfm_cell, rfm_segment, loyalty_stage, loyalty_type, p_alive,
                    expected_purchases_90, clv_12, clv_percentile) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for score in scores {
                try insert.run(
                    score.memberId, instant.ms, score.rfmCell, score.rfmSegment, score.loyaltyStage, score.loyaltyType, score.pAlive,
                    score.expectedPurchases90, score.clv12, score.clvPercentile)
            }
            return true
        }
    }

    public func memberScores(member: Int64) async throws -> (MemberScores, Date)? {
        try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT fitted_at, rfm_cell, rfm_segment, loyalty_stage, loyalty_type, p_alive, expected_purchases_90, clv_12, clv_percentile
                FROM member_scores WHERE member_id = ?
                """
            ).one(member) {
                (
                    MemberScores(
                        memberId: member, rfmCell: $0.optionalText(1), rfmSegment: $0.optionalText(2), loyaltyStage: $0.optionalText(3),
                        loyaltyType: $0.optionalText(4), pAlive: $0.optionalDouble(5), expectedPurchases90: $0.optionalDouble(6),
                        clv12: $0.optionalDouble(7), clvPercentile: $0.optionalDouble(8)),
                    Date(ms: $0.int(0))
                )
            }
        }
    }

    // MARK: Inside transactions

    /// Makes `record`'s stored members those of `condition` (compiled), among `among` members or all: members who newly
    /// match enter, members who no longer match (or were erased) leave, each announced (in member id order). Set-based: two
    /// statements each way, however many members move.
    func applyMembership(_ db: SQLSession, _ record: SegmentRecord, condition: String, among: [Int64]?, at instant: Date) throws -> (Int, Int) {
        let scope = among.map { " AND m.id IN (" + $0.map(String.init).joined(separator: ",") + ")" } ?? ""
        let scopeMembers = among.map { " AND sm.member_id IN (" + $0.map(String.init).joined(separator: ",") + ")" } ?? ""
        let entering = """
            FROM members m WHERE m.erased_at IS NULL\(scope) AND (\(condition))
                AND NOT EXISTS (SELECT 1 FROM segment_members x WHERE x.segment_id = \(record.id) AND x.member_id = m.id)
            """
        let leaving = """
            FROM segment_members sm WHERE sm.segment_id = \(record.id)\(scopeMembers)
                AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = sm.member_id AND m.erased_at IS NULL AND (\(condition)))
            """
        if try isSubscribed(db, .segmentEntered) {
            try db.prepare(dynamic: "INSERT INTO outbox (kind, member_id, payload, occurred_at) SELECT '\(WebhookEventKind.segmentEntered.rawValue)', m.id, \(payloadSQL(record, member: "m.id")), \(instant.ms) \(entering) ORDER BY m.id").run()
        }
        let entered = try db.prepare(dynamic: "INSERT INTO segment_members (segment_id, member_id, entered_at) SELECT \(record.id), m.id, \(instant.ms) \(entering)").run()
        if try isSubscribed(db, .segmentLeft) {
            try db.prepare(dynamic: "INSERT INTO outbox (kind, member_id, payload, occurred_at) SELECT '\(WebhookEventKind.segmentLeft.rawValue)', sm.member_id, \(payloadSQL(record, member: "sm.member_id")), \(instant.ms) \(leaving) ORDER BY sm.member_id").run()
        }
        let left = try db.prepare(
            dynamic: """
                DELETE FROM segment_members WHERE segment_id = \(record.id)\(among.map { " AND member_id IN (" + $0.map(String.init).joined(separator: ",") + ")" } ?? "")
                    AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = segment_members.member_id AND m.erased_at IS NULL AND (\(condition)))
                """
        ).run()
        return (entered, left)
    }

    /// The outbox payload of a segment event, as SQL over the member id column `member`.
    private func payloadSQL(_ record: SegmentRecord, member: String) -> String {
        "'{\"member_id\":' || \(member) || ',\"segment\":\"\(record.name)\",\"segment_id\":\(record.id),\"segment_version\":\(record.version)}'"
    }

    /// The outbox payload of a segment event for one member.
    func segmentPayload(_ record: SegmentRecord, member: Int64) -> String {
        "{\"member_id\":\(member),\"segment\":\"\(record.name)\",\"segment_id\":\(record.id),\"segment_version\":\(record.version)}"
    }

    func countSegmentMembers(_ db: SQLSession, _ segment: Int64) throws -> Int {
        Int(try sql(db, "SELECT count(*) FROM segment_members WHERE segment_id = ?").one(segment) { $0.int(0) } ?? 0)
    }

    func segmentCompiler(_ db: SQLSession, at instant: Date, segments: [String: SegmentRecord]) throws -> SegmentSQL {
        let calendar = try currentProgram(db)?.program.calendar ?? ShopCalendar(timeZone: TimeZone(identifier: "UTC")!)
        return SegmentSQL(now: instant, calendar: calendar, postgres: db.isPostgres, segments: segments)
    }

    func segmentsByName(_ db: SQLSession) throws -> [String: SegmentRecord] {
        Dictionary(uniqueKeysWithValues: try segmentRecords(db, name: nil).map { ($0.name, $0) })
    }

    func segmentRecords(_ db: SQLSession, name: String?) throws -> [SegmentRecord] {
        let read = { (row: Columns) throws -> SegmentRecord in
            let kind = SegmentDefinition.Kind(rawValue: row.text(2)) ?? .dynamic
            let text = row.text(4)
            let condition = text.isEmpty ? nil : try JSONDecoder().decode(SegmentCondition.self, from: Data(text.utf8))
            return SegmentRecord(
                id: row.int(0), definition: SegmentDefinition(name: row.text(1), description: row.optionalText(3), kind: kind, condition: condition),
                version: Int(row.int(5)), createdAt: Date(ms: row.int(6)), updatedAt: Date(ms: row.int(7)),
                refreshedAt: row.optionalInt(8).map(Date.init(ms:)), memberCount: Int(row.int(9)))
        }
        if let name {
            return try sql(
                db,
                "SELECT id, name, kind, description, definition, version, created_at, updated_at, refreshed_at, member_count FROM segments WHERE name = ?"
            ).all(name, read: read)
        }
        return try sql(
            db, "SELECT id, name, kind, description, definition, version, created_at, updated_at, refreshed_at, member_count FROM segments ORDER BY name"
        ).all(read: read)
    }

    static func segmentJSON(_ condition: SegmentCondition?) throws -> String {
        guard let condition else { return "" }
        return try json(condition)
    }
}
