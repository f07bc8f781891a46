import Foundation
import PatronCore

extension SQLStore {
    /// Fills an empty database with `members` synthetic members and about two orders each, straight in SQL, for the
    /// segments benchmark (`patron bench segments`): a million members in seconds instead of the hour the order path
    /// would take. Members get a level (Bronze, Silver, Gold), an e-mail consent on every other one, a city, a channel,
    /// points and 0–4 completed orders over the two years before `at`, all from deterministic arithmetic on the id.
    /// It bypasses the ledger (no entries or lots), so `patron check` would report every balance: never run it on a
    /// shop's database.
    public func seedSyntheticShop(members: Int, at instant: Date) async throws {
        guard (1...10_000_000).contains(members) else { throw PatronError(.invalidInput, "a synthetic shop has 1 to 10,000,000 members") }
        let now = instant.ms
        let day: Int64 = 86_400_000
        _ = try await writer.submit { db -> Bool in
            guard try self.sql(db, "SELECT count(*) FROM members").one(read: { $0.int(0) }) == 0 else {
                throw PatronError(.invalidInput, "the synthetic shop needs an empty database")
            }
            let version = try self.requireProgram(db).version
            try db.prepare(
                dynamic: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(members))
                    INSERT INTO members (id, enrolled_at, program_version, tags, consents, active, pending, lifetime_earned, lifetime_spent,
                        level, level_since, city, channel)
                    SELECT i, \(now) - ((i * 7919) % 730) * \(day), \(version), '[]',
                        CASE WHEN i % 2 = 0 THEN '{"email":true}' ELSE '{"email":false}' END,
                        (i * 104729) % 5000, 0, (i * 104729) % 5000 + (i * 31) % 3000, (i * 31) % 3000,
                        CASE WHEN i % 10 = 0 THEN 'Gold' WHEN i % 3 = 0 THEN 'Silver' ELSE 'Bronze' END,
                        \(now) - ((i * 13) % 400) * \(day),
                        CASE i % 4 WHEN 0 THEN 'Shanghai' WHEN 1 THEN 'Hangzhou' WHEN 2 THEN 'Beijing' ELSE 'Chengdu' END,
                        CASE i % 3 WHEN 0 THEN 'app' WHEN 1 THEN 'web' ELSE 'store' END
                    FROM n
                    """
            ).run()
            for k in 1...4 {
                try db.prepare(
                    dynamic: """
                        INSERT INTO orders (id, member_id, status, placed_at, completed_at, amount, kept, points, base, program_version, lines)
                        SELECT 'S' || id || '-\(k)', id, 'completed', \(now) - ((id * \(k * 7) + \(k * 97)) % 730) * \(day) - \(k) * 3600000,
                            \(now) - ((id * \(k * 7) + \(k * 97)) % 730) * \(day), 2000 + (id * \(k * 53)) % 30000,
                            2000 + (id * \(k * 53)) % 30000, 0, 0, \(version), ''
                        FROM members WHERE id % 5 >= \(k)
                        """
                ).run()
            }
            return true
        }
    }
}
