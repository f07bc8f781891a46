import Foundation
import Hummingbird
import PatronCore
import PatronServices

/// The staff pages about members: search (`/console/members?q=`), one member's page (`/console/members/{id}`), and the
/// member's actions — adjust points, set the level by hand, grant a coupon (changeMembers), export (exportMembers) and
/// erase (eraseMembers). Every action is a form, then a confirmation page that says what will happen, then the change,
/// applied once per form (its idempotency key) and audited with the staff account.
enum MemberPages {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/members", .viewMembers) { request, page in
            try await MemberSearchPage.show(request, page)
        }
        routes.staff(.get, "/console/members/{id}", .viewMembers) { request, page in
            try await MemberFilePage.show(request, page)
        }
        for action in MemberChange.allCases {
            routes.staff(.get, "/console/members/{id}/\(action.rawValue)", .changeMembers) { request, page in
                try await MemberChangePages.form(action, request, page)
            }
            routes.staff(.post, "/console/members/{id}/\(action.rawValue)", .changeMembers) { request, page in
                try await MemberChangePages.submit(action, request, page)
            }
        }
        routes.staff(.get, "/console/members/{id}/export", .exportMembers) { request, page in
            try await MemberDataPages.exportForm(request, page)
        }
        routes.staff(.post, "/console/members/{id}/export", .exportMembers) { request, page in
            try await MemberDataPages.export(request, page)
        }
        routes.staff(.get, "/console/members/{id}/erase", .eraseMembers) { request, page in
            try await MemberDataPages.eraseForm(request, page)
        }
        routes.staff(.post, "/console/members/{id}/erase", .eraseMembers) { request, page in
            try await MemberDataPages.erase(request, page)
        }
    }

    /// The member the path's `{id}` names, or `nil` when there is none (answer with `notFound`).
    static func member(_ page: StaffPage) async throws -> Member? {
        guard let text = page.parameter("id"), let id = Int64(text), id > 0 else { return nil }
        return try await page.context.store.member(id: id)
    }

    /// The 404 page for a path whose member does not exist.
    static func notFound(_ page: StaffPage) -> Response {
        page.error(.notFound, page.text("members.error.noMember").replacingOccurrences(of: "{id}", with: page.parameter("id") ?? ""))
    }

    /// The path of a member's page.
    static func path(_ id: Int64, _ suffix: String = "") -> String { "/console/members/\(id)\(suffix.isEmpty ? "" : "/" + suffix)" }

    /// A member's display name: the name, or "Member 42" (the erased are anonymous).
    static func displayName(_ member: Member, _ page: StaffPage) -> String {
        if let name = member.profile.name, !name.isEmpty { return name }
        return page.text("members.member") + " " + String(member.id)
    }

    /// The query of a GET request as a form (`+` and percent escapes decoded); `nil` when it cannot be read (a bad
    /// escape, a NUL character).
    static func query(_ request: Request) -> Form? {
        guard let query = request.uri.query, !query.isEmpty else { return Form() }
        return try? Form(urlEncoded: query)
    }

    /// `text` escaped for a URL's query value: everything but unreserved characters is percent-encoded.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
