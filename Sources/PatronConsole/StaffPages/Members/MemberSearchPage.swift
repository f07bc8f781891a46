import Foundation
import Hummingbird
import PatronCore
import PatronServices

/// `/console/members?q=`: finds members by id, any identity (exact) or the start of their name (`MemberSearch`).
enum MemberSearchPage {
    struct Model: Sendable {
        let q: String
        let searched: Bool
        let hits: [Hit]
        let error: String?
        let limitNote: String?
    }

    struct Hit: Sendable {
        let href: String
        let id: String
        let name: String
        let erased: Bool
        let identities: String
        let matched: String
        let active: String
        let level: String
    }

    static func show(_ request: Request, _ page: StaffPage) async throws -> Response {
        let title = page.text("members.search.title")
        guard let query = MemberPages.query(request) else {
            return page.render(
                "staff/members/search", title: title, Model(q: "", searched: false, hits: [], error: page.text("members.search.badQuery"), limitNote: nil),
                status: .badRequest)
        }
        let q = query["q"] ?? ""
        let trimmed = q.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            return page.render("staff/members/search", title: title, Model(q: q, searched: false, hits: [], error: nil, limitNote: nil))
        }
        let hits: [MemberSearchHit]
        do {
            hits = try await MemberSearch(store: page.context.store).find(trimmed)
        } catch let error as PatronError where error.code == .invalidInput {
            return page.render(
                "staff/members/search", title: title, Model(q: q, searched: false, hits: [], error: page.text("members.search.badQuery"), limitNote: nil),
                status: .badRequest)
        }
        let now = page.context.clock.now()
        let rows = hits.map { hit in
            Hit(
                href: MemberPages.path(hit.member.id), id: String(hit.member.id), name: MemberPages.displayName(hit.member, page),
                erased: hit.member.isErased, identities: hit.member.identities.map(\.description).joined(separator: ", "),
                matched: ([hit.match] + hit.also).map { describe($0, page) }.joined(separator: "; "),
                active: page.formats.points(hit.member.balances.active),
                level: hit.member.level.effectiveLevel(at: now) ?? page.text("members.level.none"))
        }
        let note = hits.count >= MemberSearch.limit ? page.text("members.search.limit").replacingOccurrences(of: "{n}", with: String(MemberSearch.limit)) : nil
        return page.render("staff/members/search", title: title, Model(q: q, searched: true, hits: rows, error: nil, limitNote: note))
    }

    static func describe(_ match: MemberSearchHit.Match, _ page: StaffPage) -> String {
        switch match {
        case .id: page.text("members.search.matchedId")
        case .name: page.text("members.search.matchedName")
        case .identity(let identity): "\(MemberFilePage.kindLabel(identity.kind, page)): \(identity.value)"
        }
    }
}
