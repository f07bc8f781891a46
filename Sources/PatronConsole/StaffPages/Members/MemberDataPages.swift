import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// A member's data rights from the console: the export of everything held about them as a JSON download
/// (exportMembers; each download is audited as `member.export`) and erasure (eraseMembers; confirmed by typing the
/// member id, audited as `member.erase`). Both go through `MemberDataRights`, as the API and the command line do.
enum MemberDataPages {
    struct ExportModel: Sendable {
        let memberName: String
        let memberHref: String
        let action: String
    }

    struct EraseModel: Sendable {
        let memberName: String
        let memberHref: String
        let action: String
        let id: String
        let confirm: String
        let confirmError: String?
        let active: String
    }

    static func exportForm(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let member = try await MemberPages.member(page) else { return MemberPages.notFound(page) }
        return page.render(
            "staff/members/export", title: page.text("members.action.export"),
            ExportModel(memberName: MemberPages.displayName(member, page), memberHref: MemberPages.path(member.id), action: MemberPages.path(member.id, "export")))
    }

    /// The download: `member-ID.json`, never cached.
    static func export(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let member = try await MemberPages.member(page) else { return MemberPages.notFound(page) }
        let export = try await MemberDataRights(store: page.context.store).export(member: member.id, actor: page.actor, at: page.context.clock.now())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let body = try encoder.encode(export)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8", .contentDisposition: "attachment; filename=\"member-\(member.id).json\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func eraseForm(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let member = try await MemberPages.member(page) else { return MemberPages.notFound(page) }
        if member.isErased { return page.redirect(MemberPages.path(member.id), notice: page.text("members.done.alreadyErased")) }
        return drawErase(member, page, confirm: "", error: nil, status: .ok)
    }

    /// Erases when the typed confirmation is the member id; otherwise the form again (400), nothing erased.
    static func erase(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let member = try await MemberPages.member(page) else { return MemberPages.notFound(page) }
        if member.isErased { return page.redirect(MemberPages.path(member.id), notice: page.text("members.done.alreadyErased")) }
        let form = try await page.form(request)
        let typed = (form["confirm"] ?? "").trimmingCharacters(in: .whitespaces)
        guard typed == String(member.id) else {
            let kind: FieldProblem.Kind = typed.isEmpty ? .required : .mismatch
            return drawErase(member, page, confirm: form["confirm"] ?? "", error: page.text("members.problem.erase.\(kind.rawValue)"), status: .badRequest)
        }
        _ = try await MemberDataRights(store: page.context.store).erase(member: member.id, actor: page.actor, at: page.context.clock.now())
        return page.redirect(MemberPages.path(member.id), notice: page.text("members.done.erased"))
    }

    private static func drawErase(_ member: Member, _ page: StaffPage, confirm: String, error: String?, status: HTTPResponse.Status) -> Response {
        page.render(
            "staff/members/erase", title: page.text("members.action.erase"),
            EraseModel(
                memberName: MemberPages.displayName(member, page), memberHref: MemberPages.path(member.id), action: MemberPages.path(member.id, "erase"),
                id: String(member.id), confirm: confirm, confirmError: error, active: page.formats.points(member.balances.active)),
            status: status)
    }
}
