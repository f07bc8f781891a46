import Foundation
import PatronCore
import PatronStore

/// A member's data rights, audited: the export of everything held about them, and erasure.
public struct MemberDataRights: Sendable {
    let store: any Store

    /// Data rights over `store`.
    public init(store: any Store) { self.store = store }

    /// Everything held about a member; the export itself is recorded as `member.export`.
    public func export(member id: Int64, actor: String, at: Date) async throws -> MemberExport {
        let export = try await store.exportMember(id: id)
        _ = try await store.appendAudit(actor: actor, action: "member.export", subject: "member:\(id)", before: nil, after: nil, at: at)
        return export
    }

    /// Erases a member's personal data, recorded as `member.erase`. The record says what kinds of data went, never
    /// the data itself: an audit log that kept it would undo the erasure.
    public func erase(member id: Int64, actor: String, at: Date) async throws -> Member {
        guard let before = try await store.member(id: id) else { throw PatronError(.notFound, "no member \(id)") }
        let erased = try await store.eraseMember(id: id, at: at)
        _ = try await store.appendAudit(
            actor: actor, action: "member.erase", subject: "member:\(id)", before: try AuditTrail.json(ErasureState(before)),
            after: try AuditTrail.json(ErasureState(erased)), at: at)
        return erased
    }

    /// What an erasure changed, in counts and flags only.
    private struct ErasureState: Encodable {
        var identities: Int
        var hasProfile: Bool
        var erasedAt: Date?
        var activePoints: Int64

        init(_ member: Member) {
            identities = member.identities.count
            let profile = member.profile
            hasProfile = profile != Profile()
            erasedAt = member.erasedAt
            activePoints = member.balances.active
        }
    }
}
