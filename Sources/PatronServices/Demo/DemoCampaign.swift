import Foundation
import PatronCore
import PatronStore

/// The demo's win-back campaign, run after the simulated year: members are scored (BG/NBD), the `win-back` segment is
/// loaded (examples/campaigns/win-back-segment.yaml), the campaign (examples/campaigns/win-back.yaml, its window moved
/// to start the day after the year) is created and started, and the segment's members buy during the window and its
/// attribution days with a stated chance — raised for treated members by a stated lift, the effect the report should
/// find. The orders go through the store, so bonuses, budget and holdout are the real ones.
public struct DemoCampaign: Sendable {
    /// The chance that a member of the segment buys in the 44 days without an offer.
    public var baseChance = 0.12
    /// How much the offer raises that chance for treated members (the planted effect), in absolute terms.
    public var lift = 0.08
    /// The random seed.
    public var seed: UInt64

    /// A demo campaign with the stated chances.
    public init(seed: UInt64) { self.seed = seed }

    /// The segment file: the first version of examples/campaigns/win-back-segment.yaml (120 days of silence where the
    /// example now has `overdue`), kept so that the demo's report stays the one docs/marketing.md shows.
    public static let segmentFile = """
        segments:
          - name: win-back
            description: Lapsing buyers — BG/NBD says they are probably gone (P(alive) below 0.5), or repeat buyers silent for 120 days
            where:
              any:
                - pAlive: { max: 0.5, maxAge: 2d }
                - all:
                    - orders: { min: 2 }
                    - daysSinceLastOrder: { min: 120 }
        """

    /// The campaign file (examples/campaigns/win-back.yaml) with its window starting on `starts`.
    public static func campaignFile(starts: LocalDate) -> String {
        """
        name: win-back
        description: Come back for tea — 200 points now and 2x points on orders from 50 yuan for a month
        segment: win-back
        window: { starts: \(starts), ends: \(starts.adding(days: 29)) }
        attributionDays: 14
        holdout: 20
        budget: { points: 400000 }
        perMember: { points: 1500 }
        actions:
          - grantPoints: 200
          - orderMultiplier: { multiplier: 2, minimumAmount: "50.00" }
          - tag: win-back-2026
        """
    }

    /// Runs the campaign from the clock's day on, moves the clock past its attribution days and returns its report.
    /// `phase` hears what it is doing.
    public func run(store: any Store, clock: ManualClock, phase: (String) -> Void) async throws -> CampaignReport {
        let context = ServiceContext(store: store, clock: clock)
        let program = try await context.currentProgram().program
        let calendar = program.calendar
        phase("scoring members")
        _ = try await MemberScoring(context: context).run()
        phase("loading the win-back segment")
        _ = try await SegmentService(context: context).load(text: Self.segmentFile, actor: "demo")
        let starts = calendar.localDate(of: clock.now())
        let campaigns = CampaignService(context: context)
        phase("starting the win-back campaign")
        _ = try await campaigns.create(text: Self.campaignFile(starts: starts), actor: "demo")
        _ = try await campaigns.transition("win-back", .start, actor: "demo")

        // Who was assigned to which group (nobody has bought yet: the counts are zero).
        let assigned = try await store.campaignResults(named: "win-back", from: clock.now(), until: clock.now())
        var random = DemoRandom(seed: seed &+ 0xC0FF_EE)
        var byDay: [Int: [OrderEvent]] = [:]
        let days = 30 + 14
        for (index, member) in assigned.enumerated() {
            let chance = baseChance + (member.group == .treated ? lift : 0)
            guard random.chance(chance), let identity = try await store.member(id: member.memberId)?.identities.first else { continue }
            let day = random.integer(in: 0...(days - 1))
            let amount = max(1_000, Int64(random.gamma(shape: 2, rate: 2.0 / 15_000).rounded()))
            let placedAt = calendar.startOfDay(starts.adding(days: day)).addingTimeInterval(TimeInterval(10 * 3_600 + index % 3_600))
            let order = Order(
                id: "WB\(String(format: "%06d", index))", member: identity,
                lines: [OrderLine(id: "1", sku: "TEA-250", category: "tea", quantity: 1, unitPrice: amount)], channel: "web")
            byDay[day, default: []].append(.placed(order, at: placedAt))
        }
        phase("playing the campaign's 44 days")
        for day in 0..<days {
            clock.set(calendar.startOfDay(starts.adding(days: day)).addingTimeInterval(23 * 3_600))
            guard let events = byDay[day] else { continue }
            for result in await store.apply(events, options: ApplyOptions()) {
                if case .failure(let error) = result { throw error }
            }
        }
        clock.set(calendar.startOfDay(starts.adding(days: days)))
        _ = try await campaigns.transition("win-back", .finish, actor: "demo")
        return try await campaigns.report("win-back")
    }
}
