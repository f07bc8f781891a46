import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronStore

/// The marketing-campaign use cases the command line, the API and the console share: create from a file, move along
/// the lifecycle (each step audited with its actor), assign the segment's members, and report the uplift.
public struct CampaignService: Sendable {
    let context: ServiceContext
    let trail: AuditTrail

    /// Campaigns over the context's store and clock.
    public init(context: ServiceContext) {
        self.context = context
        trail = AuditTrail(store: context.store)
    }

    /// What a campaign file may name: the program's currency, the stored segments and the catalogue's coupons.
    public func vocabulary() async throws -> CampaignVocabulary {
        let program = try await context.currentProgram().program
        let segments = Set(try await context.store.segments().map(\.name))
        let coupons = Set(program.rewards.compactMap { reward -> String? in
            if case .coupon(let terms) = reward.kind, !terms.pooled { return reward.id }
            return nil
        })
        return CampaignVocabulary(currency: program.currency, segments: segments, couponRewards: coupons)
    }

    /// Validates a campaign file and stores it as a draft (`campaign.create`). Nothing is written when it has a problem.
    public func create(text: String, actor: String) async throws -> CampaignRecord {
        try checkActor(actor)
        let campaign = try CampaignFile.parse(text, vocabulary: try await vocabulary())
        return try await create(campaign, actor: actor)
    }

    /// Stores a validated campaign as a draft (`campaign.create`).
    public func create(_ campaign: MarketingCampaign, actor: String) async throws -> CampaignRecord {
        try checkActor(actor)
        let now = context.clock.now()
        let record = try await context.store.createCampaign(campaign, at: now)
        try await trail.record("campaign.create", subject: subject(campaign.name), actor: actor, before: nil, after: AuditedCampaign(record), at: now)
        return record
    }

    /// Moves a campaign along its lifecycle (`campaign.schedule`, `campaign.start` …, the status before and after).
    /// Starting or resuming assigns the segment's current members at once.
    public func transition(_ name: String, _ transition: CampaignTransition, actor: String) async throws -> CampaignChange {
        try checkActor(actor)
        let now = context.clock.now()
        let (before, after) = try await context.store.transitionCampaign(named: name, transition, at: now)
        try await trail.record(
            "campaign.\(transition.rawValue)", subject: subject(name), actor: actor, before: AuditedCampaign(before), after: AuditedCampaign(after), at: now)
        var assignment: CampaignAssignment?
        if after.status == .running { assignment = try await assign(name, actor: actor) }
        let current = try await context.store.campaign(named: name) ?? after
        return CampaignChange(campaign: current, assignment: assignment)
    }

    /// Assigns the members now in the campaign's segment (new ones only; earlier ones keep their group) and runs the
    /// entry actions for the newly treated (`campaign.assign`, the counts).
    @discardableResult
    public func assign(_ name: String, actor: String) async throws -> CampaignAssignment {
        let store = context.store
        guard let record = try await store.campaign(named: name) else { throw PatronError(.notFound, "no campaign is named '\(name)'") }
        guard let segment = try await store.segment(named: record.campaign.segment) else {
            throw PatronError(.notFound, "campaign \(name): its segment '\(record.campaign.segment)' no longer exists")
        }
        let now = context.clock.now()
        var total = CampaignAssignment()
        var after: Int64 = 0
        while true {
            let page = try await store.segmentMembers(segment: segment.id, limit: 500, after: after)
            guard let last = page.last else { break }
            after = last.memberId
            let pass = try await store.assignCampaignMembers(named: name, members: page.map(\.memberId), at: now)
            total.add(pass)
        }
        if total.treated + total.control > 0 {
            try await trail.record("campaign.assign", subject: subject(name), actor: actor, before: nil, after: total, at: now)
        }
        return total
    }

    /// Every campaign, oldest first.
    public func list() async throws -> [CampaignRecord] { try await context.store.campaigns() }

    /// A campaign by name; `notFound` when there is none.
    public func show(_ name: String) async throws -> CampaignRecord {
        guard let record = try await context.store.campaign(named: name) else { throw PatronError(.notFound, "no campaign is named '\(name)'") }
        return record
    }

    /// The campaign's report: treated against control from the window's first day to the end of its attribution
    /// window (or now, if earlier).
    public func report(_ name: String) async throws -> CampaignReport {
        let record = try await show(name)
        let program = try await context.currentProgram().program
        let calendar = program.calendar
        let from = calendar.startOfDay(record.campaign.starts)
        let end = calendar.startOfDay(record.campaign.attributionEnds.adding(days: 1))
        let now = context.clock.now()
        let until = min(end, max(now, from))
        let results = try await context.store.campaignResults(named: name, from: from, until: until)
        var treated = UpliftGroup(), control = UpliftGroup()
        for result in results {
            let outcome = MemberOutcome(orders: result.orders, revenue: result.revenue)
            if result.group == .treated { treated.add(outcome) } else { control.add(outcome) }
        }
        let couponCost = try await context.store.campaignCouponCost(named: name)
        let (pointValue, source) = Self.pointValue(program)
        let uplift = CampaignUplift.compare(
            treated: treated, control: control, pointsCost: record.pointsSpent, couponCost: couponCost, pointValue: pointValue)
        return CampaignReport(
            campaign: record, currency: program.currency.code, minorPerMajor: program.currency.minorPerMajor, from: from, until: until,
            complete: now >= end, pointValue: pointValue, pointValueSource: source, uplift: uplift, method: CampaignUplift.method,
            messagesWaiting: record.campaign.actions.contains { if case .message = $0 { true } else { false } })
    }

    /// What one point is worth in minor units: the program's points-as-payment rate, else 0.01 of the major unit.
    static func pointValue(_ program: Program) -> (Double, String) {
        if let payment = program.pointsAsPayment, payment.points > 0 {
            return (Double(payment.perMinor) / Double(payment.points), "the program's points-as-payment rate")
        }
        return (Double(program.currency.minorPerMajor) / 100, "the default of 100 points = 1 major unit (the program states no rate)")
    }

    private func subject(_ name: String) -> String { "campaign:\(name)" }

    private func checkActor(_ actor: String) throws {
        try FreeText.check(actor, field: "actor", maximumLength: 200)
        guard !actor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PatronError(.invalidInput, "actor: a campaign change needs an actor (who made it)")
        }
    }
}

/// A campaign after a lifecycle step, with what the assignment it triggered did.
public struct CampaignChange: Sendable, Codable {
    /// The campaign now.
    public var campaign: CampaignRecord
    /// The assignment a start or resume ran.
    public var assignment: CampaignAssignment?
}

/// What the audit log keeps of a campaign: its name, status and spending.
struct AuditedCampaign: Encodable {
    var name: String
    var status: String
    var segment: String
    var pointsSpent: Int64
    var moneySpent: Int64

    init(_ record: CampaignRecord) {
        name = record.campaign.name
        status = record.status.rawValue
        segment = record.campaign.segment
        pointsSpent = record.pointsSpent
        moneySpent = record.moneySpent
    }
}

extension CampaignAssignment {
    /// Adds another pass's counts.
    mutating func add(_ other: CampaignAssignment) {
        treated += other.treated
        control += other.control
        alreadyAssigned += other.alreadyAssigned
        pointsGranted += other.pointsGranted
        grantsRefused += other.grantsRefused
        couponsIssued += other.couponsIssued
        couponsRefused += other.couponsRefused
        tagged += other.tagged
        messagesWaiting += other.messagesWaiting
    }
}
