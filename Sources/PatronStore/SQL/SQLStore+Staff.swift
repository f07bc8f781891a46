import Foundation
import PatronCore

/// Staff accounts, their console sessions and failed sign-ins (for throttling). Sessions live in the database so that
/// several servers on one PostgreSQL share them; a session token is stored only as its SHA-256 hash.
extension SQLStore {
    public func createStaffAccount(username: String, displayName: String, role: String, passwordHash: String, at: Date) async throws
        -> StaffAccountRecord
    {
        try Self.checkUsername(username)
        try FreeText.check(displayName, field: "display name", maximumLength: 100, required: true)
        try FreeText.check(role, field: "role", maximumLength: 20, required: true)
        guard passwordHash.hasPrefix("$2"), passwordHash.utf8.count >= 59, passwordHash.utf8.count <= 64 else {
            throw PatronError(.invalidInput, "a staff password must be stored as a bcrypt hash")
        }
        return try await writer.submit { db -> StaffAccountRecord in
            if try self.sql(db, "SELECT 1 FROM staff_accounts WHERE username = ?").one(username, read: { $0.int(0) }) != nil {
                throw PatronError(.invalidInput, "username: '\(username)' is already taken")
            }
            let id = try self.sql(
                db, "INSERT INTO staff_accounts (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)"
            ).insert(username, displayName, role, passwordHash, at.ms)
            return try self.fetchStaffAccount(db, id: id)!
        }
    }

    public func staffAccounts() async throws -> [StaffAccountRecord] {
        try await backend.read { db in
            try self.sql(db, "SELECT id, username, display_name, role, disabled_at, created_at FROM staff_accounts ORDER BY username")
                .all(read: Self.staffAccount)
        }
    }

    public func staffCredentials(username: String) async throws -> StaffCredentials? {
        try await backend.read { db in
            try self.sql(
                db, "SELECT id, username, display_name, role, disabled_at, created_at, password_hash FROM staff_accounts WHERE username = ?"
            ).one(username) { StaffCredentials(account: Self.staffAccount($0), passwordHash: $0.text(6)) }
        }
    }

    public func disableStaffAccount(username: String, at: Date) async throws -> StaffAccountRecord {
        try await writer.submit { db -> StaffAccountRecord in
            guard let id = try self.sql(db, "SELECT id FROM staff_accounts WHERE username = ?").one(username, read: { $0.int(0) }) else {
                throw PatronError(.notFound, "no staff account '\(username)'")
            }
            try self.sql(db, "UPDATE staff_accounts SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?").run(at.ms, id)
            // Signed out everywhere at once, in the same transaction.
            try self.sql(db, "DELETE FROM staff_sessions WHERE account_id = ?").run(id)
            return try self.fetchStaffAccount(db, id: id)!
        }
    }

    public func createStaffSession(_ session: NewStaffSession) async throws {
        try Self.checkTokenHash(session.tokenHash)
        try await writer.submit { db in
            guard let account = try self.fetchStaffAccount(db, id: session.accountId) else {
                throw PatronError(.notFound, "no staff account \(session.accountId)")
            }
            if account.disabledAt != nil { throw PatronError(.invalidInput, "staff account '\(account.username)' is disabled") }
            try self.sql(
                db,
                "INSERT INTO staff_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"
            ).run(session.tokenHash, session.accountId, session.csrfToken, session.createdAt.ms, session.createdAt.ms, session.expiresAt.ms)
            // Sessions that ended long ago go, so the table holds live ones and a few recent.
            try self.sql(db, "DELETE FROM staff_sessions WHERE expires_at < ?").run(session.createdAt.ms - 86_400_000)
        }
    }

    public func staffSession(tokenHash: String, at: Date, idleTimeout: TimeInterval) async throws -> StaffSessionRecord? {
        try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT a.id, a.username, a.display_name, a.role, a.disabled_at, a.created_at,
                       s.csrf_token, s.created_at, s.last_seen_at, s.expires_at
                FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
                WHERE s.token_hash = ? AND a.disabled_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ?
                """
            ).one(tokenHash, at.ms, at.ms - Int64(idleTimeout * 1000)) { row in
                StaffSessionRecord(
                    account: Self.staffAccount(row), csrfToken: row.text(6), createdAt: Date(ms: row.int(7)), lastSeenAt: Date(ms: row.int(8)),
                    expiresAt: Date(ms: row.int(9)))
            }
        }
    }

    public func touchStaffSession(tokenHash: String, at: Date) async throws {
        try await writer.submit { db in
            try self.sql(db, "UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?").run(at.ms, tokenHash, at.ms)
        }
    }

    public func deleteStaffSession(tokenHash: String) async throws {
        try await writer.submit { db in
            try self.sql(db, "DELETE FROM staff_sessions WHERE token_hash = ?").run(tokenHash)
        }
    }

    public func recordSignInFailure(username: String, address: String, at: Date) async throws {
        try await writer.submit { db in
            try self.sql(db, "INSERT INTO sign_in_failures (at, username, address) VALUES (?, ?, ?)").insert(
                at.ms, String(username.prefix(200)), String(address.prefix(100)))
            // Only recent failures count; a day is far longer than any throttling window.
            try self.sql(db, "DELETE FROM sign_in_failures WHERE at < ?").run(at.ms - 86_400_000)
        }
    }

    public func signInFailures(username: String, address: String, since: Date) async throws -> SignInFailures {
        try await backend.read { db in
            let byUsername = try self.sql(db, "SELECT count(*), min(at) FROM sign_in_failures WHERE username = ? AND at >= ?").one(
                String(username.prefix(200)), since.ms
            ) { ($0.int(0), $0.optionalInt(1)) } ?? (0, nil)
            let byAddress = try self.sql(db, "SELECT count(*), min(at) FROM sign_in_failures WHERE address = ? AND at >= ?").one(
                String(address.prefix(100)), since.ms
            ) { ($0.int(0), $0.optionalInt(1)) } ?? (0, nil)
            let oldest = [byUsername.1, byAddress.1].compactMap { $0 }.min().map(Date.init(ms:))
            return SignInFailures(byUsername: Int(byUsername.0), byAddress: Int(byAddress.0), oldest: oldest)
        }
    }

    public func clearSignInFailures(username: String) async throws {
        try await writer.submit { db in
            try self.sql(db, "DELETE FROM sign_in_failures WHERE username = ?").run(username)
        }
    }

    private func fetchStaffAccount(_ db: SQLSession, id: Int64) throws -> StaffAccountRecord? {
        try sql(db, "SELECT id, username, display_name, role, disabled_at, created_at FROM staff_accounts WHERE id = ?").one(id, read: Self.staffAccount)
    }

    /// An account from the first six columns `id, username, display_name, role, disabled_at, created_at`.
    private static func staffAccount(_ row: Columns) -> StaffAccountRecord {
        StaffAccountRecord(
            id: row.int(0), username: row.text(1), displayName: row.text(2), role: row.text(3), disabledAt: row.optionalInt(4).map(Date.init(ms:)),
            createdAt: Date(ms: row.int(5)))
    }

    /// A username is 1 to 64 of `a-z 0-9 . _ -`, starting with a letter or digit: easy to type, nothing to escape.
    static func checkUsername(_ username: String) throws {
        let allowed = username.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 46 || $0 == 95 || $0 == 45 }
        guard !username.isEmpty, username.utf8.count <= 64, allowed, let first = username.utf8.first, first != 46, first != 95, first != 45 else {
            throw PatronError(
                .invalidInput, "username: '\(username)' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
    }

    private static func checkTokenHash(_ hash: String) throws {
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw PatronError(.invalidInput, "a session token must be stored as its SHA-256 digest (64 lower-case hex digits)")
        }
    }
}
