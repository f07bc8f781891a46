import Foundation
import PatronCore

extension SQLStore {
    public func setMessageTrigger(kind: MessageKind, channels: Set<MessageChannel>) async throws {
        if channels.contains(.webhook) {
            throw PatronError(.invalidInput, "channels: webhook events are subscribed with `patron webhooks`, not as messages")
        }
        try await writer.submit { db in
            try self.sql(db, "DELETE FROM message_triggers WHERE kind = ?").run(kind.rawValue)
            for channel in channels.sorted() {
                try self.sql(db, "INSERT INTO message_triggers (kind, channel) VALUES (?, ?)").run(kind.rawValue, channel.rawValue)
            }
        }
    }

    public func messageTriggers() async throws -> [MessageKind: [MessageChannel]] {
        try await backend.read { db in try self.readMessageTriggers(db) }
    }

    func readMessageTriggers(_ db: SQLSession) throws -> [MessageKind: [MessageChannel]] {
        var triggers: [MessageKind: [MessageChannel]] = [:]
        for (kind, channel) in try sql(db, "SELECT kind, channel FROM message_triggers ORDER BY kind, channel").all(read: { ($0.text(0), $0.text(1)) }) {
            guard let kind = MessageKind(rawValue: kind), let channel = MessageChannel(rawValue: channel) else { continue }
            triggers[kind, default: []].append(channel)
        }
        return triggers
    }

    /// The message kind an outbox event causes, if any.
    static func messageKind(for event: WebhookEventKind) -> MessageKind? {
        switch event {
        case .memberEnrolled: .welcome
        case .levelChanged: .levelChanged
        case .rewardRedeemed: .rewardRedeemed
        case .careTicketMessage: .careReply
        default: nil
        }
    }

    /// The channels the message kind `event` causes goes out on, read once per writer transaction (like
    /// `subscribedKinds`): the order-ingest path pays one query per batch.
    func messageChannels(_ db: SQLSession, for event: WebhookEventKind) throws -> (MessageKind, [MessageChannel])? {
        guard let kind = Self.messageKind(for: event) else { return nil }
        let triggers: [MessageKind: [MessageChannel]]
        if let known = db.messageTriggers {
            triggers = known
        } else {
            triggers = try readMessageTriggers(db)
            db.messageTriggers = triggers
        }
        guard let channels = triggers[kind], !channels.isEmpty else { return nil }
        return (kind, channels)
    }

    /// Queues `kind` for `member` on each channel in the caller's transaction; the cause is the event's payload, so the
    /// same event announced again queues nothing new.
    func queueMessages(_ db: SQLSession, _ kind: MessageKind, channels: [MessageChannel], member: Int64, at instant: Date, facts: String) throws {
        let cause = kind == .welcome ? "enrolled" : facts
        for channel in channels {
            let key = MessageKey(kind: kind, member: member, cause: cause, channel: channel)
            try insertMessage(db, key: key, member: member, kind: kind, channel: channel, facts: facts, at: instant)
        }
    }

    /// Inserts a queued message unless its key exists; returns whether it did.
    @discardableResult
    func insertMessage(_ db: SQLSession, key: MessageKey, member: Int64, kind: MessageKind, channel: MessageChannel, facts: String, at: Date) throws -> Bool {
        try sql(
            db,
            """
            INSERT INTO messages (message_key, member_id, kind, purpose, channel, status, facts, created_at, due_at, attempts)
            VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, 0) ON CONFLICT (message_key) DO NOTHING
            """
        ).run(key.value, member, kind.rawValue, kind.purpose.rawValue, channel.rawValue, facts, at.ms, at.ms) > 0
    }

    public func queueMessage(_ message: NewMessage) async throws -> (Message, created: Bool) {
        if message.channel == .webhook { throw PatronError(.invalidInput, "channel: webhook events are not queued as messages") }
        try FreeText.check(message.cause, field: "cause", maximumLength: 1_000)
        guard let data = message.facts.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw PatronError(.invalidInput, "facts: must be a JSON object")
        }
        let key = MessageKey(kind: message.kind, member: message.memberId, cause: message.cause, channel: message.channel)
        return try await writer.submit { db -> (Message, created: Bool) in
            guard try self.sql(db, "SELECT 1 FROM members WHERE id = ?").one(message.memberId, read: { $0.int(0) }) != nil else {
                throw PatronError(.notFound, "no member \(message.memberId)")
            }
            let created = try self.insertMessage(
                db, key: key, member: message.memberId, kind: message.kind, channel: message.channel, facts: message.facts, at: message.at)
            return (try self.readMessage(db, key: key)!, created)
        }
    }

    public func claimMessages(at instant: Date, limit: Int, lease: TimeInterval) async throws -> [Message] {
        let until = instant.addingTimeInterval(lease)
        return try await writer.submit { db -> [Message] in
            let ids = try self.sql(
                db,
                """
                SELECT id FROM messages WHERE status = 'queued' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY due_at, id LIMIT ?
                """,
                postgresLock: "FOR UPDATE SKIP LOCKED"
            ).all(instant.ms, instant.ms, limit) { $0.int(0) }
            var claimed: [Message] = []
            for id in ids {
                // A claim starts without a place under the weekly cap: one left by a deliverer whose lease ended is void.
                try self.sql(db, "UPDATE messages SET lease_until = ?, attempts = attempts + 1, sent_at = NULL WHERE id = ?").run(until.ms, id)
                if let message = try self.readMessage(db, id: id) { claimed.append(message) }
            }
            return claimed
        }
    }

    /// Any outcome but `sent` clears `sent_at`: on a queued message it is a place reserved under the weekly cap
    /// (`reserveCappedSend`), which only a send keeps.
    public func recordMessageOutcome(_ claim: Message, _ outcome: MessageOutcome, at instant: Date) async throws -> Bool {
        try await writer.submit { db -> Bool in
            let held = try self.sql(db, "SELECT 1 FROM messages WHERE id = ? AND status = 'queued' AND attempts = ?", postgresLock: "FOR UPDATE")
                .one(claim.id, claim.attempts) { $0.int(0) }
            guard held != nil else { return false }
            switch outcome {
            case .sent(let rendered, let recipient, let providerId, let delivered):
                try self.sql(
                    db,
                    """
                    UPDATE messages SET status = ?, recipient = ?, provider_id = ?, subject = ?, body_text = ?, body_html = ?, sent_at = ?,
                        delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?
                    """
                ).run(
                    delivered ? MessageStatus.delivered.rawValue : MessageStatus.sent.rawValue, recipient, providerId, rendered.subject, rendered.text,
                    rendered.html, instant.ms, delivered ? instant.ms : nil, claim.id)
            case .retry(let error, let retryAt):
                try self.sql(db, "UPDATE messages SET due_at = ?, last_error = ?, lease_until = NULL, sent_at = NULL WHERE id = ?").run(retryAt.ms, String(error.prefix(1_000)), claim.id)
            case .dead(let error):
                try self.sql(db, "UPDATE messages SET status = 'dead', last_error = ?, lease_until = NULL, sent_at = NULL WHERE id = ?").run(String(error.prefix(1_000)), claim.id)
            case .bounced(let error, let recipient):
                try self.sql(db, "UPDATE messages SET status = 'bounced', recipient = ?, last_error = ?, lease_until = NULL, sent_at = NULL WHERE id = ?")
                    .run(recipient, String(error.prefix(1_000)), claim.id)
                try self.sql(
                    db,
                    "INSERT INTO message_suppressions (channel, address, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, address) DO NOTHING"
                ).run(claim.channel.rawValue, Self.suppressionAddress(recipient), String(error.prefix(1_000)), instant.ms)
            case .suppressed(let reason):
                try self.sql(db, "UPDATE messages SET status = 'suppressed', last_error = ?, lease_until = NULL, sent_at = NULL WHERE id = ?").run(reason, claim.id)
            }
            return true
        }
    }

    public func message(id: Int64) async throws -> Message? {
        try await backend.read { db in try self.readMessage(db, id: id) }
    }

    public func messages(status: MessageStatus?, limit: Int) async throws -> [Message] {
        try await backend.read { db in
            if let status {
                return try self.sql(db, "SELECT id FROM messages WHERE status = ? ORDER BY id DESC LIMIT ?").all(status.rawValue, limit) { $0.int(0) }
                    .compactMap { try self.readMessage(db, id: $0) }
            }
            return try self.sql(db, "SELECT id FROM messages ORDER BY id DESC LIMIT ?").all(limit) { $0.int(0) }.compactMap { try self.readMessage(db, id: $0) }
        }
    }

    public func memberMessages(member: Int64, channel: MessageChannel, before: Int64?, limit: Int) async throws -> [Message] {
        try await backend.read { db in
            try self.sql(
                db, "SELECT id FROM messages WHERE member_id = ? AND channel = ? AND status IN ('sent', 'delivered') AND id < ? ORDER BY id DESC LIMIT ?"
            ).all(member, channel.rawValue, before ?? Int64.max, limit) { $0.int(0) }.compactMap { try self.readMessage(db, id: $0) }
        }
    }

    public func markMessageRead(member: Int64, id: Int64, at instant: Date) async throws -> Message {
        try await writer.submit { db -> Message in
            guard let message = try self.readMessage(db, id: id), message.memberId == member, message.status == .delivered || message.status == .sent
            else { throw PatronError(.notFound, "member \(member) has no message \(id)") }
            // Only the first reading changes anything (`read_at IS NULL`); it also counts the message's open.
            try self.sql(
                db, "UPDATE messages SET read_at = ?, opened_at = coalesce(opened_at, ?), open_count = open_count + 1 WHERE id = ? AND read_at IS NULL"
            ).run(instant.ms, instant.ms, id)
            return try self.readMessage(db, id: id)!
        }
    }

    public func requeueMessage(id: Int64, at instant: Date) async throws -> Message {
        try await writer.submit { db -> Message in
            guard let message = try self.readMessage(db, id: id) else { throw PatronError(.notFound, "no message \(id)") }
            guard message.status == .dead || message.status == .bounced || message.status == .failed else {
                throw PatronError(.invalidTransition, "message \(id) is \(message.status.rawValue); only dead, failed or bounced messages are sent again")
            }
            if message.status == .bounced, let recipient = message.recipient {
                try self.sql(db, "DELETE FROM message_suppressions WHERE channel = ? AND address = ?").run(message.channel.rawValue, Self.suppressionAddress(recipient))
            }
            try self.sql(db, "UPDATE messages SET status = 'queued', due_at = ?, attempts = 0, lease_until = NULL WHERE id = ?").run(instant.ms, id)
            return try self.readMessage(db, id: id)!
        }
    }

    public func isSuppressed(channel: MessageChannel, address: String) async throws -> Bool {
        try await backend.read { db in
            try self.sql(db, "SELECT 1 FROM message_suppressions WHERE channel = ? AND address = ?").one(channel.rawValue, Self.suppressionAddress(address)) {
                $0.int(0)
            } != nil
        }
    }

    /// Addresses are compared without case (e-mail domains and, in practice, local parts).
    static func suppressionAddress(_ address: String) -> String { address.lowercased() }

    func readMessage(_ db: SQLSession, id: Int64) throws -> Message? {
        try sql(
            db,
            """
            SELECT id, message_key, member_id, kind, purpose, channel, status, facts, created_at, due_at, attempts, last_error, recipient, provider_id,
                subject, body_text, body_html, sent_at, delivered_at, read_at, opened_at, open_count, clicked_at, click_count FROM messages WHERE id = ?
            """
        ).one(id, read: Self.message)
    }

    func readMessage(_ db: SQLSession, key: MessageKey) throws -> Message? {
        try sql(
            db,
            """
            SELECT id, message_key, member_id, kind, purpose, channel, status, facts, created_at, due_at, attempts, last_error, recipient, provider_id,
                subject, body_text, body_html, sent_at, delivered_at, read_at, opened_at, open_count, clicked_at, click_count FROM messages
            WHERE message_key = ?
            """
        ).one(key.value, read: Self.message)
    }

    private static func message(_ row: Columns) -> Message {
        Message(
            id: row.int(0), key: MessageKey(stored: row.text(1)), memberId: row.int(2), kind: MessageKind(rawValue: row.text(3)) ?? .campaign,
            purpose: MessagePurpose(rawValue: row.text(4)) ?? .marketing, channel: MessageChannel(rawValue: row.text(5)) ?? .inbox,
            status: MessageStatus(rawValue: row.text(6)) ?? .failed, facts: row.text(7), createdAt: Date(ms: row.int(8)), dueAt: Date(ms: row.int(9)),
            attempts: Int(row.int(10)), lastError: row.optionalText(11), recipient: row.optionalText(12), providerId: row.optionalText(13),
            subject: row.optionalText(14), text: row.optionalText(15), html: row.optionalText(16), sentAt: row.optionalInt(17).map(Date.init(ms:)),
            deliveredAt: row.optionalInt(18).map(Date.init(ms:)), readAt: row.optionalInt(19).map(Date.init(ms:)),
            openedAt: row.optionalInt(20).map(Date.init(ms:)), openCount: Int(row.int(21)), clickedAt: row.optionalInt(22).map(Date.init(ms:)),
            clickCount: Int(row.int(23)))
    }
}

extension SQLStore {
    /// Removes a member's addresses, message bodies and facts (their erasure); queued messages become suppressed.
    func eraseMessages(_ db: SQLSession, member: Int64) throws {
        try sql(
            db,
            """
            UPDATE messages SET recipient = NULL, subject = NULL, body_text = NULL, body_html = NULL, facts = '{}',
                sent_at = CASE WHEN status = 'queued' THEN NULL ELSE sent_at END,
                status = CASE WHEN status = 'queued' THEN 'suppressed' ELSE status END,
                last_error = CASE WHEN status = 'queued' THEN 'member erased' ELSE last_error END
            WHERE member_id = ?
            """
        ).run(member)
    }
}
