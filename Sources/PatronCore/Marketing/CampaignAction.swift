import Foundation

/// One thing a marketing campaign does for its treated members.
public enum CampaignAction: Sendable, Hashable, Codable {
    /// Points credited once, when the member enters the campaign (at start, or when they join the segment later).
    case grantPoints(Int64)
    /// An extra multiplier on the base points of orders placed in the window, at or above a minimum goods amount:
    /// `(m − 1) ×` the base points, named `campaign:NAME` in the order's earning breakdown.
    case orderMultiplier(Rate, minimumAmount: Int64?)
    /// Bonus points on each order placed in the window, at or above a minimum goods amount.
    case orderBonus(Int64, minimumAmount: Int64?)
    /// A coupon reward from the catalogue, issued free on entry while its stock lasts.
    case reward(String)
    /// A tag added to the member on entry.
    case tag(String)
    /// A tag removed from the member on entry.
    case untag(String)
    /// A message to send on entry with a template on a channel. Recorded on the campaign; sending waits for the
    /// message channels (issue 16): nothing is sent today, and the campaign's report says so.
    case message(template: String, channel: String)

    /// The action's kind as written in a campaign file.
    public var kind: String {
        switch self {
        case .grantPoints: "grantPoints"
        case .orderMultiplier: "orderMultiplier"
        case .orderBonus: "orderBonus"
        case .reward: "reward"
        case .tag: "tag"
        case .untag: "untag"
        case .message: "message"
        }
    }

    /// The earning rule an order action becomes, named after the campaign; `nil` for other actions.
    public func earningRule(campaign: String) -> EarningRule? {
        let name = "campaign:\(campaign)"
        switch self {
        case .orderMultiplier(let rate, let minimum):
            return EarningRule(name: name, kind: .multiplier(rate), conditions: RuleConditions(minimumAmount: minimum))
        case .orderBonus(let points, let minimum):
            return EarningRule(name: name, kind: .bonus(points), conditions: RuleConditions(minimumAmount: minimum))
        default:
            return nil
        }
    }
}
