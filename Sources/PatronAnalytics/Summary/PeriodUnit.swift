/// The time unit of a customer summary and of every model fitted to it.
public enum PeriodUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// One calendar day.
    case day
    /// Seven days.
    case week

    /// The number of days in one period.
    public var days: Double {
        switch self {
        case .day: 1
        case .week: 7
        }
    }

    /// The length of the average month (365.25 / 12 days) in this unit.
    public var periodsPerMonth: Double { 365.25 / 12 / days }
}
