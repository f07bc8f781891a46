import Foundation
import PatronCore

extension SQLStore {
    public func createCampaign(_ campaign: MarketingCampaign, at instant: Date) async throws -> CampaignRecord {
        let definition = try Self.json(campaign)
        let id = try await writer.submit { db -> Int64 in
            guard try self.sql(db, "SELECT 1 FROM segments WHERE name = ?").one(campaign.segment, read: { $0.int(0) }) != nil else {
                throw PatronError(.notFound, "segment: no segment is named '\(campaign.segment)'")
            }
            var kind: String?, points: Int64 = 0, rate = Rate(1, per: 1), minimum: Int64?
            for action in campaign.actions {
                switch action {
                case .orderBonus(let bonus, let least): (kind, points, minimum) = ("bonus", bonus, least)
                case .orderMultiplier(let multiplier, let least): (kind, rate, minimum) = ("multiplier", multiplier, least)
                default: break
                }
            }
            do {
                return try self.sql(
                    db,
                    """
                    INSERT INTO marketing_campaigns (name, segment, definition, status, created_at, updated_at, starts_day, ends_day, order_kind,
                        order_points, order_rate_numerator, order_rate_denominator, order_minimum, points_budget, money_budget, per_member_points)
                    VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).insert(
                    campaign.name, campaign.segment, definition, instant.ms, instant.ms, Int64(campaign.starts.dayNumber), Int64(campaign.ends.dayNumber),
                    kind, points, rate.numerator, rate.denominator, minimum, campaign.pointsBudget, campaign.moneyBudget, campaign.perMemberPoints)
            } catch where SQLFailure(error) == .duplicateKey {
                throw PatronError(.invalidInput, "name: a campaign named '\(campaign.name)' exists already")
            }
        }
        guard let record = try await campaignRecord(id: id) else { throw PatronError(.storage, "campaign \(id) vanished") }
        return record
    }

    public func campaigns() async throws -> [CampaignRecord] {
        try await backend.read { db in
            try self.sql(db, "SELECT id FROM marketing_campaigns ORDER BY id").all { $0.int(0) }.compactMap { try self.campaignRecord(db, id: $0) }
        }
    }

    public func campaign(named name: String) async throws -> CampaignRecord? {
        try await backend.read { db in
            guard let id = try self.sql(db, "SELECT id FROM marketing_campaigns WHERE name = ?").one(name, read: { $0.int(0) }) else { return nil }
            return try self.campaignRecord(db, id: id)
        }
    }

    func campaignRecord(id: Int64) async throws -> CampaignRecord? {
        try await backend.read { db in try self.campaignRecord(db, id: id) }
    }

    public func transitionCampaign(named name: String, _ transition: CampaignTransition, at instant: Date) async throws -> (
        before: CampaignRecord, after: CampaignRecord
    ) {
        try await writer.submit { db in
            let before = try self.lockedCampaign(db, named: name)
            let status = try transition.apply(to: before.status, campaign: name)
            try self.sql(db, "UPDATE marketing_campaigns SET status = ?, updated_at = ? WHERE id = ?").run(status.rawValue, instant.ms, before.id)
            db.runsOrderCampaigns = nil  // orders later in this batch see the new status
            guard let after = try self.campaignRecord(db, id: before.id) else { throw PatronError(.storage, "campaign \(name) vanished") }
            return (before, after)
        }
    }

    public func assignCampaignMembers(named name: String, members: [Int64], at instant: Date) async throws -> CampaignAssignment {
        try await writer.submit { db in
            let record = try self.lockedCampaign(db, named: name)
            guard record.status == .running else {
                throw PatronError(.invalidTransition, "campaign \(name) is \(record.status.rawValue): only a running campaign assigns members")
            }
            let campaign = record.campaign
            let version = try self.requireProgram(db)
            var pass = CampaignAssignment()
            for member in members {
                if try self.sql(db, "SELECT grp FROM campaign_members WHERE campaign_id = ? AND member_id = ?").one(record.id, member, read: { $0.text(0) }) != nil {
                    pass.alreadyAssigned += 1
                    continue
                }
                // An erased member gets nothing and is measured in no group.
                if try self.erasedAt(db, member: member) != nil { continue }
                let group = campaign.group(of: member)
                try self.sql(db, "INSERT INTO campaign_members (campaign_id, member_id, grp, assigned_at) VALUES (?, ?, ?, ?)").run(
                    record.id, member, group.rawValue, instant.ms)
                guard group == .treated else {
                    pass.control += 1
                    continue
                }
                pass.treated += 1
                try self.lockMembers(db, member)
                try self.announce(db, .campaignAssigned, member: member, at: instant) {
                    OutboxPayload.CampaignAssigned(memberId: member, campaign: record.campaign.name, campaignId: record.id, assignedAt: instant)
                }
                for action in campaign.actions {
                    try self.enter(db, action, record: record, member: member, at: instant, version: version, pass: &pass)
                }
            }
            return pass
        }
    }

    /// Runs one entry action for a newly treated member.
    private func enter(
        _ db: SQLSession, _ action: CampaignAction, record: CampaignRecord, member: Int64, at instant: Date, version: ProgramVersion,
        pass: inout CampaignAssignment
    ) throws {
        switch action {
        case .grantPoints(let points):
            guard try reserveCampaignPoints(db, campaign: record.id, member: member, points: points, cap: record.campaign.perMemberPoints) else {
                pass.grantsRefused += 1
                return
            }
            try creditActive(db, member: member, points: points, reason: record.campaign.ruleName, at: instant, version: version)
            pass.pointsGranted += points
        case .reward(let rewardId):
            guard let reward = version.program.rewards.first(where: { $0.id == rewardId }), case .coupon(let terms) = reward.kind, !terms.pooled else {
                pass.couponsRefused += 1
                return
            }
            if reward.stock != nil {
                try lock(db, "stock:\(reward.id)")
                guard reward.remainingStock(taken: try stockTaken(db, reward: reward.id))! > 0 else {
                    pass.couponsRefused += 1
                    return
                }
            }
            // A fixed-value coupon counts its value against the money budget when issued.
            let value = terms.value ?? 0
            if value > 0 {
                let reserved = try sql(
                    db, "UPDATE marketing_campaigns SET money_spent = money_spent + ? WHERE id = ? AND (money_budget IS NULL OR money_spent + ? <= money_budget)"
                ).run(value, record.id, value)
                guard reserved == 1 else {
                    pass.couponsRefused += 1
                    return
                }
            }
            let redemption = try sql(
                db,
                """
                INSERT INTO redemptions (member_id, reward_id, points, status, entry_id, coupon_code, valid_until, created_at)
                VALUES (?, ?, 0, ?, NULL, ?, ?, ?)
                """
            ).insert(
                member, reward.id, RedemptionStatus.issued.rawValue, CouponCode.generate(),
                terms.validUntil(issuedAt: instant, in: version.program.calendar).ms, instant.ms)
            try sql(db, "UPDATE campaign_members SET redemption_id = ? WHERE campaign_id = ? AND member_id = ?").run(redemption, record.id, member)
            pass.couponsIssued += 1
        case .tag(let tag), .untag(let tag):
            guard let current = try fetchMember(db, id: member) else { return }
            var tags = current.profile.tags
            if case .tag = action {
                guard !tags.contains(tag) else { return }
                tags.append(tag)
            } else {
                guard tags.contains(tag) else { return }
                tags.removeAll { $0 == tag }
            }
            try sql(db, "UPDATE members SET tags = ? WHERE id = ?").run(try Self.json(tags), member)
            pass.tagged += 1
        case .message(let template, let channel):
            // A campaign message is queued in the assignment's transaction; the channel was checked when the campaign was read.
            if let channel = MessageChannel(rawValue: channel),
                try queueCampaignMessage(db, campaign: record.campaign.name, template: template, channel: channel, member: member, at: instant)
            {
                pass.messagesWaiting += 1
            }
        case .orderBonus, .orderMultiplier:
            break
        }
    }

    /// Takes `points` from the campaign's budget and the member's cap, both or neither: conditional updates, so
    /// concurrent orders (each in its own savepoint; on PostgreSQL holding the campaign's row lock until commit) can
    /// never spend more than the budget.
    func reserveCampaignPoints(_ db: SQLSession, campaign: Int64, member: Int64, points: Int64, cap: Int64?) throws -> Bool {
        guard points > 0 else { return true }
        let capped =
            if let cap {
                try sql(db, "UPDATE campaign_members SET points = points + ? WHERE campaign_id = ? AND member_id = ? AND points + ? <= ?").run(
                    points, campaign, member, points, cap)
            } else {
                try sql(db, "UPDATE campaign_members SET points = points + ? WHERE campaign_id = ? AND member_id = ?").run(points, campaign, member)
            }
        guard capped == 1 else { return false }
        let budgeted = try sql(
            db,
            "UPDATE marketing_campaigns SET points_spent = points_spent + ? WHERE id = ? AND (points_budget IS NULL OR points_spent + ? <= points_budget)"
        ).run(points, campaign, points)
        if budgeted == 1 { return true }
        try sql(db, "UPDATE campaign_members SET points = points - ? WHERE campaign_id = ? AND member_id = ?").run(points, campaign, member)
        return false
    }

    /// The earning program for an order of a member in running campaigns: the program's rules plus each campaign's
    /// order rule (named `campaign:NAME`) whose window holds the order's day and whose budget and cap take its points.
    /// Without a running campaign with an order action (read once per transaction), or without treated running
    /// campaigns for the member (one indexed query), the program itself. When campaign rules apply, the order is earned
    /// once, under the program with every open campaign's rule, to learn each campaign's points; when every one of them
    /// is granted, that earning is the order's and comes back as `earned`, so the order is not earned again.
    func programWithCampaigns(_ db: SQLSession, order: Order, member: Int64, program: Program, context: EarningContext) throws -> (
        program: Program, earned: Earning?
    ) {
        // One query per transaction (a batch of thousands of orders) tells whether any campaign can touch an order.
        if db.runsOrderCampaigns == nil {
            db.runsOrderCampaigns =
                try sql(db, "SELECT 1 FROM marketing_campaigns WHERE status = 'running' AND order_kind IS NOT NULL LIMIT 1").one { $0.int(0) } != nil
        }
        guard db.runsOrderCampaigns == true else { return (program, nil) }
        let offers = try sql(
            db,
            """
            SELECT c.id, c.name, c.order_kind, c.order_points, c.order_rate_numerator, c.order_rate_denominator, c.order_minimum, c.starts_day, c.ends_day,
                c.per_member_points
            FROM campaign_members m JOIN marketing_campaigns c ON c.id = m.campaign_id
            WHERE m.member_id = ? AND m.grp = 'treated' AND c.status = 'running' AND c.order_kind IS NOT NULL
            ORDER BY c.id
            """
        ).all(member) { row -> (id: Int64, rule: EarningRule, starts: Int64, ends: Int64, cap: Int64?) in
            let name = "campaign:\(row.text(1))"
            let minimum = row.optionalInt(6)
            let kind: EarningRule.Kind = row.text(2) == "bonus" ? .bonus(row.int(3)) : .multiplier(Rate(row.int(4), per: row.int(5)))
            return (row.int(0), EarningRule(name: name, kind: kind, conditions: RuleConditions(minimumAmount: minimum)), row.int(7), row.int(8), row.optionalInt(9))
        }
        guard !offers.isEmpty else { return (program, nil) }
        let day = Int64(program.calendar.localDate(of: context.at).dayNumber)
        // The earning engine's own minimum-amount test (a campaign rule has no other condition), made before the trial
        // earning so that an order below every campaign's minimum is earned once, not twice.
        let open = offers.filter { offer in
            offer.starts <= day && day <= offer.ends && offer.rule.conditions.minimumAmount.map { order.goodsAmount >= $0 } ?? true
        }
        guard !open.isEmpty else { return (program, nil) }
        var trial = program
        trial.earning.rules += open.map(\.rule)
        // The order as the rules see it (a part paid with points earns nothing), as `OrderLedger.place` earns it.
        let earning = try EarningCalculator.earning(of: try OrderLedger.earningOrder(order, program: trial), under: trial, context: context)
        var granted = program
        for offer in open {
            let micro = earning.breakdown.first { $0.rule == offer.rule.name }?.micropoints ?? 0
            let points = micro / 1_000_000
            guard points > 0 else { continue }
            if try reserveCampaignPoints(db, campaign: offer.id, member: member, points: points, cap: offer.cap) {
                granted.earning.rules.append(offer.rule)
            }
        }
        // Every open rule granted: `granted` is `trial`, rule for rule, and so is its earning.
        return (granted, granted.earning.rules.count == trial.earning.rules.count ? earning : nil)
    }

    public func unassignedCampaignMembers(named name: String, after: Int64, limit: Int) async throws -> [Int64] {
        guard (1...100_000).contains(limit) else { throw PatronError(.invalidInput, "a page of members holds 1 to 100000, not \(limit)") }
        return try await backend.read { db in
            try self.sql(
                db,
                """
                SELECT sm.member_id
                FROM marketing_campaigns c JOIN segments s ON s.name = c.segment JOIN segment_members sm ON sm.segment_id = s.id
                WHERE c.name = ? AND sm.member_id > ?
                    AND NOT EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.campaign_id = c.id AND cm.member_id = sm.member_id)
                ORDER BY sm.member_id LIMIT ?
                """
            ).all(name, after, limit) { $0.int(0) }
        }
    }

    public func campaignResults(named name: String, from: Date, until: Date) async throws -> [CampaignMemberResult] {
        try await backend.read { db in
            guard let id = try self.sql(db, "SELECT id FROM marketing_campaigns WHERE name = ?").one(name, read: { $0.int(0) }) else {
                throw PatronError(.notFound, "no campaign is named '\(name)'")
            }
            return try self.sql(
                db,
                """
                SELECT m.member_id, m.grp, count(o.id), coalesce(sum(o.kept), 0)
                FROM campaign_members m
                LEFT JOIN orders o ON o.member_id = m.member_id AND o.placed_at >= ? AND o.placed_at < ? AND o.status != 'cancelled'
                WHERE m.campaign_id = ?
                GROUP BY m.member_id, m.grp
                ORDER BY m.member_id
                """
            ).all(from.ms, until.ms, id) { row in
                CampaignMemberResult(
                    memberId: row.int(0), group: CampaignGroup(rawValue: row.text(1)) ?? .control, orders: Int(row.int(2)), revenue: row.int(3))
            }
        }
    }

    public func campaignCouponCost(named name: String) async throws -> Int64 {
        try await backend.read { db in
            let program = try self.requireProgram(db).program
            let used = try self.sql(
                db,
                """
                SELECT r.reward_id, o.amount
                FROM marketing_campaigns c JOIN campaign_members m ON m.campaign_id = c.id
                JOIN redemptions r ON r.id = m.redemption_id JOIN orders o ON o.id = r.order_id
                WHERE c.name = ? AND r.status = ?
                """
            ).all(name, RedemptionStatus.used.rawValue) { ($0.text(0), $0.int(1)) }
            return used.reduce(Int64(0)) { total, use in
                guard let reward = program.rewards.first(where: { $0.id == use.0 }), case .coupon(let terms) = reward.kind else { return total }
                return total + (terms.discount(on: use.1) ?? 0)
            }
        }
    }

    public func campaignGroup(named name: String, member: Int64) async throws -> CampaignGroup? {
        try await backend.read { db in
            try self.sql(
                db, "SELECT m.grp FROM campaign_members m JOIN marketing_campaigns c ON c.id = m.campaign_id WHERE c.name = ? AND m.member_id = ?"
            ).one(name, member) { CampaignGroup(rawValue: $0.text(0)) } ?? nil
        }
    }

    /// The campaign, its row locked on PostgreSQL until the transaction ends.
    private func lockedCampaign(_ db: SQLSession, named name: String) throws -> CampaignRecord {
        guard let id = try sql(db, "SELECT id FROM marketing_campaigns WHERE name = ?", postgresLock: "FOR UPDATE").one(name, read: { $0.int(0) }),
            let record = try campaignRecord(db, id: id)
        else { throw PatronError(.notFound, "no campaign is named '\(name)'") }
        return record
    }

    func campaignRecord(_ db: SQLSession, id: Int64) throws -> CampaignRecord? {
        try sql(
            db,
            """
            SELECT c.definition, c.status, c.created_at, c.updated_at, c.points_spent, c.money_spent,
                (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id AND m.grp = 'treated'),
                (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id AND m.grp = 'control')
            FROM marketing_campaigns c WHERE c.id = ?
            """
        ).one(id) { row in
            guard let status = CampaignStatus(rawValue: row.text(1)) else {
                throw PatronError(.storage, "marketing_campaigns.status holds '\(row.text(1))', not a campaign status")
            }
            return CampaignRecord(
                id: id, campaign: try JSONDecoder().decode(MarketingCampaign.self, from: Data(row.text(0).utf8)), status: status,
                createdAt: Date(ms: row.int(2)), updatedAt: Date(ms: row.int(3)), pointsSpent: row.int(4), moneySpent: row.int(5),
                treated: Int(row.int(6)), control: Int(row.int(7)))
        }
    }
}
