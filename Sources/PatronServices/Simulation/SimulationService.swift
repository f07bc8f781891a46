import Foundation
import PatronCore

/// What an order or an activity would earn under a program, for a member described by hand. Writes nothing; the
/// command line's `patron simulate` and the API's `POST /v1/simulate/order` both call it.
public struct SimulationService: Sendable {
    /// The program whose rules apply.
    public let program: Program

    /// A simulation under `program`.
    public init(program: Program) {
        self.program = program
    }

    /// A simulation under the program in force in `context`'s store.
    public init(context: ServiceContext) async throws {
        self.init(program: try await context.currentProgram().program)
    }

    /// What `cart`, ordered at `instant` by a member described by `member`, would earn, rule by rule. The cart is
    /// checked as an order would be (`invalidInput` naming the field).
    public func order(_ cart: Cart, member: MemberDescription, at instant: Date) throws -> Earning {
        let order = Order(id: "simulated", member: try .customer("simulated"), lines: cart.lines, shipping: cart.shipping, channel: cart.channel)
        try order.validate()
        return try EarningCalculator.earning(of: order, under: program, context: try member.context(under: program, at: instant))
    }

    /// What activity `kind` would credit, with the check-in bonus of a `streak`-day streak.
    public func activity(_ kind: String, streak: Int) throws -> ActivitySimulation {
        guard streak >= 1 else { throw PatronError(.invalidInput, "streak: a streak counts this day, so it is 1 or more, not \(streak)") }
        guard let (points, bonus) = program.activities.points(for: kind, streak: streak) else {
            let known = program.activities.activities.keys.sorted().joined(separator: ", ")
            throw PatronError(.invalidInput, "'\(kind)' is not an activity of \(program.name)\(known.isEmpty ? "" : "; it has \(known)")")
        }
        return ActivitySimulation(activity: kind, points: points, streakBonus: bonus)
    }
}

/// What an activity would credit.
public struct ActivitySimulation: Sendable, Hashable, Codable {
    /// The activity's name.
    public var activity: String
    /// Its points.
    public var points: Int64
    /// The streak bonus on top.
    public var streakBonus: Int64

    /// Makes a simulation's result.
    public init(activity: String, points: Int64, streakBonus: Int64) {
        self.activity = activity
        self.points = points
        self.streakBonus = streakBonus
    }
}
