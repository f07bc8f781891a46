import Foundation
import PatronCore

extension SQLStore {
    public func redeem(_ request: RedeemRequest) async throws -> Redemption {
        var f = Fingerprint()
        f.mix(request.memberId); f.mix(request.rewardId); f.mix(request.partner ?? "")
        let fingerprint = f.value
        let id = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: "redeem:\(request.key)", fingerprint: fingerprint, at: request.at) { () -> Int64 in
                let version = try self.requireProgram(db)
                let program = version.program
                guard let reward = program.rewards.first(where: { $0.id == request.rewardId }) else {
                    throw PatronError(.notFound, "no reward '\(request.rewardId)' in \(program.name)")
                }
                try self.lockChangeable(db, request.memberId)
                guard let member = try self.fetchMember(db, id: request.memberId) else { throw PatronError(.notFound, "no member \(request.memberId)") }
                if let partner = request.partner, !program.partners.contains(where: { $0.id == partner }) {
                    throw PatronError(.invalidInput, "'\(partner)' is not a partner of \(program.name)")
                }
                let day = program.calendar.localDate(of: request.at)
                try reward.checkEligibility(level: member.level.effectiveLevel(at: request.at), tags: Set(member.profile.tags), on: day)
                let rule = "reward:\(reward.id)"
                if reward.limit.isLimited, !reward.limit.allows(try self.usage(db, member: request.memberId, rule: rule, day: day)) {
                    throw PatronError(.limitReached, "member \(request.memberId) has reached the limit of reward \(reward.id)")
                }
                if reward.stock != nil {
                    // Members of other processes redeem the same stock: one counts at a time.
                    try self.lock(db, "stock:\(reward.id)")
                    guard reward.remainingStock(taken: try self.stockTaken(db, reward: reward.id))! > 0 else {
                        throw PatronError(.outOfStock, "reward \(reward.id) is out of stock")
                    }
                }
                var account = try self.loadAccount(db, member: request.memberId, lots: true)
                let drafts = try account.take(.redeem, points: reward.cost, allowNegative: false, at: request.at, reason: "redeemed \(reward.id)")
                let entry = try self.post(db, drafts, account: account, version: version.version, at: request.at).last!
                var code: String?
                var validUntil: Date?
                if case .coupon(let terms) = reward.kind {
                    if terms.pooled {
                        // Another process may be taking a code at the same moment: on PostgreSQL it skips the one held.
                        code = try self.sql(
                            db, "SELECT code FROM coupon_pool WHERE reward_id = ? AND redemption_id IS NULL ORDER BY code LIMIT 1",
                            postgresLock: "FOR UPDATE SKIP LOCKED"
                        ).one(reward.id) { $0.text(0) }
                        guard code != nil else { throw PatronError(.outOfStock, "reward \(reward.id) has no codes left in its pool") }
                    } else {
                        code = CouponCode.generate()
                    }
                    validUntil = terms.validUntil(issuedAt: request.at, in: program.calendar)
                }
                let redemption = try self.sql(
                    db,
                    """
                    INSERT INTO redemptions (member_id, reward_id, points, status, entry_id, coupon_code, valid_until, created_at, partner)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).insert(
                    request.memberId, reward.id, reward.cost, RedemptionStatus.issued.rawValue, entry, code, validUntil?.ms, request.at.ms, request.partner)
                if let code { try self.sql(db, "UPDATE coupon_pool SET redemption_id = ? WHERE code = ?").run(redemption, code) }
                try db.writeRuleUse(member: request.memberId, rule: rule, day: day.dayNumber)
                try self.announce(db, .rewardRedeemed, member: request.memberId, at: request.at) {
                    OutboxPayload.RewardRedeemed(
                        memberId: request.memberId, redemptionId: redemption, rewardId: reward.id, points: reward.cost, couponCode: code,
                        partner: request.partner)
                }
                if case .lottery(let prizes) = reward.kind {
                    try self.draw(db, redemption: redemption, member: request.memberId, prizes: prizes, at: request.at, version: version)
                }
                return redemption
            }
        }
        return try await redemption(id: id)
    }

    public func reverseRedemption(_ request: ReverseRedemptionRequest) async throws -> Redemption {
        try FreeText.check(request.reason, field: "reason", maximumLength: 1_000)
        var f = Fingerprint()
        f.mix(request.redemptionId); f.mix(request.reason)
        let fingerprint = f.value
        _ = try await writer.submit { db -> Int64 in
            try self.idempotent(db, key: "reverse-redemption:\(request.key)", fingerprint: fingerprint, at: request.at) { () -> Int64 in
                let version = try self.requireProgram(db)
                let row = try self.sql(db, "SELECT member_id, status, coalesce(entry_id, 0), reward_id FROM redemptions WHERE id = ?").one(
                    request.redemptionId
                ) { ($0.int(0), try Self.status($0.text(1)), $0.int(2), $0.text(3)) }
                guard let (member, status, entry, rewardId) = row else { throw PatronError(.notFound, "no redemption \(request.redemptionId)") }
                try self.lockChangeable(db, member)
                // A reward dropped from the catalogue since: its redemptions reverse as any gift or coupon would.
                let kind = version.program.rewards.first(where: { $0.id == rewardId })?.kind ?? .gift
                let reversed = try status.next(after: .reverse, kind: kind, redemption: request.redemptionId)
                let taken = try self.sql(
                    db,
                    """
                    SELECT l.id, l.points, l.remaining, le.occurred_at, l.expires_at, le.order_id, -a.points
                    FROM allocations a JOIN lots l ON l.id = a.lot_id AND l.member_id = a.member_id
                    JOIN entries le ON le.id = l.id AND le.member_id = l.member_id
                    WHERE a.entry_id = ? AND a.member_id = ?
                    """
                ).all(entry, member) {
                    (lot: Lot(id: $0.int(0), memberId: member, points: $0.int(1), remaining: $0.int(2), createdAt: Date(ms: $0.int(3)),
                              expiresAt: $0.optionalInt(4).map(Date.init(ms:)), orderId: $0.optionalText(5)), points: $0.int(6))
                }
                if !taken.isEmpty {  // a granted coupon took no points
                    var account = try self.loadAccount(db, member: member, lots: false)
                    let drafts = account.restore(taken, kind: .redeem, at: request.at, reason: "redemption \(request.redemptionId) reversed: \(request.reason)")
                    try self.post(db, drafts, account: account, version: version.version, at: request.at)
                }
                try self.sql(db, "UPDATE redemptions SET status = ? WHERE id = ?").run(reversed.rawValue, request.redemptionId)
                return request.redemptionId
            }
        }
        return try await redemption(id: request.redemptionId)
    }

    public func fulfil(redemption id: Int64, status: String, at: Date) async throws -> Redemption {
        let event = try RedemptionStatus.Event(fulfilment: status)
        _ = try await writer.submit { db -> Int64 in
            let version = try self.requireProgram(db)
            guard
                let row = try self.sql(db, "SELECT reward_id, status, member_id, points FROM redemptions WHERE id = ?").one(
                    id, read: { ($0.text(0), try Self.status($0.text(1)), $0.int(2), $0.int(3)) })
            else {
                throw PatronError(.notFound, "no redemption \(id)")
            }
            guard let reward = version.program.rewards.first(where: { $0.id == row.0 }) else {
                throw PatronError(.invalidTransition, "redemption \(id) is of reward \(row.0), no longer in the catalogue")
            }
            let next = try row.1.next(after: event, kind: reward.kind, redemption: id)
            try self.sql(db, "UPDATE redemptions SET status = ? WHERE id = ?").run(next.rawValue, id)
            try self.queueFulfilmentJourneys(db, redemption: id, member: row.2, reward: row.0, points: row.3, status: next, at: at)
            return id
        }
        return try await redemption(id: id)
    }

    public func usableCoupon(code: String, member: Int64, goods: Int64, at: Date) async throws -> (Redemption, CouponTerms) {
        try await backend.lookup { db in
            let id = try self.sql(db, "SELECT id FROM redemptions WHERE coupon_code = ?").one(code) { $0.int(0) }
            return try self.checkCoupon(db, id: id, code: code, member: member, goods: goods, at: at, program: try self.currentProgram(db))
        }
    }

    /// Whether coupon `code` (redemption `id`) can be used by `member` on goods worth `goods` at `at`.
    func checkCoupon(_ db: SQLSession, id: Int64?, code: String, member: Int64, goods: Int64, at: Date, program: ProgramVersion?) throws -> (Redemption, CouponTerms) {
        guard let id else { throw PatronError(.notFound, "no coupon \(code)") }
        let coupon = try redemptionRow(db, id: id)
        guard let reward = program?.program.rewards.first(where: { $0.id == coupon.rewardId }), case .coupon(let terms) = reward.kind else {
            throw PatronError(.notEligible, "coupon \(code) is not a coupon of the current program")
        }
        try coupon.checkUsableAsCoupon(by: member, goods: goods, terms: terms, at: at)
        return (coupon, terms)
    }

    func redemptionRow(_ db: SQLSession, id: Int64) throws -> Redemption {
        let redemption = try sql(
            db,
            """
            SELECT id, member_id, reward_id, points, status, coupon_code, valid_until, created_at, draw_value, prize
            FROM redemptions WHERE id = ?
            """
        ).one(id) { row in
            Redemption(
                id: row.int(0), memberId: row.int(1), rewardId: row.text(2), points: row.int(3), status: try Self.status(row.text(4)), couponCode: row.optionalText(5),
                validUntil: row.optionalInt(6).map(Date.init(ms:)), at: Date(ms: row.int(7)), drawValue: row.optionalInt(8), prize: row.optionalText(9))
        }
        guard let redemption else { throw PatronError(.notFound, "no redemption \(id)") }
        return redemption
    }

    public func redemption(id: Int64) async throws -> Redemption {
        try await backend.lookup { db in try self.redemptionRow(db, id: id) }
    }

    /// Draws a lottery for a redemption: records the random value and the prize, and gives the prize.
    private func draw(_ db: SQLSession, redemption: Int64, member: Int64, prizes: [Prize], at instant: Date, version: ProgramVersion) throws {
        var generator = SystemRandomNumberGenerator()
        let value = LotteryDraw.value(using: &generator)
        let outcome = LotteryDraw.outcome(for: value, in: prizes, catalogue: version.program.rewards)
        switch outcome {
        case .points(let points):
            try creditActive(db, member: member, points: points, reason: "lottery prize, draw \(redemption)", at: instant, version: version)
        case .coupon(let reward, let terms):
            try grantCoupon(db, member: member, reward: reward, terms: terms, at: instant, calendar: version.program.calendar)
        case .nothing: break
        }
        try sql(db, "UPDATE redemptions SET draw_value = ?, prize = ? WHERE id = ?").run(Int64(value), outcome.label, redemption)
    }

    public func importCouponCodes(reward id: String, codes: [String]) async throws -> Int {
        try await writer.submit { db -> Int in
            let version = try self.requireProgram(db)
            guard let reward = version.program.rewards.first(where: { $0.id == id }), case .coupon(let terms) = reward.kind, terms.pooled else {
                throw PatronError(.invalidInput, "'\(id)' is not a coupon reward with codes: pool")
            }
            var added = 0
            for (index, code) in codes.enumerated() {
                try CouponCode.validate(code, line: index + 1)
                let exists = try self.sql(db, "SELECT 1 FROM coupon_pool WHERE code = ?").one(code) { $0.int(0) } != nil
                    || (try self.sql(db, "SELECT 1 FROM redemptions WHERE coupon_code = ?").one(code) { $0.int(0) } != nil)
                if exists { continue }
                try self.sql(db, "INSERT INTO coupon_pool (code, reward_id) VALUES (?, ?)").run(code, id)
                added += 1
            }
            return added
        }
    }

    public func coupons(member id: Int64) async throws -> [Redemption] {
        try await backend.read { db in
            try self.sql(db, "SELECT id FROM redemptions WHERE member_id = ? AND coupon_code IS NOT NULL ORDER BY id").all(id) { $0.int(0) }
                .map { try self.redemptionRow(db, id: $0) }
        }
    }

    /// Issues a coupon without taking points (a prize, a level's monthly coupon).
    func grantCoupon(_ db: SQLSession, member: Int64, reward: String, terms: CouponTerms, at instant: Date, calendar: ShopCalendar) throws {
        try sql(
            db,
            """
            INSERT INTO redemptions (member_id, reward_id, points, status, entry_id, coupon_code, valid_until, created_at)
            VALUES (?, ?, 0, ?, NULL, ?, ?, ?)
            """
        ).run(member, reward, RedemptionStatus.issued.rawValue, CouponCode.generate(), terms.validUntil(issuedAt: instant, in: calendar).ms, instant.ms)
    }

    /// How many redemptions of `reward` hold a unit of its stock (every one not reversed, granted coupons included).
    func stockTaken(_ db: SQLSession, reward: String) throws -> Int {
        Int(try sql(db, "SELECT count(*) FROM redemptions WHERE reward_id = ? AND status != ?").one(reward, RedemptionStatus.reversed.rawValue) { $0.int(0) } ?? 0)
    }

    /// Redemptions holding stock, per reward id (rewards with none are absent).
    public func stockTaken() async throws -> [String: Int] {
        try await backend.read { db in
            Dictionary(
                uniqueKeysWithValues: try self.sql(db, "SELECT reward_id, count(*) FROM redemptions WHERE status != ? GROUP BY reward_id").all(
                    RedemptionStatus.reversed.rawValue
                ) { ($0.text(0), Int($0.int(1))) })
        }
    }

    /// A stored status; an unknown one means the database was written by something else.
    static func status(_ text: String) throws -> RedemptionStatus {
        guard let status = RedemptionStatus(rawValue: text) else { throw PatronError(.storage, "redemptions.status holds '\(text)', not a redemption status") }
        return status
    }
}
