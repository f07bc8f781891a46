import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    public func appendAudit(actor: String, action: String, subject: String, before: String?, after: String?, at: Date) async throws
        -> AuditRecord
    {
        for (field, value) in [("actor", actor), ("action", action), ("subject", subject)] where value.isEmpty || value.count > 200 {
            throw PatronError(.invalidInput, "an audit record's \(field) must have 1 to 200 characters")
        }
        for (field, value) in [("before", before), ("after", after)] {
            guard let value else { continue }
            guard (try? JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)) != nil else {
                throw PatronError(.invalidInput, "an audit record's \(field) must be JSON text")
            }
        }
        return try await writer.submit { db -> AuditRecord in
            try self.sql(db, "INSERT INTO audit_log (at, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)").run(
                at.ms, actor, action, subject, before, after)
            return AuditRecord(
                id: db.lastInsertedRowID, at: at, actor: actor, action: action, subject: subject, before: before, after: after)
        }
    }

    public func auditLog(after id: Int64, limit: Int, subject: String?) async throws -> [AuditRecord] {
        guard (1...10_000).contains(limit) else { throw PatronError(.invalidInput, "an audit page holds 1 to 10000 records, not \(limit)") }
        return try await pool.read { db in try self.auditRecords(db, after: id, limit: limit, subject: subject) }
    }

    func auditRecords(_ db: Database, after id: Int64, limit: Int, subject: String?) throws -> [AuditRecord] {
        let rows =
            if let subject {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM audit_log WHERE subject = ? AND id > ? ORDER BY id LIMIT ?", arguments: [subject, id, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit])
            }
        return rows.map { row in
            AuditRecord(
                id: row["id"], at: Date(ms: row["at"]), actor: row["actor"], action: row["action"], subject: row["subject"],
                before: row["before"],
                after: row["after"])
        }
    }
}
