import Foundation
import PatronCore

extension SQLStore {
    public func messages(matching filter: MessageFilter, limit: Int) async throws -> [Message] {
        // One statement for every combination of filters: an absent filter compares the column with itself. The scan
        // walks ids newest first and stops after `limit` matches.
        try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT id FROM messages WHERE status = coalesce(?, status) AND kind = coalesce(?, kind) AND channel = coalesce(?, channel)
                    AND id < ? ORDER BY id DESC LIMIT ?
                """
            ).all(filter.status?.rawValue, filter.kind?.rawValue, filter.channel?.rawValue, filter.before ?? Int64.max, max(0, limit)) { $0.int(0) }
            .compactMap { try self.readMessage(db, id: $0) }
        }
    }

    public func messages(member: Int64, before: Int64?, limit: Int) async throws -> [Message] {
        try await backend.read { db in
            try self.sql(db, "SELECT id FROM messages WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
                .all(member, before ?? Int64.max, max(0, limit)) { $0.int(0) }
                .compactMap { try self.readMessage(db, id: $0) }
        }
    }

    public func unreadInboxCount(member: Int64) async throws -> Int {
        try await backend.read { db in
            Int(
                try self.sql(
                    db,
                    """
                    SELECT count(*) FROM messages
                    WHERE member_id = ? AND channel = 'inbox' AND status IN ('sent', 'delivered') AND read_at IS NULL
                    """
                ).one(member) { $0.int(0) } ?? 0)
        }
    }

    public func messageCounts() async throws -> [MessageCount] {
        try await backend.read { db in
            try self.sql(db, "SELECT status, kind, channel, count(*) FROM messages GROUP BY status, kind, channel ORDER BY status, kind, channel")
                .all { ($0.text(0), $0.text(1), $0.text(2), $0.int(3)) }
                .compactMap { status, kind, channel, count in
                    guard let status = MessageStatus(rawValue: status), let kind = MessageKind(rawValue: kind), let channel = MessageChannel(rawValue: channel)
                    else { return nil }
                    return MessageCount(status: status, kind: kind, channel: channel, count: Int(count))
                }
        }
    }
}
