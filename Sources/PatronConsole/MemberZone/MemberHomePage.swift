import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices

/// `GET /member/`: points, level and benefits.
enum MemberHomePage {
    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/") { _, page in
            do {
                let home = try await MemberHome.load(context: page.context, member: page.memberID)
                // The explanation of the version the page's formats came from, made once per version (a load between
                // the two reads is shown by the next page).
                let explanation = (try? page.explanation()) ?? ProgramExplanation(program: home.program, language: page.language.explanationLanguage)
                return page.render("member/home", title: page.text("member.home.title"), MemberHomeModel(home, explanation: explanation, page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
    }
}

/// What the home page template places.
struct MemberHomeModel: Sendable {
    struct Pending: Sendable {
        let points: String
        let order: String
        let when: String
    }

    struct Expiring: Sendable {
        let points: String
        let lastDay: String
    }

    struct Level: Sendable {
        let name: String
        let hasNext: Bool
        let next: String
        let toNext: String
        let percent: Int
        let keeping: String
    }

    let nav: MemberNav
    let greeting: String
    let active: String
    let inDebt: Bool
    let pendingTotal: String
    let pending: [Pending]
    let hasPending: Bool
    let expiring: [Expiring]
    let hasExpiring: Bool
    let expiringWindow: String
    /// The level card: one element, or none when the programme has no levels (an array, so the template can skip it).
    let level: [Level]
    let benefits: [String]
    let hasBenefits: Bool

    init(_ home: MemberHome, explanation: ProgramExplanation, _ page: MemberPage) {
        let f = page.formats
        nav = MemberNav(page, current: "/member/")
        greeting = home.member.profile.name.map { page.text("member.home.greeting", ["name": $0]) } ?? page.text("member.home.greetingAnonymous")
        active = f.points(home.member.balances.active)
        inDebt = home.member.balances.active < 0
        pendingTotal = f.points(home.member.balances.pending)
        pending = home.pending.map { item in
            Pending(
                points: f.points(item.points), order: item.orderId,
                when: item.activatesAt.map { page.text("member.home.pendingUntil", ["date": f.date($0)]) } ?? page.text("member.home.pendingAwaitingDelivery"))
        }
        hasPending = !pending.isEmpty
        expiring = home.expiringSoon.map { Expiring(points: f.points($0.points), lastDay: f.date($0.lastDay)) }
        hasExpiring = !expiring.isEmpty
        expiringWindow = page.text("member.home.expiringWindow", ["days": String(MemberHome.expiringWindowDays)])
        level = (home.level.map { progress in
            let amount = { (value: Int64) -> String in
                switch progress.metric {
                case .spend: f.money(value)
                case .orders: page.text("member.level.orders", ["count": f.number(value)])
                case .points: f.points(value)
                }
            }
            let keeping: String
            switch progress.keeping {
            case .noLevel: keeping = page.text("member.level.keep.none")
            case .forGood: keeping = page.text("member.level.keep.forGood")
            case .override(let until): keeping = page.text("member.level.keep.override", ["date": f.date(until - 1)])
            case .review(let at, let threshold):
                keeping = page.text(
                    "member.level.keep.review",
                    ["date": f.date(at), "needed": amount(threshold), "have": amount(progress.value)])
            }
            return Level(
                name: progress.current ?? page.text("member.level.none"), hasNext: progress.next != nil, next: progress.next?.name ?? "",
                toNext: progress.remaining.map { page.text("member.level.toNext", ["amount": amount($0), "level": progress.next?.name ?? ""]) }
                    ?? page.text("member.level.top"),
                percent: Int((progress.fraction * 100).rounded(.down)), keeping: keeping)
        }).map { [$0] } ?? []
        let row = home.level?.current.flatMap { current in explanation.levels.first { $0.name == current } }
        benefits = row.map { row in
            [
                row.discount.isEmpty ? nil : page.text("member.benefit.discount", ["value": row.discount]),
                row.spendAndSave.isEmpty ? nil : page.text("member.benefit.spendAndSave", ["value": row.spendAndSave]),
                row.freeShippingFrom.isEmpty ? nil : page.text("member.benefit.freeShipping", ["value": row.freeShippingFrom]),
                row.birthday.isEmpty ? nil : page.text("member.benefit.birthday", ["value": row.birthday]),
                row.perks.isEmpty ? nil : row.perks,
            ].compactMap { $0 }
        } ?? []
        hasBenefits = !benefits.isEmpty
    }
}

extension ConsoleLanguage {
    /// The programme explanation's language for this page language.
    var explanationLanguage: ProgramExplanation.Language {
        switch self {
        case .english: .english
        case .simplifiedChinese: .simplifiedChinese
        }
    }
}

// The member zone's home page is its busiest: swift-mustache finds a field of a plain struct by reflection (`Mirror`,
// every field compared on every lookup, at every level of the context stack), which took about 45 % of the page's CPU
// in a profile under wrk. These lookups are a switch instead.
extension MemberHomeModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "greeting": return greeting
        case "active": return active
        case "inDebt": return inDebt
        case "pendingTotal": return pendingTotal
        case "pending": return pending
        case "hasPending": return hasPending
        case "expiring": return expiring
        case "hasExpiring": return hasExpiring
        case "expiringWindow": return expiringWindow
        case "level": return level
        case "benefits": return benefits
        case "hasBenefits": return hasBenefits
        default: return nil
        }
    }
}

extension MemberHomeModel.Pending: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "points": return points
        case "order": return order
        case "when": return when
        default: return nil
        }
    }
}

extension MemberHomeModel.Expiring: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "points": return points
        case "lastDay": return lastDay
        default: return nil
        }
    }
}

extension MemberHomeModel.Level: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "hasNext": return hasNext
        case "next": return next
        case "toNext": return toNext
        case "percent": return percent
        case "keeping": return keeping
        default: return nil
        }
    }
}
