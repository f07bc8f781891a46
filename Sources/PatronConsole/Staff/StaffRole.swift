/// What a staff account is for. A role is a fixed set of permissions, so a page asks for a permission, never a role.
public enum StaffRole: String, Sendable, CaseIterable, Codable {
    /// Runs the shop's programme: everything, including staff accounts.
    case owner
    /// Segments, campaigns and messages; reads members and analytics.
    case marketer
    /// Answers members: finds them, adjusts points, grants coupons, handles care tickets (within the agents' caps).
    case service
    /// Reads members, the programme and every report.
    case analyst
    /// Looks, changes nothing.
    case readOnly = "read-only"

    /// What this role may do.
    public var permissions: Set<StaffPermission> {
        switch self {
        case .owner: Set(StaffPermission.allCases)
        case .marketer: [.viewMembers, .viewProgram, .viewAnalytics, .marketing, .viewMessages]
        case .service: [.viewMembers, .changeMembers, .viewProgram, .viewCare, .care]
        case .analyst: [.viewMembers, .viewProgram, .viewAnalytics, .exportMembers, .viewCare, .viewMessages]
        case .readOnly: [.viewMembers, .viewProgram, .viewAnalytics, .viewCare, .viewMessages]
        }
    }

    /// Whether this role may do `permission`.
    public func may(_ permission: StaffPermission) -> Bool { permissions.contains(permission) }
}

/// One thing a page or an action needs. Every console route names exactly one.
public enum StaffPermission: String, Sendable, CaseIterable {
    /// Search members and read a member's page.
    case viewMembers
    /// Adjust points, override a level, grant a coupon.
    case changeMembers
    /// Export a member's data.
    case exportMembers
    /// Erase a member (the right to be forgotten).
    case eraseMembers
    /// Read the programme, its versions and the rewards.
    case viewProgram
    /// Load a programme version, change rewards and stock.
    case changeProgram
    /// The overview and the reports.
    case viewAnalytics
    /// Jobs, webhooks (with replay) and imports.
    case operate
    /// Segments, marketing campaigns and messages.
    case marketing
    /// Read the message queue, a message, the triggers and templates (acting on them is `marketing`).
    case viewMessages
    /// Customer care: note, assign, move tickets and compensate within the agents' caps.
    case care
    /// Read the care queue, tickets and the care summary.
    case viewCare
    /// Approve or refuse compensation above an agent's caps, and compensate without them (the supervisor).
    case superviseCare
    /// Staff accounts.
    case manageStaff
}
