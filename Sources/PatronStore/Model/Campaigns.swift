import Foundation
import PatronCore

/// A marketing campaign as stored: its definition, status and what it has given so far.
public struct CampaignRecord: Sendable, Hashable, Codable {
    /// The store's id.
    public var id: Int64
    /// The definition, as created.
    public var campaign: MarketingCampaign
    /// Where it is in its life.
    public var status: CampaignStatus
    /// When it was created.
    public var createdAt: Date
    /// When its status last changed.
    public var updatedAt: Date
    /// Points given so far (grants and order bonuses; never more than the points budget).
    public var pointsSpent: Int64
    /// The face value of coupons issued so far, minor units (never more than the money budget).
    public var moneySpent: Int64
    /// Members assigned to the treated group.
    public var treated: Int
    /// Members held out in the control group.
    public var control: Int

    /// Makes a record.
    public init(
        id: Int64, campaign: MarketingCampaign, status: CampaignStatus, createdAt: Date, updatedAt: Date, pointsSpent: Int64, moneySpent: Int64,
        treated: Int, control: Int
    ) {
        self.id = id
        self.campaign = campaign
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.pointsSpent = pointsSpent
        self.moneySpent = moneySpent
        self.treated = treated
        self.control = control
    }
}

/// What one assignment pass did: members newly assigned to each group and what the entry actions gave.
public struct CampaignAssignment: Sendable, Hashable, Codable {
    /// Members newly in the treated group.
    public var treated: Int = 0
    /// Members newly held out.
    public var control: Int = 0
    /// Members already assigned earlier (unchanged).
    public var alreadyAssigned: Int = 0
    /// Points granted on entry.
    public var pointsGranted: Int64 = 0
    /// Grants refused because the budget or the per-member cap would be exceeded.
    public var grantsRefused: Int = 0
    /// Coupons issued on entry.
    public var couponsIssued: Int = 0
    /// Coupons not issued because the reward's stock or the money budget ran out.
    public var couponsRefused: Int = 0
    /// Members tagged or untagged.
    public var tagged: Int = 0
    /// Campaign messages queued for the newly treated members (delivered from the message queue like every message).
    public var messagesWaiting: Int = 0

    /// An empty pass.
    public init() {}
}

/// One assigned member's group and purchases in a report window, for the uplift statistics.
public struct CampaignMemberResult: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// Treated or control.
    public var group: CampaignGroup
    /// Orders placed in the window and not cancelled.
    public var orders: Int
    /// What those orders kept after returns, minor units.
    public var revenue: Int64

    /// Makes a result.
    public init(memberId: Int64, group: CampaignGroup, orders: Int, revenue: Int64) {
        self.memberId = memberId
        self.group = group
        self.orders = orders
        self.revenue = revenue
    }
}
