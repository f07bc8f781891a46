import Foundation
import PatronCore

extension SQLStore {
    public func createAPIKey(name: String, scopes: Set<APIScope>, hash: String, prefix: String, at: Date) async throws -> APIKey {
        try FreeText.check(name, field: "key name")
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw PatronError(.invalidInput, "a key needs a name of 1 to 100 characters") }
        guard !scopes.isEmpty else {
            throw PatronError(.invalidInput, "a key needs at least one scope: \(APIScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try Self.checkSecretHash(hash, prefix: prefix)
        return try await writer.submit { db -> APIKey in
            try self.refuseKnownHash(db, hash)
            let id = try self.sql(db, "INSERT INTO api_keys (name, scopes, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)").insert(
                name, Self.storedScopes(scopes), hash, prefix, at.ms)
            return try self.fetchAPIKey(db, id: id)!
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await backend.read { db in
            try self.sql(db, "SELECT id, name, scopes, prefix, created_at, rotated_at, revoked_at FROM api_keys ORDER BY id").all(read: Self.apiKey)
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await backend.lookup { db in
            try self.sql(db, "SELECT id, name, scopes, prefix, created_at, rotated_at, revoked_at FROM api_keys WHERE hash = ? AND revoked_at IS NULL")
                .one(hash, read: Self.apiKey)
        }
    }

    public func rotateAPIKey(id: Int64, hash: String, prefix: String, at: Date) async throws -> APIKey {
        try Self.checkSecretHash(hash, prefix: prefix)
        return try await writer.submit { db -> APIKey in
            guard let key = try self.fetchAPIKey(db, id: id) else { throw PatronError(.notFound, "no API key \(id)") }
            if key.revokedAt != nil { throw PatronError(.invalidInput, "API key \(id) is revoked; create a new one") }
            try self.refuseKnownHash(db, hash)
            try self.sql(db, "UPDATE api_keys SET hash = ?, prefix = ?, rotated_at = ? WHERE id = ?").run(hash, prefix, at.ms, id)
            return try self.fetchAPIKey(db, id: id)!
        }
    }

    public func revokeAPIKey(id: Int64, at: Date) async throws -> APIKey {
        try await writer.submit { db -> APIKey in
            guard try self.fetchAPIKey(db, id: id) != nil else { throw PatronError(.notFound, "no API key \(id)") }
            try self.sql(db, "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?").run(at.ms, id)
            return try self.fetchAPIKey(db, id: id)!
        }
    }

    /// One secret opens one key: a hash already stored (a secret reused, or the same one rotated in) is refused.
    private func refuseKnownHash(_ db: SQLSession, _ hash: String) throws {
        if try sql(db, "SELECT 1 FROM api_keys WHERE hash = ?").one(hash, read: { $0.int(0) }) != nil {
            throw PatronError(.invalidInput, "this secret's hash is already in use; generate a new secret")
        }
    }

    private func fetchAPIKey(_ db: SQLSession, id: Int64) throws -> APIKey? {
        try sql(db, "SELECT id, name, scopes, prefix, created_at, rotated_at, revoked_at FROM api_keys WHERE id = ?").one(id, read: Self.apiKey)
    }

    /// A key from a row of `SELECT id, name, scopes, prefix, created_at, rotated_at, revoked_at FROM api_keys`. The
    /// hash column is never read back: nothing outside the lookup needs it.
    private static func apiKey(_ row: Columns) -> APIKey {
        let scopes = row.text(2).split(separator: ",").compactMap { APIScope(rawValue: String($0)) }
        return APIKey(
            id: row.int(0), name: row.text(1), scopes: scopes, prefix: row.text(3), createdAt: Date(ms: row.int(4)),
            rotatedAt: row.optionalInt(5).map(Date.init(ms:)), revokedAt: row.optionalInt(6).map(Date.init(ms:)))
    }

    private static func storedScopes(_ scopes: Set<APIScope>) -> String { scopes.sorted().map(\.rawValue).joined(separator: ",") }

    /// Refuses anything but a SHA-256 hex digest, so a secret passed by mistake is never stored.
    private static func checkSecretHash(_ hash: String, prefix: String) throws {
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw PatronError(.invalidInput, "a key's hash must be a SHA-256 digest as 64 lower-case hex digits")
        }
        guard !prefix.isEmpty, prefix.count <= 16 else { throw PatronError(.invalidInput, "a key's prefix must have 1 to 16 characters") }
    }
}
