import Foundation
import PatronCore

extension SQLStore {
    public func recordMessageOpen(id: Int64, at instant: Date) async throws -> Bool {
        try await writer.submit { db -> Bool in
            try self.sql(db, "UPDATE messages SET opened_at = coalesce(opened_at, ?), open_count = open_count + 1 WHERE id = ?").run(instant.ms, id) > 0
        }
    }

    public func recordMessageClick(id: Int64, at instant: Date) async throws -> Bool {
        try await writer.submit { db -> Bool in
            try self.sql(db, "UPDATE messages SET clicked_at = coalesce(clicked_at, ?), click_count = click_count + 1 WHERE id = ?").run(instant.ms, id)
                > 0
        }
    }

    public func messageActivity(since: Date, until: Date) async throws -> MessageActivity {
        try await backend.read { db in
            let messages = try self.sql(
                db,
                """
                SELECT id, member_id, kind, channel, journey, journey_step, status, sent_at, open_count, click_count FROM messages
                WHERE created_at >= ? AND created_at <= ? ORDER BY id
                """
            ).all(since.ms, until.ms) { row -> MessageStats.Sent? in
                guard let kind = MessageKind(rawValue: row.text(2)), let channel = MessageChannel(rawValue: row.text(3)),
                    let status = MessageStatus(rawValue: row.text(6))
                else { return nil }
                return MessageStats.Sent(
                    id: row.int(0), memberId: row.int(1), kind: kind, channel: channel, journey: row.optionalText(4), step: row.optionalInt(5).map { Int($0) },
                    status: status, sentAt: row.optionalInt(7).map(Date.init(ms:)), opened: row.int(8) > 0, clicked: row.int(9) > 0)
            }.compactMap { $0 }
            let orders = try self.sql(db, "SELECT member_id, placed_at, amount FROM orders WHERE placed_at >= ? AND placed_at <= ? AND status <> 'cancelled'")
                .all(since.ms, until.ms) { MessageStats.Order(memberId: $0.int(0), placedAt: Date(ms: $0.int(1)), amount: $0.int(2)) }
            let withdrawals = try self.sql(
                db, "SELECT member_id, channel, recorded_at FROM consent_records WHERE state = 'withdrawn' AND recorded_at >= ? AND recorded_at <= ?"
            ).all(since.ms, until.ms) { row -> MessageStats.Withdrawal? in
                MessageChannel(rawValue: row.text(1)).map { MessageStats.Withdrawal(memberId: row.int(0), channel: $0, at: Date(ms: row.int(2))) }
            }.compactMap { $0 }
            return MessageActivity(messages: messages, orders: orders, withdrawals: withdrawals)
        }
    }
}
