import Foundation
import PatronCore

/// The program's message triggers in the store: write-path causes queue their messages in the transaction of the
/// change; the journeys job queues the time-based ones; the deliverer reads facts and defers or reroutes.
extension SQLStore {
    // MARK: Queueing

    /// The program's message plan, the trigger names an outbox event fires and the shop's calendar, in the writer's
    /// transaction; `nil` when the event is no cause or the program has no `messages:` section (the trigger table then
    /// decides, `messageChannels`). The program is read once per transaction, so this costs no query.
    func journeyTriggers(_ db: SQLSession, for event: WebhookEventKind) throws -> (plan: MessagePlan, triggers: [MessageTrigger], calendar: ShopCalendar)? {
        let name: MessageCause.Name
        switch event {
        case .memberEnrolled: name = .enrolled
        case .levelChanged: name = .levelChanged
        case .rewardRedeemed: name = .rewardRedeemed
        case .careTicketMessage: name = .careReply
        default: return nil
        }
        guard let program = try currentProgram(db, writing: true)?.program, let plan = program.messages else { return nil }
        return (plan, plan.triggers(on: name), program.calendar)
    }

    /// Queues `trigger`'s message for `member`, caused at `instant` by `cause` (the event's identity: the same cause
    /// again queues nothing); due after the trigger's delay, out of quiet hours. Returns whether it queued one.
    @discardableResult
    func queueJourney(
        _ db: SQLSession, _ trigger: MessageTrigger, plan: MessagePlan, calendar: ShopCalendar, member: Int64, cause: String, step: Int? = nil,
        facts: String, at instant: Date
    ) throws -> Bool {
        let channel = trigger.channels[0]
        return try insertJourneyMessage(
            db, key: MessageKey(kind: trigger.kind, member: member, cause: "\(trigger.id)-\(cause)", channel: channel), member: member, kind: trigger.kind,
            purpose: trigger.purpose, channel: channel, facts: facts, createdAt: instant, dueAt: plan.due(trigger, causedAt: instant, calendar: calendar),
            journey: trigger.id, step: step)
    }

    /// Inserts a queued message with its purpose, due time and journey unless its key exists; returns whether it did.
    func insertJourneyMessage(
        _ db: SQLSession, key: MessageKey, member: Int64, kind: MessageKind, purpose: MessagePurpose, channel: MessageChannel, facts: String,
        createdAt: Date, dueAt: Date, journey: String?, step: Int?
    ) throws -> Bool {
        try sql(
            db,
            """
            INSERT INTO messages (message_key, member_id, kind, purpose, channel, status, facts, created_at, due_at, attempts, journey, journey_step)
            VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, 0, ?, ?) ON CONFLICT (message_key) DO NOTHING
            """
        ).run(key.value, member, kind.rawValue, purpose.rawValue, channel.rawValue, facts, createdAt.ms, dueAt.ms, journey, step.map { Int64($0) }) > 0
    }

    /// The first order (`firstOrder`, when the member has no other order) and a completed order (`orderDelivered`),
    /// queued in the order event's transaction. Without a trigger on the cause it reads nothing.
    func queueOrderJourneys(_ db: SQLSession, event: OrderEvent, record: OrderRecord, member: Int64) throws {
        let name: MessageCause.Name
        switch event.kind {
        case .placed: name = .firstOrder
        case .completed: name = .orderDelivered
        default: return
        }
        guard let program = try currentProgram(db, writing: true)?.program, let plan = program.messages, plan.fires(on: name) else { return }
        if name == .firstOrder {
            // Two first orders of a new member in one batch both pass here; the message key keeps one message.
            let other = try sql(db, "SELECT 1 FROM orders WHERE member_id = ? AND id <> ? LIMIT 1").one(member, record.orderId) { $0.int(0) }
            guard other == nil else { return }
        }
        let facts = Self.factsJSON(["order_id": record.orderId, "amount": record.amount, "points": record.points])
        for trigger in plan.triggers(on: name) {
            try queueJourney(
                db, trigger, plan: plan, calendar: program.calendar, member: member, cause: name == .firstOrder ? "first" : "order-\(record.orderId)",
                facts: facts, at: event.occurredAt)
        }
    }

    /// A redeemed gift shipped or delivered (`rewardFulfilled`), in the fulfilment's transaction.
    func queueFulfilmentJourneys(_ db: SQLSession, redemption: Int64, member: Int64, reward: String, points: Int64, status: RedemptionStatus, at instant: Date) throws {
        guard let program = try currentProgram(db, writing: true)?.program, let plan = program.messages, plan.fires(on: .rewardFulfilled) else { return }
        let facts = Self.factsJSON(["redemption_id": redemption, "reward_id": reward, "points": points, "status": status.rawValue])
        for trigger in plan.triggers(on: .rewardFulfilled) {
            try queueJourney(
                db, trigger, plan: plan, calendar: program.calendar, member: member, cause: "\(redemption)-\(status.rawValue)", facts: facts, at: instant)
        }
    }

    /// A marketing campaign's `message` action for a newly treated member: a `campaign` message on the action's
    /// channel, in the assignment's transaction (journey `campaign:NAME`; quiet hours and the weekly cap apply when the
    /// program has them).
    func queueCampaignMessage(_ db: SQLSession, campaign: String, template: String, channel: MessageChannel, member: Int64, at instant: Date) throws -> Bool {
        let program = try currentProgram(db, writing: true)?.program
        var due = instant
        if let program, let quiet = program.messages?.quietHours, quiet.channels.contains(channel) {
            due = quiet.end(ofQuietAt: instant, calendar: program.calendar) ?? instant
        }
        return try insertJourneyMessage(
            db, key: MessageKey(kind: .campaign, member: member, cause: "campaign-\(campaign)", channel: channel), member: member, kind: .campaign,
            purpose: .marketing, channel: channel, facts: Self.factsJSON(["campaign": campaign, "template": template]), createdAt: instant, dueAt: due,
            journey: "campaign:\(campaign)", step: nil)
    }

    /// A JSON object's text with sorted keys, for a message's facts.
    static func factsJSON(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    // MARK: The journeys job

    /// One message the job would queue.
    struct JourneyCandidate {
        var member: Int64
        var cause: String
        var step: Int?
        var facts: String
    }

    public func runMessageJourneys(asOf instant: Date) async throws -> JobReport {
        guard let version = try await backend.read({ db in try self.currentProgram(db) }), let plan = version.program.messages else {
            return JobReport(items: 0, points: 0)
        }
        let calendar = version.program.calendar
        var queued = 0
        for trigger in plan.triggers where trigger.cause.name.isTimed {
            let candidates = try await backend.read { db in try self.journeyCandidates(db, trigger, at: instant, calendar: calendar) }
            for start in stride(from: 0, to: candidates.count, by: 1_000) {
                let chunk = candidates[start..<min(start + 1_000, candidates.count)]
                queued += try await writer.submit { db -> Int in
                    var count = 0
                    for candidate in chunk {
                        let inserted = try self.queueJourney(
                            db, trigger, plan: plan, calendar: calendar, member: candidate.member, cause: candidate.cause, step: candidate.step,
                            facts: candidate.facts, at: instant)
                        if inserted { count += 1 }
                    }
                    return count
                }
            }
        }
        return JobReport(items: queued, points: 0)
    }

    /// The members a time-based trigger speaks to as of `instant`, each with the cause that makes its message unique.
    func journeyCandidates(_ db: SQLSession, _ trigger: MessageTrigger, at instant: Date, calendar: ShopCalendar) throws -> [JourneyCandidate] {
        let today = calendar.localDate(of: instant)
        switch trigger.cause {
        case .pointsExpiring(let withinDays):
            // One warning per member and last day to spend, however many lots expire that day.
            let rows = try sql(
                db,
                """
                SELECT l.member_id, l.expires_at, CAST(sum(l.remaining) AS BIGINT) FROM lots l JOIN members m ON m.id = l.member_id
                WHERE l.remaining > 0 AND l.expires_at > ? AND l.expires_at <= ? AND m.erased_at IS NULL
                GROUP BY l.member_id, l.expires_at ORDER BY l.member_id, l.expires_at
                """
            ).all(instant.ms, calendar.adding(days: withinDays, to: instant).ms) { (member: $0.int(0), expiresAt: Date(ms: $0.int(1)), points: $0.int(2)) }
            var byDay: [(member: Int64, day: LocalDate, points: Int64)] = []
            for row in rows {
                // A lot expires at the start of a local day: its points can be spent until the end of the day before.
                let day = calendar.localDate(of: row.expiresAt - 1)
                if let last = byDay.last, last.member == row.member, last.day == day {
                    byDay[byDay.count - 1].points += row.points
                } else {
                    byDay.append((member: row.member, day: day, points: row.points))
                }
            }
            return byDay.map {
                JourneyCandidate(member: $0.member, cause: $0.day.description, facts: Self.factsJSON(["expires_on": $0.day.description, "points": $0.points]))
            }
        case .birthday:
            var patterns = [String(format: "%%-%02d-%02d", today.month, today.day)]
            // Members born on 29 February are greeted on the 28th in other years.
            if today.holdsLeapDayReturns { patterns.append("%-02-29") }
            return try sql(db, "SELECT id FROM members WHERE erased_at IS NULL AND (birthday LIKE ? OR birthday LIKE ?) ORDER BY id").all(
                patterns[0], patterns.last!
            ) { $0.int(0) }.map { JourneyCandidate(member: $0, cause: String(today.year), facts: "{}") }
        case .anniversary:
            // Only the members enrolled on today's month and day in an earlier year (on 28 February of a common year,
            // also those enrolled on a 29 February): the database returns just them, by the instants those local days
            // span (the program's time zone decides where a day begins).
            let earliest = try sql(db, "SELECT min(enrolled_at) FROM members WHERE erased_at IS NULL").one(read: { $0.optionalInt(0) }) ?? nil
            guard let earliest else { return [] }
            var days: [LocalDate] = []
            for year in min(calendar.localDate(of: Date(ms: earliest)).year, today.year)..<today.year {
                if let day = LocalDate(year: year, month: today.month, day: today.day) { days.append(day) }
                if today.holdsLeapDayReturns, let day = LocalDate(year: year, month: 2, day: 29) { days.append(day) }
            }
            guard !days.isEmpty else { return [] }
            return try db.prepare(once: Self.membersEnrolled(on: days, calendar: calendar)).all {
                (member: $0.int(0), enrolled: calendar.localDate(of: Date(ms: $0.int(1))))
            }.compactMap { row -> JourneyCandidate? in
                let years = today.year - row.enrolled.year
                guard years >= 1, today.isYearlyReturn(of: row.enrolled) else { return nil }
                return JourneyCandidate(member: row.member, cause: String(today.year), facts: Self.factsJSON(["years": years]))
            }
        case .thankYou(let topPercent, let every):
            let label = every.label(of: today)
            let facts = Self.factsJSON(["period": label])
            let members: [Int64]
            if let topPercent {
                let since = calendar.adding(months: -12, to: instant)
                let spend = try sql(
                    db,
                    """
                    SELECT o.member_id, CAST(sum(o.amount) AS BIGINT) FROM orders o JOIN members m ON m.id = o.member_id
                    WHERE o.placed_at > ? AND o.placed_at <= ? AND o.status <> 'cancelled' AND m.erased_at IS NULL GROUP BY o.member_id
                    """
                ).all(since.ms, instant.ms) { (member: $0.int(0), spend: $0.int(1)) }.filter { $0.spend > 0 }
                let ranked = spend.sorted { $0.spend != $1.spend ? $0.spend > $1.spend : $0.member < $1.member }
                let take = (ranked.count * topPercent + 99) / 100
                members = ranked.prefix(take).map(\.member).sorted()
            } else if let segment = trigger.segment {
                members = try sql(
                    db,
                    """
                    SELECT sm.member_id FROM segment_members sm JOIN segments s ON s.id = sm.segment_id JOIN members m ON m.id = sm.member_id
                    WHERE s.name = ? AND m.erased_at IS NULL ORDER BY sm.member_id
                    """
                ).all(segment) { $0.int(0) }
            } else {
                members = []
            }
            return members.map { JourneyCandidate(member: $0, cause: label, facts: facts) }
        case .inactive(let steps):
            guard !steps.isEmpty else { return [] }
            // Only the members whose last order (or, without one, enrolment) fell on a day from which a step is open
            // today: step k is open while the days since are in [days[k], min(days[k+1], days[k] + grace)).
            var ranges: [(from: Date, to: Date)] = []
            for (index, day) in steps.enumerated() {
                let next = index + 1 < steps.count ? steps[index + 1] : Int.max
                let end = min(next, day + InactivitySteps.grace)
                ranges.append((calendar.startOfDay(today.adding(days: -(end - 1))), calendar.startOfDay(today.adding(days: -day + 1))))
            }
            let rows = try db.prepare(once: Self.membersInactive(since: ranges)).all {
                (member: $0.int(0), since: calendar.localDate(of: Date(ms: $0.int(1))))
            }
            return rows.compactMap { row -> JourneyCandidate? in
                let days = today.dayNumber - row.since.dayNumber
                guard let step = InactivitySteps.step(days: days, steps: steps) else { return nil }
                return JourneyCandidate(
                    member: row.member, cause: "\(step)-\(row.since)", step: step,
                    facts: Self.factsJSON(["days": days, "step": step, "since": row.since.description]))
            }
        case .enrolled, .firstOrder, .orderDelivered, .levelChanged, .rewardRedeemed, .rewardFulfilled, .careReply:
            return []
        }
    }

    /// The members (id, enrolled_at) enrolled on one of `days`, not erased, by id. The bounds are integers the store
    /// computed (milliseconds), written into the text: their number varies, and nothing in it comes from input.
    static func membersEnrolled(on days: [LocalDate], calendar: ShopCalendar) -> String {
        let ranges = days.map { day in
            "(enrolled_at >= \(calendar.startOfDay(day).ms) AND enrolled_at < \(calendar.startOfDay(day.adding(days: 1)).ms))"
        }
        return "SELECT id, enrolled_at FROM members WHERE erased_at IS NULL AND (" + ranges.joined(separator: " OR ") + ") ORDER BY id"
    }

    /// The members (id, since) whose last order — or, without one, enrolment — is in one of `ranges` ([from, to)), not
    /// erased, by id. As `membersEnrolled`, the bounds are computed integers.
    static func membersInactive(since ranges: [(from: Date, to: Date)]) -> String {
        let within = ranges.map { "(since >= \($0.from.ms) AND since < \($0.to.ms))" }.joined(separator: " OR ")
        return """
            SELECT id, since FROM (
                SELECT m.id AS id, coalesce((SELECT max(o.placed_at) FROM orders o WHERE o.member_id = m.id), m.enrolled_at) AS since
                FROM members m WHERE m.erased_at IS NULL
            ) t WHERE \(within) ORDER BY id
            """
    }

    // MARK: The deliverer

    public func messageJourneyFacts(message: Int64, member: Int64) async throws -> MessageJourneyFacts {
        try await backend.read { db in
            var facts = MessageJourneyFacts()
            if let row = try self.sql(db, "SELECT journey, journey_step FROM messages WHERE id = ?").one(message, read: { ($0.optionalText(0), $0.optionalInt(1)) }) {
                facts.journey = row.0
                facts.step = row.1.map(Int.init)
            }
            facts.lastOrderAt = try self.sql(db, "SELECT max(placed_at) FROM orders WHERE member_id = ?").one(member) { $0.optionalInt(0) }?.map(Date.init(ms:))
            facts.lastRedemptionAt = try self.sql(db, "SELECT max(created_at) FROM redemptions WHERE member_id = ?").one(member) { $0.optionalInt(0) }?
                .map(Date.init(ms:))
            facts.segments = Set(
                try self.sql(db, "SELECT s.name FROM segment_members sm JOIN segments s ON s.id = sm.segment_id WHERE sm.member_id = ?").all(member) {
                    $0.text(0)
                })
            return facts
        }
    }

    public func reserveCappedSend(_ claim: Message, channel: MessageChannel, cap: Int, since: Date, at instant: Date) async throws -> CapReservation {
        if channel == .webhook { throw PatronError(.invalidInput, "channel: webhook events are not messages") }
        return try await writer.submit { db -> CapReservation in
            // Deliverers reserving for one member queue here (PostgreSQL); SQLite's one writer already serializes them.
            try self.lockMembers(db, claim.memberId)
            guard try self.sql(db, "SELECT 1 FROM messages WHERE id = ? AND status = 'queued' AND attempts = ?").one(claim.id, claim.attempts, read: { $0.int(0) }) != nil
            else { return .lost }
            // Sent in the week, or reserved by a deliverer whose lease still runs (it may be sending right now).
            let counted = try self.sql(
                db,
                """
                SELECT count(*) FROM messages WHERE member_id = ? AND purpose = 'marketing' AND channel = ? AND id <> ? AND sent_at >= ?
                    AND (status IN ('sent', 'delivered') OR (status = 'queued' AND lease_until > ?))
                """
            ).one(claim.memberId, channel.rawValue, claim.id, since.ms, instant.ms) { Int($0.int(0)) } ?? 0
            guard counted < cap else { return .full(sent: counted) }
            try self.sql(db, "UPDATE messages SET channel = ?, sent_at = ? WHERE id = ?").run(channel.rawValue, instant.ms, claim.id)
            return .reserved
        }
    }

    public func deferMessage(_ claim: Message, until: Date, reason: String) async throws -> Bool {
        try await writer.submit { db -> Bool in
            try self.sql(
                db,
                """
                UPDATE messages SET due_at = ?, last_error = ?, lease_until = NULL, attempts = attempts - 1, sent_at = NULL
                WHERE id = ? AND status = 'queued' AND attempts = ?
                """
            ).run(until.ms, String(reason.prefix(1_000)), claim.id, claim.attempts) == 1
        }
    }

    public func rerouteMessage(_ claim: Message, to channel: MessageChannel) async throws -> Bool {
        if channel == .webhook { throw PatronError(.invalidInput, "channel: webhook events are not messages") }
        return try await writer.submit { db -> Bool in
            try self.sql(db, "UPDATE messages SET channel = ? WHERE id = ? AND status = 'queued' AND attempts = ?").run(channel.rawValue, claim.id, claim.attempts)
                == 1
        }
    }
}
