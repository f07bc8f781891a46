/// What a customer-care ticket is about: the causes of dissatisfaction that decide how a lost customer can be won back.
public enum TicketCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The product itself: broken, not as described, poor quality.
    case productQuality
    /// Delivery: late, lost, damaged in transit.
    case delivery
    /// Price: charged wrongly, found cheaper, a promised discount missing.
    case price
    /// How staff treated the customer.
    case serviceAttitude
    /// Points, levels, coupons and rewards.
    case pointsAndBenefits
    /// Anything else.
    case other

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a category name, or throws `invalidInput` naming `field` and the categories.
    public static func parse(_ text: String, field: String = "category") throws -> TicketCategory {
        guard let category = TicketCategory(rawValue: text) else {
            throw PatronError(.invalidInput, "\(field): '\(text)' is not a category; use \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return category
    }
}

/// How urgent a ticket is; each priority has its own response-time targets.
public enum TicketPriority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Can wait.
    case low
    /// The usual.
    case normal
    /// Soon.
    case high
    /// At once.
    case urgent

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a priority name, or throws `invalidInput` naming `field` and the priorities.
    public static func parse(_ text: String, field: String = "priority") throws -> TicketPriority {
        guard let priority = TicketPriority(rawValue: text) else {
            throw PatronError(.invalidInput, "\(field): '\(text)' is not a priority; use \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return priority
    }
}

/// Who opened a ticket.
public enum TicketSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The member, through the API (the shop's site) or the member zone.
    case member
    /// A service agent, on the member's behalf (a phone call, a chat).
    case agent
    /// Patron itself, from something the write path saw: a refused redemption, a large return.
    case automatic
}
