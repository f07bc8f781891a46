import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices

/// `GET /member/history`: the ledger told as sentences; `GET /member/coupons`: the member's coupons.
enum MemberHistoryPages {
    /// How many entries the history shows.
    static let historyLength = 100

    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/history") { _, page in
            do {
                _ = try await page.liveMember()
                // The programme read with the page's formats names the rewards (`MemberHistoryLine.latest` would read it again).
                let program = try page.programInForce().program
                let lines = try await page.context.store.statement(member: page.memberID, entries: historyLength).entries.map {
                    MemberHistoryLine(entry: $0, program: program)
                }
                return page.render("member/history", title: page.text("member.history.title"), MemberHistoryModel(lines: lines, page: page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        routes.member(.get, "/member/coupons") { _, page in
            do {
                _ = try await page.liveMember()
                let program = try page.programInForce().program
                let coupons = try await page.context.store.coupons(member: page.memberID)
                return page.render(
                    "member/coupons", title: page.text("member.coupons.title"),
                    MemberCouponsModel(coupons: coupons, program: program, now: page.context.clock.now(), page: page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
    }

    /// The sentence for a history line, in the page's language.
    static func sentence(_ line: MemberHistoryLine, _ page: MemberPage) -> String {
        var values = ["points": page.formats.points(line.points), "order": line.orderId ?? "", "reward": line.reward ?? ""]
        // The note is the entry's recorded reason: an activity (`review`), a campaign (`campaign:win-back`), a gift …
        // in words; a reason the shop wrote is shown as written.
        values["note"] = line.note.map { ReasonText.entry($0, for: .member, page.base) } ?? ""
        let key = "member.history.\(line.event.rawValue)" + ((line.note ?? "").isEmpty ? "" : ".noted")
        return page.text(key, values)
    }
}

/// The history page's model.
struct MemberHistoryModel: Sendable {
    struct Line: Sendable {
        let date: String
        let text: String
        let change: String
        let gain: Bool
    }

    let nav: MemberNav
    let lines: [Line]
    let hasLines: Bool

    init(lines: [MemberHistoryLine], page: MemberPage) {
        nav = MemberNav(page, current: "/member/history")
        let gains: Set<MemberHistoryLine.Event> = [.pendingForOrder, .activatedFromOrder, .earnedForOrder, .earnedBonus, .givenBack, .addedByShop, .received]
        self.lines = lines.map { line in
            let gain = gains.contains(line.event)
            return Line(
                date: page.formats.date(line.at), text: MemberHistoryPages.sentence(line, page),
                change: (gain ? "+" : "−") + page.formats.number(line.points), gain: gain)
        }
        hasLines = !self.lines.isEmpty
    }
}

/// The coupons page's model: usable coupons first, then used, expired and reversed ones.
struct MemberCouponsModel: Sendable {
    struct Coupon: Sendable {
        let name: String
        let code: String
        let terms: String
        let status: String
        let usable: Bool
    }

    let nav: MemberNav
    let usable: [Coupon]
    let other: [Coupon]
    let hasUsable: Bool
    let hasOther: Bool

    init(coupons: [Redemption], program: Program, now: Date, page: MemberPage) {
        nav = MemberNav(page, current: "/member/coupons")
        let all = coupons.reversed().map { coupon -> Coupon in
            let reward = program.rewards.first { $0.id == coupon.rewardId }
            let expired = coupon.validUntil.map { $0 <= now } ?? false
            let usable = coupon.status == .issued && !expired
            let status: String
            if usable {
                status = coupon.validUntil.map { page.text("member.coupons.validUntil", ["date": page.formats.date($0 - 1)]) } ?? page.text("member.coupons.valid")
            } else if coupon.status == .issued {
                status = page.text("member.coupons.expired")
            } else {
                status = page.text("member.coupons.status.\(coupon.status.rawValue)")
            }
            return Coupon(
                name: reward?.name ?? coupon.rewardId, code: coupon.couponCode ?? "", terms: reward.map { MemberRewardPages.kind($0, page) } ?? "",
                status: status, usable: usable)
        }
        usable = all.filter(\.usable)
        other = all.filter { !$0.usable }
        hasUsable = !usable.isEmpty
        hasOther = !other.isEmpty
    }
}

// Template look-ups are a switch, not swift-mustache's reflection (see `MemberHomeModel`); `TemplateLookupTests` checks
// that each answers every field as reflection would.
extension MemberHistoryModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "lines": return lines
        case "hasLines": return hasLines
        default: return nil
        }
    }
}

extension MemberHistoryModel.Line: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": return date
        case "text": return text
        case "change": return change
        case "gain": return gain
        default: return nil
        }
    }
}

extension MemberCouponsModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "usable": return usable
        case "other": return other
        case "hasUsable": return hasUsable
        case "hasOther": return hasOther
        default: return nil
        }
    }
}

extension MemberCouponsModel.Coupon: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "code": return code
        case "terms": return terms
        case "status": return status
        case "usable": return usable
        default: return nil
        }
    }
}
