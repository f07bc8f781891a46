import Foundation
import PatronCore
import PatronStore

/// What a member sees first in the member zone: points (active, pending with the day each becomes active, expiring
/// soon with their last day), the level with the progress to the next and what keeps it, and the level's benefits.
public struct MemberHome: Sendable {
    /// Points that expire on one local day.
    public struct ExpiringPoints: Sendable, Hashable {
        /// The last local day the points can be spent.
        public var lastDay: LocalDate
        /// The instant they expire (the start of the next local day).
        public var expiresAt: Date
        /// How many.
        public var points: Int64
    }

    /// Days ahead in which expiring points are shown.
    public static let expiringWindowDays = 90

    /// The member.
    public var member: Member
    /// The program in force.
    public var program: Program
    /// The orders whose points are pending, soonest to activate first.
    public var pending: [PendingOrderPoints]
    /// Points expiring within `expiringWindowDays`, grouped by their last day, soonest first.
    public var expiringSoon: [ExpiringPoints]
    /// The level and the way to the next; `nil` when the program has no levels.
    public var level: LevelProgress?

    /// The home of member `id` at the context's clock, read in one transaction.
    public static func load(context: ServiceContext, member id: Int64) async throws -> MemberHome {
        let now = context.clock.now()
        let standing = try await context.store.memberStanding(id: id, at: now)
        guard !standing.member.isErased else { throw PatronError(.memberErased, "member \(id) was erased") }
        guard let program = standing.program else {
            throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE`")
        }
        return MemberHome(standing: standing, program: program, now: now)
    }

    /// The home built from a member's standing at `now` (pure: for tests and callers that already read it).
    public init(standing: MemberStanding, program: Program, now: Date) {
        member = standing.member
        self.program = program
        pending = standing.pending
        let calendar = program.calendar
        let horizon = calendar.startOfDay(calendar.localDate(of: now).adding(days: Self.expiringWindowDays + 1))
        var byDay: [LocalDate: ExpiringPoints] = [:]
        for lot in standing.lots where lot.remaining > 0 {
            guard let expiresAt = lot.expiresAt, expiresAt > now, expiresAt <= horizon else { continue }
            // A lot expires at the start of a local day: its points can be spent until the end of the day before.
            let lastDay = calendar.localDate(of: expiresAt - 1)
            byDay[lastDay, default: ExpiringPoints(lastDay: lastDay, expiresAt: expiresAt, points: 0)].points += lot.remaining
        }
        expiringSoon = byDay.values.sorted { $0.lastDay < $1.lastDay }
        level = program.levels.flatMap { policy in
            standing.qualifyingValue.map { LevelProgress(state: standing.member.level, value: $0, policy: policy, at: now) }
        }
    }
}
