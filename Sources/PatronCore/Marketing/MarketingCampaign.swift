import Foundation

/// A marketing campaign: an offer to the members of a segment, for a window of local days, with an optional budget and
/// per-member cap, and a share of the segment held out as a control group that never gets the offer.
///
/// Not to be confused with an earning rule's dated conditions (`from`/`to`), which the program file calls campaigns:
/// a marketing campaign is defined apart from the program, targets a segment and is measured against its holdout.
public struct MarketingCampaign: Sendable, Hashable, Codable {
    /// The unique name (letters, digits, `-` and `_`).
    public var name: String
    /// What it is for, free text.
    public var description: String?
    /// The segment it targets, by name.
    public var segment: String
    /// The first local day of the window (the program's time zone), inclusive.
    public var starts: LocalDate
    /// The last local day of the window, inclusive.
    public var ends: LocalDate
    /// Days after the window in which purchases still count for the report.
    public var attributionDays: Int
    /// The share of the segment held out, in basis points (1,000 = 10 %).
    public var holdoutBasisPoints: Int
    /// The most points the campaign may give in all, if limited.
    public var pointsBudget: Int64?
    /// The most money (minor units) its coupons may be worth in all, if limited.
    public var moneyBudget: Int64?
    /// The most points one member may get from it, if limited.
    public var perMemberPoints: Int64?
    /// What it does for treated members.
    public var actions: [CampaignAction]

    /// Makes a campaign.
    public init(
        name: String, description: String? = nil, segment: String, starts: LocalDate, ends: LocalDate, attributionDays: Int = 14,
        holdoutBasisPoints: Int = 1_000, pointsBudget: Int64? = nil, moneyBudget: Int64? = nil, perMemberPoints: Int64? = nil,
        actions: [CampaignAction]
    ) {
        self.name = name
        self.description = description
        self.segment = segment
        self.starts = starts
        self.ends = ends
        self.attributionDays = attributionDays
        self.holdoutBasisPoints = holdoutBasisPoints
        self.pointsBudget = pointsBudget
        self.moneyBudget = moneyBudget
        self.perMemberPoints = perMemberPoints
        self.actions = actions
    }

    /// The name an order's earning breakdown gives the campaign's part: `campaign:NAME`.
    public var ruleName: String { "campaign:\(name)" }

    /// Whether `day` falls in the window.
    public func isInWindow(_ day: LocalDate) -> Bool { starts <= day && day <= ends }

    /// The last local day whose purchases the report counts: the window's end plus the attribution days.
    public var attributionEnds: LocalDate { ends.adding(days: attributionDays) }

    /// Whether any action changes an order's points.
    public var touchesOrders: Bool {
        actions.contains {
            switch $0 {
            case .orderMultiplier, .orderBonus: true
            default: false
            }
        }
    }

    /// The group a member falls in: the same answer for the same member and campaign, wherever it is asked.
    public func group(of member: Int64) -> CampaignGroup {
        CampaignHoldout.group(member: member, campaign: name, holdoutBasisPoints: holdoutBasisPoints)
    }
}

/// Whether a campaign member gets the offer (treated) or is held out to measure it (control).
public enum CampaignGroup: String, Sendable, Hashable, Codable {
    /// Gets the offer.
    case treated
    /// Held out: never gets the offer; the report compares the treated group with it.
    case control
}
