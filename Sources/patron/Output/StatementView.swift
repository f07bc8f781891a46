import Foundation
import PatronCore
import PatronStore

/// A member statement for people (a table) and programs (JSON).
struct StatementView: Encodable {
    let member: Member
    let lots: [Lot]
    let entries: [LedgerEntry]

    init(_ statement: AccountStatement) {
        member = statement.member
        lots = statement.lots
        entries = statement.entries
    }

    /// The statement as text, its times as `time` prints them.
    func text(time: InstantFormat, now: Date) -> String {
        let b = member.balances
        var out = "Member \(member.id)  \(member.profile.name ?? "")\n"
        if let erasedAt = member.erasedAt {
            out += "ERASED at \(time.text(erasedAt)): personal data removed; the ledger stays for the books, nothing changes it\n"
        }
        out += "Identities: \(member.identities.map(\.description).joined(separator: ", "))\n"
        if let level = member.level.effectiveLevel(at: now) { out += "Level: \(level)\n" }
        if let birthday = member.profile.birthday { out += "Birthday: \(birthday)\n" }
        if !member.profile.tags.isEmpty { out += "Tags: \(member.profile.tags.joined(separator: ", "))\n" }
        out += "Enrolled: \(time.text(member.enrolledAt)) (\(time.zone.identifier))\n\n"
        var balances = Table(["active", "pending", "lifetime earned", "lifetime spent"], rightAligned: [0, 1, 2, 3])
        balances.add([grouped(b.active), grouped(b.pending), grouped(b.lifetimeEarned), grouped(b.lifetimeSpent)])
        out += balances.text + "\n"
        if b.active < 0 { out += "(a negative balance: later earnings pay it off first)\n" }
        out += "\nLots (spent and expired earliest first)\n"
        var lotTable = Table(["lot", "points", "remaining", "since", "expires", "order"], rightAligned: [0, 1, 2])
        for lot in lots {
            lotTable.add([
                String(lot.id), grouped(lot.points), grouped(lot.remaining), time.text(lot.createdAt),
                time.text(lot.expiresAt, none: "never"), lot.orderId ?? "",
            ])
        }
        out += (lots.isEmpty ? "(none)" : lotTable.text) + "\n\nLatest entries\n"
        var entryTable = Table(["entry", "when", "kind", "active", "pending", "order", "version", "reason"], rightAligned: [0, 3, 4, 6])
        for entry in entries {
            entryTable.add([
                String(entry.id), time.text(entry.occurredAt), entry.kind.rawValue, signed(entry.activeDelta),
                signed(entry.pendingDelta), entry.orderId ?? "", String(entry.programVersion),
                [entry.reason, entry.actor.map { "by \($0)" }].compactMap { $0 }.joined(separator: " "),
            ])
        }
        return out + (entries.isEmpty ? "(none)" : entryTable.text)
    }

    private func signed(_ value: Int64) -> String { value == 0 ? "" : value > 0 ? "+" + grouped(value) : grouped(value) }
}
