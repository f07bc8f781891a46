import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices

/// `GET /member/handbook`: how the programme works — joining, levels, earning, pending and expiry, rewards — written
/// from the programme file itself (`ProgramExplanation`, the same words the console's programme page uses), in the
/// member's language.
enum MemberHandbookPage {
    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/handbook") { _, page in
            do {
                _ = try await page.liveMember()
                let explanation = try page.explanation()
                return page.render("member/handbook", title: page.text("member.handbook.title"), MemberHandbookModel(explanation, page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
    }
}

/// The handbook's model.
struct MemberHandbookModel: Sendable {
    struct Level: Sendable {
        let name: String
        let from: String
        let benefits: [String]
        let hasBenefits: Bool
    }

    struct Reward: Sendable {
        let name: String
        let kind: String
        let cost: String
        let limits: String
        let hasLimits: Bool
    }

    let nav: MemberNav
    let name: String
    let enrollment: String
    let levelPolicy: String
    let hasLevels: Bool
    let levels: [Level]
    let rules: [String]
    let base: String
    let activities: [String]
    let hasActivities: Bool
    let pointsAsPayment: String
    let hasPointsAsPayment: Bool
    let pendingAndExpiry: String
    let rewards: [Reward]
    let hasRewards: Bool
    let transfers: String
    let hasTransfers: Bool

    init(_ explanation: ProgramExplanation, _ page: MemberPage) {
        nav = MemberNav(page, current: "/member/handbook")
        name = explanation.name
        enrollment = explanation.enrollment
        levelPolicy = explanation.levelPolicy ?? ""
        hasLevels = !explanation.levels.isEmpty
        levels = explanation.levels.map { row in
            let benefits = [
                row.discount.isEmpty ? nil : page.text("member.benefit.discount", ["value": row.discount]),
                row.spendAndSave.isEmpty ? nil : page.text("member.benefit.spendAndSave", ["value": row.spendAndSave]),
                row.freeShippingFrom.isEmpty ? nil : page.text("member.benefit.freeShipping", ["value": row.freeShippingFrom]),
                row.birthday.isEmpty ? nil : page.text("member.benefit.birthday", ["value": row.birthday]),
                row.perks.isEmpty ? nil : row.perks,
            ].compactMap { $0 }
            return Level(name: row.name, from: row.from, benefits: benefits, hasBenefits: !benefits.isEmpty)
        }
        rules = explanation.rules.map(\.text)
        base = explanation.base
        activities = explanation.activities
        hasActivities = !activities.isEmpty
        pointsAsPayment = explanation.pointsAsPayment ?? ""
        hasPointsAsPayment = explanation.pointsAsPayment != nil
        pendingAndExpiry = explanation.pendingAndExpiry
        rewards = explanation.rewards.map { Reward(name: $0.name, kind: $0.kind, cost: $0.cost, limits: $0.limits, hasLimits: !$0.limits.isEmpty) }
        hasRewards = !rewards.isEmpty
        transfers = explanation.transfers ?? ""
        hasTransfers = explanation.transfers != nil
    }
}

// Template look-ups are a switch, not swift-mustache's reflection (see `MemberHomeModel`); `TemplateLookupTests` checks
// that each answers every field as reflection would.
extension MemberHandbookModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "name": return self.name
        case "enrollment": return enrollment
        case "levelPolicy": return levelPolicy
        case "hasLevels": return hasLevels
        case "levels": return levels
        case "rules": return rules
        case "base": return base
        case "activities": return activities
        case "hasActivities": return hasActivities
        case "pointsAsPayment": return pointsAsPayment
        case "hasPointsAsPayment": return hasPointsAsPayment
        case "pendingAndExpiry": return pendingAndExpiry
        case "rewards": return rewards
        case "hasRewards": return hasRewards
        case "transfers": return transfers
        case "hasTransfers": return hasTransfers
        default: return nil
        }
    }
}

extension MemberHandbookModel.Level: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "from": return from
        case "benefits": return benefits
        case "hasBenefits": return hasBenefits
        default: return nil
        }
    }
}

extension MemberHandbookModel.Reward: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "kind": return kind
        case "cost": return cost
        case "limits": return limits
        case "hasLimits": return hasLimits
        default: return nil
        }
    }
}
