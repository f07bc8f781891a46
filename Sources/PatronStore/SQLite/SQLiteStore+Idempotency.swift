import Foundation
import GRDB
import PatronCore

extension SQLiteStore {
    /// Runs `body` once per key: a replay with the same payload returns the stored outcome, the same key with a
    /// different payload is `idempotencyConflict`. Without a key, `body` simply runs.
    func idempotent<T: Codable>(_ db: Database, key: String?, fingerprint: UInt64, _ body: () throws -> T) throws -> (value: T, replayed: Bool) {
        guard let key else { return (try body(), false) }
        let stored = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT fingerprint, outcome FROM idempotency WHERE key = ?"), arguments: [key])
        if let stored {
            guard (stored["fingerprint"] as Int64) == Int64(bitPattern: fingerprint) else {
                throw PatronError(.idempotencyConflict, "the key '\(key)' was already used for a different request")
            }
            return (try JSONDecoder().decode(T.self, from: Data((stored["outcome"] as String).utf8)), true)
        }
        let value = try body()
        try db.run(
            "INSERT INTO idempotency (key, fingerprint, outcome, created_at) VALUES (?, ?, ?, ?)",
            [key, Int64(bitPattern: fingerprint), String(decoding: try JSONEncoder().encode(value), as: UTF8.self), clock.now().ms])
        return (value, false)
    }

    /// `idempotent` without the replay flag.
    func idempotent<T: Codable>(_ db: Database, key: String?, fingerprint: UInt64, _ body: () throws -> T) throws -> T {
        let result: (value: T, replayed: Bool) = try idempotent(db, key: key, fingerprint: fingerprint, body)
        return result.value
    }
}
