import Foundation
import PatronCore

/// Marketing campaigns in the store: definitions and status, the members assigned to the treated and control groups
/// (with the time of assignment), the budget spent, and the purchases the report compares. Order bonuses and
/// multipliers are applied inside `apply` (the order's own savepoint), where the budget is reserved by a conditional
/// update, so it is never exceeded however many orders arrive at once.
public protocol CampaignStore: Sendable {
    /// Stores a new campaign as a draft; refuses a name already used and a segment that does not exist.
    func createCampaign(_ campaign: MarketingCampaign, at: Date) async throws -> CampaignRecord
    /// Every campaign, oldest first.
    func campaigns() async throws -> [CampaignRecord]
    /// The campaign named `name`, or `nil`.
    func campaign(named name: String) async throws -> CampaignRecord?
    /// Moves a campaign along its lifecycle; throws `invalidTransition` saying why when it cannot. Returns the record
    /// before and after.
    func transitionCampaign(named name: String, _ transition: CampaignTransition, at: Date) async throws -> (before: CampaignRecord, after: CampaignRecord)
    /// Assigns members to the campaign's groups by the holdout hash (members already assigned keep their group) and
    /// runs the entry actions for the newly treated: points grants within the budget and cap, coupons within stock
    /// and budget, tags. Only a running campaign assigns.
    func assignCampaignMembers(named name: String, members: [Int64], at: Date) async throws -> CampaignAssignment
    /// Up to `limit` members of the campaign's segment, by id above `after`, who are in neither of its groups yet: the
    /// members who entered the segment since the campaign last assigned (one anti-join, however large the segment).
    func unassignedCampaignMembers(named name: String, after: Int64, limit: Int) async throws -> [Int64]
    /// Each assigned member's orders and kept revenue placed from `from` until before `until`.
    func campaignResults(named name: String, from: Date, until: Date) async throws -> [CampaignMemberResult]
    /// The face value of the campaign's coupons used on orders, minor units.
    func campaignCouponCost(named name: String) async throws -> Int64
    /// The group a member was assigned to, or `nil`.
    func campaignGroup(named name: String, member: Int64) async throws -> CampaignGroup?
}
