import Foundation
import PatronCore

extension SQLStore {
    public func appendAudit(actor: String, action: String, subject: String, before: String?, after: String?, at: Date) async throws
        -> AuditRecord
    {
        for (field, value) in [("actor", actor), ("action", action), ("subject", subject)] { try FreeText.check(value, field: "audit \(field)") }
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
            let id = try self.sql(db, "INSERT INTO audit_log (at, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)")
                .insert(at.ms, actor, action, subject, before, after)
            return AuditRecord(
                id: id, at: at, actor: actor, action: action, subject: subject, before: before, after: after)
        }
    }

    public func auditLog(after id: Int64, limit: Int, subject: String?) async throws -> [AuditRecord] {
        guard (1...10_000).contains(limit) else { throw PatronError(.invalidInput, "an audit page holds 1 to 10000 records, not \(limit)") }
        return try await backend.read { db in try self.auditRecords(db, after: id, limit: limit, subject: subject) }
    }

    func auditRecords(_ db: SQLSession, after id: Int64, limit: Int, subject: String?) throws -> [AuditRecord] {
        let read = { (row: Columns) in
            AuditRecord(
                id: row.int(0), at: Date(ms: row.int(1)), actor: row.text(2), action: row.text(3), subject: row.text(4),
                before: row.optionalText(5), after: row.optionalText(6))
        }
        return if let subject {
            try sql(db, "SELECT id, at, actor, action, subject, before, after FROM audit_log WHERE subject = ? AND id > ? ORDER BY id LIMIT ?")
                .all(subject, id, limit, read: read)
        } else {
            try sql(db, "SELECT id, at, actor, action, subject, before, after FROM audit_log WHERE id > ? ORDER BY id LIMIT ?").all(id, limit, read: read)
        }
    }
}
