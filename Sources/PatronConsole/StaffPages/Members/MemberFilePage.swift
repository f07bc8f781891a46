import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices
import PatronStore

/// `/console/members/{id}`: one member's profile, identities, consents, balances, level and its history, open lots with
/// their expiry, a page of the ledger (newest first; `?before=ENTRY` for older), orders, coupons and redemptions, and
/// the admin actions taken on them. One bounded read (`Store.memberFile`), whatever the member's history.
enum MemberFilePage {
    struct Model: Sendable {
        let id: String
        let name: String
        let erased: String?
        let enrolled: String
        let birthday: String?
        let tags: String?
        let identities: [Pair]
        let consents: [Consent]
        let balances: [Pair]
        let level: String
        let earnedLevel: String?
        let override: Override?
        let levelValidUntil: String?
        let levelHistory: [LevelRow]
        let lots: [LotRow]
        let lotsNote: String?
        let entries: [EntryRow]
        let entriesNote: String
        let olderHref: String?
        let newestHref: String?
        let orders: [OrderRow]
        let ordersNote: String?
        let redemptions: [RedemptionRow]
        let audit: [AuditRow]
        let actions: [Action]
        /// The member's newest messages (the Messages area's section).
        let messages: MessagesPageModels.MemberSection
    }

    struct Pair: Sendable {
        let label: String
        let value: String
    }

    struct Consent: Sendable {
        let name: String
        let given: Bool
    }

    struct Override: Sendable {
        let level: String
        let until: String
        let reason: String
    }

    struct LevelRow: Sendable {
        let at: String
        let from: String
        let to: String
        let reason: String
        let actor: String
    }

    struct LotRow: Sendable {
        let id: String
        let points: String
        let remaining: String
        let created: String
        let expires: String
        let order: String
    }

    struct EntryRow: Sendable {
        let id: String
        let at: String
        let kind: String
        let active: String
        let pending: String
        let order: String
        let reason: String
        let actor: String
        let negative: Bool
    }

    struct OrderRow: Sendable {
        let id: String
        let status: String
        let placed: String
        let amount: String
        let points: String
        let reversed: String
        let pointsUsed: String
        let activates: String
    }

    struct RedemptionRow: Sendable {
        let id: String
        let reward: String
        let points: String
        let status: String
        let code: String
        let validUntil: String
        let at: String
    }

    struct AuditRow: Sendable {
        let at: String
        let actor: String
        let action: String
    }

    struct Action: Sendable {
        let href: String
        let label: String
        let danger: Bool
    }

    static func show(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let text = page.parameter("id"), let id = Int64(text), id > 0 else { return MemberPages.notFound(page) }
        let before = MemberPages.query(request)?["before"].flatMap { Int64($0) }
        let file: MemberFile
        do {
            file = try await page.context.store.memberFile(MemberFileRequest(memberId: id, entriesBefore: before))
        } catch let error as PatronError where error.code == .notFound {
            return MemberPages.notFound(page)
        }
        let messages = try await MemberMessagesSection.load(member: id, page)
        let model = Self.model(file, id: id, before: before, program: page.program?.program, messages: messages, page)
        return page.render("staff/members/member", title: model.name, model)
    }

    /// The page's model of `file` (the ledger page before entry `before`, if given); `program` names the rewards.
    static func model(
        _ file: MemberFile, id: Int64, before: Int64?, program: Program?, messages: MessagesPageModels.MemberSection, _ page: StaffPage
    ) -> Model {
        let rewards = Dictionary(program?.rewards.map { ($0.id, $0.name) } ?? [], uniquingKeysWith: { first, _ in first })
        let f = page.formats
        let member = file.member
        let now = page.context.clock.now()
        let none = "–"
        let rewardLabel = { (reward: String) in rewards[reward].map { "\($0) (\(reward))" } ?? reward }

        var actions: [Action] = []
        if !member.isErased && page.may(.changeMembers) {
            actions += MemberChange.allCases.map { Action(href: MemberPages.path(id, $0.rawValue), label: page.text("members.action.\($0.rawValue)"), danger: false) }
        }
        if page.may(.exportMembers) { actions.append(Action(href: MemberPages.path(id, "export"), label: page.text("members.action.export"), danger: false)) }
        if !member.isErased && page.may(.eraseMembers) {
            actions.append(Action(href: MemberPages.path(id, "erase"), label: page.text("members.action.erase"), danger: true))
        }

        let balances = [
            Pair(label: page.text("members.balance.active"), value: f.points(member.balances.active)),
            Pair(label: page.text("members.balance.pending"), value: f.points(member.balances.pending)),
            Pair(label: page.text("members.balance.earned"), value: f.points(member.balances.lifetimeEarned)),
            Pair(label: page.text("members.balance.spent"), value: f.points(member.balances.lifetimeSpent)),
        ]
        let override = member.level.override.flatMap { o in
            o.until > now ? Override(level: o.level, until: f.instant(o.until), reason: o.reason) : nil
        }
        let entries = file.entries.map { entry in
            EntryRow(
                id: String(entry.id), at: f.instant(entry.occurredAt), kind: page.text("members.entry.\(entry.kind.rawValue)"),
                active: entry.activeDelta == 0 ? "" : signed(entry.activeDelta, f), pending: entry.pendingDelta == 0 ? "" : signed(entry.pendingDelta, f),
                order: entry.orderId ?? "", reason: entry.reason.map { ReasonText.entry($0, for: .staff, page.base) } ?? "", actor: entry.actor ?? "",
                negative: entry.activeDelta < 0)
        }
        let shown = file.entries.count
        let entriesNote = page.text("members.ledger.count")
            .replacingOccurrences(of: "{shown}", with: f.number(shown)).replacingOccurrences(of: "{total}", with: f.number(file.entryCount))
        return Model(
            id: String(id), name: MemberPages.displayName(member, page), erased: member.erasedAt.map(f.instant), enrolled: f.instant(member.enrolledAt),
            birthday: member.profile.birthday.map(f.date), tags: member.profile.tags.isEmpty ? nil : member.profile.tags.joined(separator: ", "),
            identities: member.identities.map { Pair(label: kindLabel($0.kind, page), value: $0.value) },
            consents: member.profile.consents.sorted { $0.key < $1.key }.map { channel, given in
                // A channel Patron knows is named in words, as on the member's own preferences page.
                Consent(name: MemberSelfService.consentChannels.contains(channel) ? page.text("member.consent.\(channel)") : channel, given: given)
            },
            balances: balances,
            level: member.level.effectiveLevel(at: now) ?? page.text("members.level.none"),
            earnedLevel: override == nil ? nil : (member.level.level ?? page.text("members.level.none")),
            override: override, levelValidUntil: member.level.validUntil.map(f.instant),
            levelHistory: file.levelHistory.map {
                LevelRow(
                    at: f.instant($0.at), from: $0.from ?? none, to: $0.to ?? none, reason: ReasonText.levelChange($0.reason, page.base, f),
                    actor: $0.actor ?? "")
            },
            lots: file.lots.map {
                LotRow(
                    id: String($0.id), points: f.points($0.points), remaining: f.points($0.remaining), created: f.date($0.createdAt),
                    expires: $0.expiresAt.map(f.instant) ?? page.text("members.lots.never"), order: $0.orderId ?? "")
            },
            lotsNote: file.openLotCount > file.lots.count
                ? page.text("members.lots.more").replacingOccurrences(of: "{shown}", with: f.number(file.lots.count))
                    .replacingOccurrences(of: "{total}", with: f.number(file.openLotCount)) : nil,
            entries: entries, entriesNote: entriesNote,
            olderHref: file.hasOlderEntries ? file.entries.last.map { MemberPages.path(id) + "?before=\($0.id)#ledger" } : nil,
            newestHref: before == nil ? nil : MemberPages.path(id) + "#ledger",
            orders: file.orders.map {
                OrderRow(
                    id: $0.id, status: page.text("members.order.\($0.status)"), placed: f.instant($0.placedAt), amount: f.money($0.amount),
                    points: f.points($0.points), reversed: $0.reversedPoints == 0 ? "" : f.points($0.reversedPoints),
                    pointsUsed: $0.pointsUsed == 0 ? "" : f.points($0.pointsUsed), activates: $0.activatesAt.map(f.date) ?? "")
            },
            ordersNote: file.orderCount > file.orders.count
                ? page.text("members.orders.more").replacingOccurrences(of: "{shown}", with: f.number(file.orders.count))
                    .replacingOccurrences(of: "{total}", with: f.number(file.orderCount)) : nil,
            redemptions: file.redemptions.map {
                RedemptionRow(
                    id: String($0.id), reward: rewardLabel($0.rewardId),
                    points: f.points($0.points), status: page.text("members.redemption.\($0.status.rawValue)"), code: $0.couponCode ?? "",
                    validUntil: $0.validUntil.map(f.date) ?? "", at: f.instant($0.at))
            },
            audit: file.audit.map { AuditRow(at: f.instant($0.at), actor: $0.actor, action: $0.action) },
            actions: actions, messages: messages)
    }

    /// `+1,234` or `-1,234`.
    static func signed(_ value: Int64, _ formats: Formats) -> String { (value > 0 ? "+" : "") + formats.number(value) }

    /// An identity kind as staff read it: `Customer id`, `E-mail`, … `WeChat` for `social:wechat`.
    static func kindLabel(_ kind: String, _ page: StaffPage) -> String {
        switch kind {
        case Identity.customer, Identity.email, Identity.phone, Identity.card: page.text("members.identity.\(kind)")
        default: kind.hasPrefix(Identity.socialPrefix) ? page.text("members.identity.social") + " (" + kind.dropFirst(Identity.socialPrefix.count) + ")" : kind
        }
    }
}

// Template look-ups are a switch, not swift-mustache's reflection (`Mirror`, every field compared on every look-up at
// every level of the context stack); `TemplateLookupTests` checks that each answers every field as reflection would.
extension MemberFilePage.Model: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return self.id
        case "name": return self.name
        case "erased": return self.erased
        case "enrolled": return self.enrolled
        case "birthday": return self.birthday
        case "tags": return self.tags
        case "identities": return self.identities
        case "consents": return self.consents
        case "balances": return self.balances
        case "level": return self.level
        case "earnedLevel": return self.earnedLevel
        case "override": return self.override
        case "levelValidUntil": return self.levelValidUntil
        case "levelHistory": return self.levelHistory
        case "lots": return self.lots
        case "lotsNote": return self.lotsNote
        case "entries": return self.entries
        case "entriesNote": return self.entriesNote
        case "olderHref": return self.olderHref
        case "newestHref": return self.newestHref
        case "orders": return self.orders
        case "ordersNote": return self.ordersNote
        case "redemptions": return self.redemptions
        case "audit": return self.audit
        case "actions": return self.actions
        case "messages": return self.messages
        default: return nil
        }
    }
}

extension MemberFilePage.Pair: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return self.label
        case "value": return self.value
        default: return nil
        }
    }
}

extension MemberFilePage.Consent: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "given": return self.given
        default: return nil
        }
    }
}

extension MemberFilePage.Override: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "level": return self.level
        case "until": return self.until
        case "reason": return self.reason
        default: return nil
        }
    }
}

extension MemberFilePage.LevelRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "at": return self.at
        case "from": return self.from
        case "to": return self.to
        case "reason": return self.reason
        case "actor": return self.actor
        default: return nil
        }
    }
}

extension MemberFilePage.LotRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return self.id
        case "points": return self.points
        case "remaining": return self.remaining
        case "created": return self.created
        case "expires": return self.expires
        case "order": return self.order
        default: return nil
        }
    }
}

extension MemberFilePage.EntryRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return self.id
        case "at": return self.at
        case "kind": return self.kind
        case "active": return self.active
        case "pending": return self.pending
        case "order": return self.order
        case "reason": return self.reason
        case "actor": return self.actor
        case "negative": return self.negative
        default: return nil
        }
    }
}

extension MemberFilePage.OrderRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return self.id
        case "status": return self.status
        case "placed": return self.placed
        case "amount": return self.amount
        case "points": return self.points
        case "reversed": return self.reversed
        case "pointsUsed": return self.pointsUsed
        case "activates": return self.activates
        default: return nil
        }
    }
}

extension MemberFilePage.RedemptionRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return self.id
        case "reward": return self.reward
        case "points": return self.points
        case "status": return self.status
        case "code": return self.code
        case "validUntil": return self.validUntil
        case "at": return self.at
        default: return nil
        }
    }
}

extension MemberFilePage.AuditRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "at": return self.at
        case "actor": return self.actor
        case "action": return self.action
        default: return nil
        }
    }
}

extension MemberFilePage.Action: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "href": return self.href
        case "label": return self.label
        case "danger": return self.danger
        default: return nil
        }
    }
}
