import Foundation
import PatronCore
import PatronStore

/// The values a message template reads (`MessageFields` names them): the member's standing now — balances, points
/// expiring, level and the gap to the next — and the facts of the message's cause, every value as text.
public enum MessageFieldValues {
    /// Links a message carries; `nil` leaves the field empty.
    public struct Links: Sendable, Hashable {
        /// The signed one-click unsubscribe link.
        public var unsubscribe: String?
        /// The member's preferences page.
        public var preferences: String?
        /// The signed link that confirms a pending e-mail consent (`confirmConsent` messages).
        public var confirm: String?

        /// Links for one message.
        public init(unsubscribe: String? = nil, preferences: String? = nil, confirm: String? = nil) {
            self.unsubscribe = unsubscribe
            self.preferences = preferences
            self.confirm = confirm
        }
    }

    /// The fields of a message for `home` (the member's standing at render time), the cause's `facts` (a JSON object:
    /// an outbox payload's snake_case keys, or a caller's) and its links.
    public static func build(home: MemberHome, locale: String, facts: String, links: Links) -> [String: MessageField] {
        let program = home.program
        let calendar = program.calendar
        let member = home.member
        let digits = program.currency.minorDigits
        let cause = (facts.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        func text(_ key: String) -> String? {
            switch cause[key] {
            case let value as String: value
            case let value as NSNumber: value.stringValue
            default: nil
            }
        }
        var fields: [String: MessageField] = [
            "shop": ["name": .text(program.name), "currency": .text(program.currency.code)],
            "member": [
                "id": .text(String(member.id)), "name": .text(member.profile.name ?? ""),
                "email": .text(member.identities.first { $0.kind == "email" }?.value ?? ""),
                "phone": .text(member.identities.first { $0.kind == "phone" }?.value ?? ""),
                "enrolledOn": .text(calendar.localDate(of: member.enrolledAt).description),
                "birthday": .text(member.profile.birthday?.description ?? ""), "locale": .text(locale),
            ],
        ]
        let expiring = home.expiringSoon.map { MessageField.group(["points": .text(String($0.points)), "date": .text($0.lastDay.description)]) }
        var points: [String: MessageField] = [
            "active": .text(String(member.balances.active)), "pending": .text(String(member.balances.pending)),
            "expiringTotal": .text(String(home.expiringSoon.reduce(0) { $0 + $1.points })),
        ]
        if !expiring.isEmpty {
            points["expiring"] = .list(expiring)
            points["nextExpiry"] = .text(home.expiringSoon[0].lastDay.description)
        }
        fields["points"] = .group(points)
        if let level = home.level {
            if let current = level.current {
                fields["level"] = [
                    "name": .text(current), "since": .text(member.level.since.map { calendar.localDate(of: $0).description } ?? ""),
                    "until": .text(member.level.validUntil.map { calendar.localDate(of: $0).description } ?? ""),
                ]
            }
            if let next = level.next, let remaining = level.remaining {
                let gap = level.metric == .spend ? DecimalText.format(remaining, digits: digits) : String(remaining)
                fields["nextLevel"] = ["name": .text(next.name), "gap": .text(gap), "metric": .text(level.metric.rawValue)]
            }
        }
        if text("to") != nil || text("from") != nil {
            let levels = program.levels?.levels.map(\.name) ?? []
            let fromIndex = text("from").flatMap { name in levels.firstIndex(of: name) } ?? -1
            let toIndex = text("to").flatMap { name in levels.firstIndex(of: name) } ?? -1
            var change: [String: MessageField] = ["from": .text(text("from") ?? ""), "to": .text(text("to") ?? "")]
            if toIndex > fromIndex { change["up"] = true }
            if toIndex < fromIndex { change["down"] = true }
            fields["change"] = .group(change)
        }
        if let rewardId = text("reward_id") {
            let name = program.rewards.first { $0.id == rewardId }?.name ?? rewardId
            fields["reward"] = ["id": .text(rewardId), "name": .text(name), "points": .text(text("points") ?? ""), "status": .text(text("status") ?? "")]
        }
        if let code = text("coupon_code") {
            fields["coupon"] = ["code": .text(code), "validUntil": .text(text("valid_until") ?? "")]
        }
        if let order = text("order_id") {
            let amount = (cause["amount"] as? NSNumber).map { DecimalText.format($0.int64Value, digits: digits) } ?? ""
            fields["order"] = ["id": .text(order), "amount": .text(amount), "points": .text(text("points") ?? "")]
        }
        if let campaign = text("campaign") { fields["campaign"] = ["name": .text(campaign)] }
        if let code = text("sign_in_code") { fields["signIn"] = ["code": .text(code), "minutes": .text(text("minutes") ?? "")] }
        if let ticket = text("ticket_id") {  // a care reply: `care.ticket.message`'s payload
            fields["ticket"] = ["number": .text(ticket), "subject": .text(text("subject") ?? ""), "reply": .text(text("text") ?? "")]
        }
        var linkFields: [String: MessageField] = [:]
        if let unsubscribe = links.unsubscribe { linkFields["unsubscribe"] = .text(unsubscribe) }
        if let preferences = links.preferences { linkFields["preferences"] = .text(preferences) }
        if let confirm = links.confirm { linkFields["confirm"] = .text(confirm) }
        fields["links"] = .group(linkFields)
        return fields
    }

    /// The member's locale: the profile's `locale` (a BCP-47 tag), else — read as a fallback for profiles written
    /// before the field existed — a tag `locale:TAG` (`locale:zh-Hans`), else `nil` (the shop's locale applies).
    public static func locale(of member: Member) -> String? {
        if let locale = member.profile.locale { return locale }
        return member.profile.tags.first { $0.hasPrefix("locale:") }.map { String($0.dropFirst("locale:".count)) }
    }
}
