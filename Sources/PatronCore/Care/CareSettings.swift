import Foundation

/// The program's `care` section: service hours, response-time targets, when to escalate, the agents' compensation
/// caps and which events open tickets by themselves.
public struct CareSettings: Sendable, Hashable {
    /// Service hours and holidays in the program's time zone.
    public var hours: BusinessHours
    /// Targets per category × priority.
    public var targets: ResponseTargets
    /// Service minutes before a due time at which the escalation event is raised.
    public var escalateBeforeMinutes: Int
    /// What a service agent may grant on their own.
    public var agentCaps: CompensationCaps
    /// A return of at least this value (minor units) opens a ticket by itself; `nil`: returns open none.
    public var largeReturnMinor: Int64?
    /// Whether a redemption refused for stock, limits or eligibility opens a ticket by itself.
    public var ticketOnRefusedRedemption: Bool
    /// NPS surveys after completed orders (`care.surveys`); `nil`: no one is invited.
    public var surveys: SurveyPolicy?

    /// Makes settings.
    public init(
        hours: BusinessHours, targets: ResponseTargets = ResponseTargets(), escalateBeforeMinutes: Int = 60,
        agentCaps: CompensationCaps = CompensationCaps(), largeReturnMinor: Int64? = nil, ticketOnRefusedRedemption: Bool = false,
        surveys: SurveyPolicy? = nil
    ) {
        self.surveys = surveys
        self.hours = hours
        self.targets = targets
        self.escalateBeforeMinutes = escalateBeforeMinutes
        self.agentCaps = agentCaps
        self.largeReturnMinor = largeReturnMinor
        self.ticketOnRefusedRedemption = ticketOnRefusedRedemption
    }

    /// The settings of a program without a `care` section: Monday–Friday 09:00–18:00, the standard targets,
    /// escalation an hour before, the standard caps, no automatic tickets.
    public static func standard(timeZone: TimeZone) -> CareSettings {
        CareSettings(hours: .standard(timeZone: timeZone))
    }

    /// The due times of a ticket opened (or reopened) at `instant`.
    public func dueTimes(_ category: TicketCategory, _ priority: TicketPriority, openedAt instant: Date) -> TicketDueTimes {
        let target = targets.target(category, priority)
        let lead = escalateBeforeMinutes
        return TicketDueTimes(
            firstResponse: hours.adding(minutes: target.firstResponseMinutes, to: instant),
            resolution: hours.adding(minutes: target.resolutionMinutes, to: instant),
            firstResponseWarning: hours.adding(minutes: max(0, target.firstResponseMinutes - lead), to: instant),
            resolutionWarning: hours.adding(minutes: max(0, target.resolutionMinutes - lead), to: instant))
    }
}

/// A ticket's due times, and when to warn before each.
public struct TicketDueTimes: Sendable, Hashable, Codable {
    /// When the first answer is due.
    public var firstResponse: Date
    /// When resolution is due.
    public var resolution: Date
    /// When the escalation event for the first answer is raised.
    public var firstResponseWarning: Date
    /// When the escalation event for resolution is raised.
    public var resolutionWarning: Date

    /// Makes due times.
    public init(firstResponse: Date, resolution: Date, firstResponseWarning: Date, resolutionWarning: Date) {
        self.firstResponse = firstResponse
        self.resolution = resolution
        self.firstResponseWarning = firstResponseWarning
        self.resolutionWarning = resolutionWarning
    }
}

/// What one service agent may grant without a supervisor: per ticket, and per agent and local day.
public struct CompensationCaps: Sendable, Hashable, Codable {
    /// Goodwill points per ticket.
    public var pointsPerTicket: Int64
    /// Goodwill points per agent and day.
    public var pointsPerDay: Int64
    /// Coupons per ticket.
    public var couponsPerTicket: Int
    /// Coupons per agent and day.
    public var couponsPerDay: Int

    /// Makes caps; the defaults are 500 points and 1 coupon a ticket, 2,000 points and 5 coupons a day.
    public init(pointsPerTicket: Int64 = 500, pointsPerDay: Int64 = 2_000, couponsPerTicket: Int = 1, couponsPerDay: Int = 5) {
        self.pointsPerTicket = pointsPerTicket
        self.pointsPerDay = pointsPerDay
        self.couponsPerTicket = couponsPerTicket
        self.couponsPerDay = couponsPerDay
    }
}
