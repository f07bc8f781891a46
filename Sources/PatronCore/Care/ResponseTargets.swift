/// How soon a ticket must be answered and solved, in minutes of service time (business hours).
public struct ResponseTarget: Sendable, Hashable, Codable {
    /// Service minutes from opening to the first answer to the member.
    public var firstResponseMinutes: Int
    /// Service minutes from opening (or reopening) to resolution.
    public var resolutionMinutes: Int

    /// Makes a target.
    public init(firstResponseMinutes: Int, resolutionMinutes: Int) {
        self.firstResponseMinutes = firstResponseMinutes
        self.resolutionMinutes = resolutionMinutes
    }
}

/// Response-time targets per category × priority: one per priority, which a category may override.
public struct ResponseTargets: Sendable, Hashable {
    /// The target of each priority for every category without its own.
    public var byPriority: [TicketPriority: ResponseTarget]
    /// A category's own targets, by priority.
    public var byCategory: [TicketCategory: [TicketPriority: ResponseTarget]]

    /// Makes targets; priorities missing from `byPriority` take the standard ones.
    public init(byPriority: [TicketPriority: ResponseTarget] = [:], byCategory: [TicketCategory: [TicketPriority: ResponseTarget]] = [:]) {
        self.byPriority = Self.standard.merging(byPriority) { _, new in new }
        self.byCategory = byCategory
    }

    /// The target for a ticket of `category` and `priority`.
    public func target(_ category: TicketCategory, _ priority: TicketPriority) -> ResponseTarget {
        byCategory[category]?[priority] ?? byPriority[priority] ?? Self.standard[priority]!
    }

    /// The standard targets: urgent 1 h / 4 h, high 4 h / 16 h, normal 8 h / 27 h (three 9-hour days), low 16 h / 45 h.
    public static let standard: [TicketPriority: ResponseTarget] = [
        .urgent: ResponseTarget(firstResponseMinutes: 60, resolutionMinutes: 240),
        .high: ResponseTarget(firstResponseMinutes: 240, resolutionMinutes: 960),
        .normal: ResponseTarget(firstResponseMinutes: 480, resolutionMinutes: 1_620),
        .low: ResponseTarget(firstResponseMinutes: 960, resolutionMinutes: 2_700),
    ]
}
