import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices

/// `GET /member/rewards`: what the member can redeem; `GET /member/rewards/{id}`: the confirmation step with a
/// one-time key; `POST /member/rewards/{id}`: the redemption (the same form sent twice redeems once).
enum MemberRewardPages {
    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/rewards") { _, page in
            do {
                let member = try await page.liveMember()
                let offers = try await MemberOffer.list(context: page.context, member: page.memberID)
                return page.render(
                    "member/rewards", title: page.text("member.rewards.title"),
                    MemberRewardsModel(offers: offers, balance: member.balances.active, page: page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        routes.member(.get, "/member/rewards/{id}") { _, page in
            do {
                let member = try await page.liveMember()
                let offers = try await MemberOffer.list(context: page.context, member: page.memberID)
                guard let offer = offers.first(where: { $0.reward.id == page.parameter("id") }) else {
                    return page.refusal(PatronError(.notFound, "no such reward"))
                }
                return page.render(
                    "member/confirm", title: page.text("member.confirm.title"),
                    MemberConfirmModel(offer: offer, balance: member.balances.active, page: page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        routes.member(.post, "/member/rewards/{id}") { request, page in
            let form = try await page.form(request)
            guard let rewardId = page.parameter("id") else { return page.refusal(PatronError(.notFound, "no such reward")) }
            guard form["confirm"] == "yes" else { return page.error(.badRequest, page.text("member.confirm.notConfirmed")) }
            do {
                let redemption = try await MemberSelfService(context: page.context).redeem(
                    member: page.memberID, rewardId: rewardId, requestKey: form["key"] ?? "")
                guard let member = try await page.context.store.member(id: page.memberID) else { return page.refusal(PatronError(.notFound, "")) }
                let program = try await page.context.currentProgram().program
                let name = program.rewards.first { $0.id == redemption.rewardId }?.name ?? redemption.rewardId
                let notice = page.text(
                    "member.redeemed", ["reward": name, "points": page.formats.points(redemption.points), "balance": page.formats.points(member.balances.active)])
                return page.redirect(redemption.couponCode != nil ? "/member/coupons" : "/member/rewards", notice: notice)
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
    }

    /// A reward's kind in the member's words.
    static func kind(_ reward: Reward, _ page: MemberPage) -> String {
        switch reward.kind {
        case .coupon(let terms):
            let value = terms.value.map { page.formats.money($0) } ?? terms.percent.map { "\($0)%" } ?? ""
            var text = page.text("member.reward.coupon", ["value": value, "days": String(terms.validDays)])
            if terms.minimumSpend > 0 { text += " " + page.text("member.reward.minimumSpend", ["amount": page.formats.money(terms.minimumSpend)]) }
            return text
        case .gift: return page.text("member.reward.gift")
        case .pointsAndCash(let cash): return page.text("member.reward.pointsAndCash", ["cash": page.formats.money(cash)])
        case .event: return page.text("member.reward.event")
        case .lottery: return page.text("member.reward.lottery")
        }
    }
}

/// The rewards page's model.
struct MemberRewardsModel: Sendable {
    struct Offer: Sendable {
        let id: String
        let href: String
        let name: String
        let kind: String
        let cost: String
        let available: Bool
        let blocker: String
        let stock: String
        let hasStock: Bool
    }

    let nav: MemberNav
    let balance: String
    let available: [Offer]
    let unavailable: [Offer]
    let hasAvailable: Bool
    let hasUnavailable: Bool

    init(offers: [MemberOffer], balance: Int64, page: MemberPage) {
        nav = MemberNav(page, current: "/member/rewards")
        self.balance = page.formats.points(balance)
        let all = offers.map { Self.offer($0, page) }
        available = all.filter(\.available)
        unavailable = all.filter { !$0.available }
        hasAvailable = !available.isEmpty
        hasUnavailable = !unavailable.isEmpty
    }

    static func offer(_ offer: MemberOffer, _ page: MemberPage) -> Offer {
        let blocker: String
        switch offer.blocker {
        case .needsPoints(let points): blocker = page.text("member.rewards.needs", ["points": page.formats.points(points)])
        case .outOfStock: blocker = page.text("member.rewards.outOfStock")
        case nil: blocker = ""
        }
        let id = offer.reward.id
        let path = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
        return Offer(
            id: id, href: "/member/rewards/\(path)", name: offer.reward.name, kind: MemberRewardPages.kind(offer.reward, page),
            cost: page.formats.points(offer.reward.cost), available: offer.isAvailable, blocker: blocker,
            stock: offer.remaining.map { page.text("member.rewards.left", ["count": page.formats.number($0)]) } ?? "", hasStock: offer.remaining != nil)
    }
}

/// The confirmation step's model: the reward, the balance before and after, and a fresh one-time key.
struct MemberConfirmModel: Sendable {
    let nav: MemberNav
    let offer: MemberRewardsModel.Offer
    let balance: String
    let after: String
    let key: String
    let action: String

    init(offer: MemberOffer, balance: Int64, page: MemberPage) {
        nav = MemberNav(page, current: "/member/rewards")
        self.offer = MemberRewardsModel.offer(offer, page)
        self.balance = page.formats.points(balance)
        after = page.formats.points(balance - offer.reward.cost)
        var generator = SystemRandomNumberGenerator()
        key = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        action = self.offer.href
    }
}

// Template look-ups are a switch, not swift-mustache's reflection (see `MemberHomeModel`); `TemplateLookupTests` checks
// that each answers every field as reflection would.
extension MemberRewardsModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "balance": return balance
        case "available": return available
        case "unavailable": return unavailable
        case "hasAvailable": return hasAvailable
        case "hasUnavailable": return hasUnavailable
        default: return nil
        }
    }
}

extension MemberRewardsModel.Offer: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "href": return href
        case "name": return self.name
        case "kind": return kind
        case "cost": return cost
        case "available": return available
        case "blocker": return blocker
        case "stock": return stock
        case "hasStock": return hasStock
        default: return nil
        }
    }
}

extension MemberConfirmModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "offer": return offer
        case "balance": return balance
        case "after": return after
        case "key": return key
        case "action": return action
        default: return nil
        }
    }
}
