import Foundation
import PatronCore

/// The reasons the system writes into the ledger and the level history (`review`, `checkIn, 7-day streak`,
/// `campaign:win-back`, `birthday gift 2026`, `qualified` …) in the page's words, in either language. A reason a
/// person wrote (an adjustment's, an override's) is shown as written; only the words around it are translated.
enum ReasonText {
    /// Who reads the reason: staff see ids and campaign names; members see what happened in plain words (a campaign's
    /// name says how the shop sorted them, which is not theirs to read).
    enum Reader: Sendable {
        case staff
        case member
    }

    /// A ledger entry's recorded reason in `base`'s language.
    static func entry(_ reason: String, for reader: Reader, _ base: PageBase) -> String {
        if let name = reason.dropping(prefix: "campaign:") {
            return reader == .staff ? base.text("kit.reason.campaign", ["name": String(name)]) : base.text("kit.reason.campaignMember")
        }
        if let year = reason.dropping(prefix: "birthday gift "), year.allSatisfy(\.isASCIIDigit), !year.isEmpty {
            return base.text("kit.reason.birthday", ["year": String(year)])
        }
        if let draw = reason.dropping(prefix: "lottery prize, draw ") {
            return reader == .staff ? base.text("kit.reason.lottery", ["draw": String(draw)]) : base.text("kit.reason.lotteryMember")
        }
        if reason == "referral welcome" { return base.text("kit.reason.referralWelcome") }
        if let member = reason.dropping(prefix: "referred member ") {
            return reader == .staff ? base.text("kit.reason.referred", ["member": String(member)]) : base.text("kit.reason.referredMember")
        }
        if let order = reason.dropping(prefix: "points paid for order ")?.dropping(suffix: " given back") {
            return base.text("kit.reason.paymentBack", ["order": String(order)])
        }
        if let order = reason.dropping(prefix: "paid order ") { return base.text("kit.reason.paidOrder", ["order": String(order)]) }
        switch reason {
        case "order cancelled": return base.text("kit.reason.orderCancelled")
        case "order returned": return base.text("kit.reason.orderReturned")
        case "lines returned": return base.text("kit.reason.linesReturned")
        case "returned after its lot expired": return base.text("kit.reason.returnedExpired")
        case "transfer fee": return base.text("kit.reason.transferFee")
        default: break
        }
        if let rest = reason.dropping(prefix: "redemption "), let colon = rest.range(of: " reversed: ") {
            return base.text(
                "kit.reason.redemptionReversed", ["redemption": String(rest[..<colon.lowerBound]), "reason": String(rest[colon.upperBound...])])
        }
        if let reward = reason.dropping(prefix: "redeemed ") { return base.text("kit.reason.redeemed", ["reward": String(reward)]) }
        if let member = reason.dropping(prefix: "to member ") { return base.text("kit.reason.transferTo", ["member": String(member)]) }
        if let member = reason.dropping(prefix: "from member ") { return base.text("kit.reason.transferFrom", ["member": String(member)]) }
        if let rest = reason.dropping(prefix: "ticket "), let colon = rest.range(of: ": "), rest[..<colon.lowerBound].allSatisfy(\.isASCIIDigit) {
            return base.text("kit.reason.ticket", ["ticket": String(rest[..<colon.lowerBound]), "note": String(rest[colon.upperBound...])])
        }
        // An activity: `review`, or a check-in with its streak, `checkIn, 7-day streak`.
        if let comma = reason.range(of: ", "), let days = reason[comma.upperBound...].dropping(suffix: "-day streak"),
            !days.isEmpty, days.allSatisfy(\.isASCIIDigit)
        {
            return base.text("kit.reason.streak", ["activity": activity(String(reason[..<comma.lowerBound]), base), "days": String(days)])
        }
        if ActivityPolicy.builtIn.contains(reason) { return activity(reason, base) }
        return reason
    }

    /// A level change's recorded reason in `base`'s language (an override's end shown as `formats` show instants).
    static func levelChange(_ reason: String, _ base: PageBase, _ formats: Formats) -> String {
        switch reason {
        case "qualified": return base.text("kit.levelReason.qualified")
        case "return undid qualification": return base.text("kit.levelReason.returnUndid")
        case "kept": return base.text("kit.levelReason.kept")
        case "validity ended": return base.text("kit.levelReason.validityEnded")
        default: break
        }
        // `override until 2026-06-01T00:00:00+08:00: the staff's reason`.
        if let rest = reason.dropping(prefix: "override until "), let colon = rest.range(of: ": ") {
            let stamp = String(rest[..<colon.lowerBound])
            // Written by `ISO8601DateFormatter` in the programme's zone; read back with one (an override is rare).
            let until = ISO8601DateFormatter().date(from: stamp).map(formats.instant) ?? stamp
            return base.text("kit.levelReason.override", ["until": until, "reason": String(rest[colon.upperBound...])])
        }
        return reason
    }

    /// A built-in activity in words; a shop's own activity keeps the name the programme gives it.
    static func activity(_ kind: String, _ base: PageBase) -> String {
        ActivityPolicy.builtIn.contains(kind) ? base.text("kit.reason.activity.\(kind)") : kind
    }
}

extension StringProtocol {
    /// The rest after `prefix`, or `nil` when the text does not start with it.
    fileprivate func dropping(prefix: String) -> SubSequence? { hasPrefix(prefix) ? self[index(startIndex, offsetBy: prefix.count)...] : nil }

    /// The text before `suffix`, or `nil` when it does not end with it.
    fileprivate func dropping(suffix: String) -> SubSequence? { hasSuffix(suffix) ? self[..<index(endIndex, offsetBy: -suffix.count)] : nil }
}

extension Character {
    /// `0` to `9`.
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
