import Foundation
import PatronCore

extension SQLStore {
    public func couponPools() async throws -> [String: CouponPoolCount] {
        try await backend.read { db in
            let rows = try self.sql(
                db, "SELECT reward_id, count(*), count(redemption_id) FROM coupon_pool GROUP BY reward_id ORDER BY reward_id"
            ).all { ($0.text(0), Int($0.int(1)), Int($0.int(2))) }
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.0, CouponPoolCount(uploaded: $0.1, handedOut: $0.2)) })
        }
    }
}
