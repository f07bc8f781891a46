import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// The programme pages: `/console/program` explains the programme in force and lists its versions (viewProgram);
/// a version's file, the diff between two versions; uploading a new version (changeProgram) in two steps — the text
/// is validated and every problem shown with its path and line (nothing loaded), then a confirmation shows what would
/// change, then it is loaded and audited (`program.load`).
enum ProgramPages {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/program", .viewProgram) { _, page in try await index(page) }
        routes.staff(.get, "/console/program/versions/{version}", .viewProgram) { _, page in try await version(page) }
        routes.staff(.get, "/console/program/diff", .viewProgram) { request, page in try await diff(request, page) }
        routes.staff(.get, "/console/program/upload", .changeProgram) { _, page in
            let current = try await page.context.store.currentProgram()
            return page.render(
                "staff/program/upload", title: page.text("ops.upload.title"),
                ProgramPageModels.Upload(source: current?.source ?? "", problem: nil, details: [], current: current.map { "\($0.version)" }))
        }
        routes.staff(.post, "/console/program/upload", .changeProgram) { request, page in try await upload(request, page) }
        routes.staff(.post, "/console/program/load", .changeProgram) { request, page in try await load(request, page) }
    }

    static func index(_ page: StaffPage) async throws -> Response {
        let changes = ProgramChanges(context: page.context)
        let current = try await page.context.store.currentProgram()
        let explanation = current.map { ProgramExplanation(program: $0.program, language: .init(page.language)) }
        let versions = try await changes.versions()
        let rows = versions.enumerated().map { index, entry in
            ProgramPageModels.VersionRow(
                version: entry.summary.version, name: entry.summary.name, loadedAt: page.formats.instant(entry.summary.loadedAt),
                loadedBy: entry.loadedBy ?? page.text("ops.program.loadedByUnknown"), current: entry.summary.version == current?.version,
                previous: index + 1 < versions.count ? versions[index + 1].summary.version : nil)
        }
        let newest = versions.first?.summary.version, older = versions.dropFirst().first?.summary.version
        let choices = versions.map { entry in
            ProgramPageModels.DiffChoice(
                version: entry.summary.version, label: "\(entry.summary.version) · \(entry.summary.name)",
                selectedFrom: entry.summary.version == older, selectedTo: entry.summary.version == newest)
        }
        let model = ProgramPageModels.Index(
            explanation: explanation, hasLevels: !(explanation?.levels.isEmpty ?? true), hasActivities: !(explanation?.activities.isEmpty ?? true),
            hasRewards: !(explanation?.rewards.isEmpty ?? true), hasPartners: !(explanation?.partners.isEmpty ?? true), versions: rows,
            diffChoices: choices, canDiff: versions.count > 1, canChange: page.may(.changeProgram))
        return page.render("staff/program/index", title: page.text("ops.program.title"), model)
    }

    static func version(_ page: StaffPage) async throws -> Response {
        guard let number = page.parameter("version").flatMap(Int.init), number > 0 else {
            return page.error(.notFound, page.text("ops.program.noSuchVersion"))
        }
        let changes = ProgramChanges(context: page.context)
        guard let version = try await page.context.store.programVersion(number) else {
            return page.error(.notFound, page.text("ops.program.noSuchVersion"))
        }
        let loadedBy = try await changes.versions().first { $0.summary.version == number }?.loadedBy
        let lines = version.source.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ProgramPageModels.SourceLine(number: $0.offset + 1, text: String($0.element))
        }
        return page.render(
            "staff/program/version", title: "\(page.text("ops.program.version")) \(number)",
            ProgramPageModels.Version(
                version: number, name: version.program.name, loadedAt: page.formats.instant(version.loadedAt),
                loadedBy: loadedBy ?? page.text("ops.program.loadedByUnknown"), lines: lines))
    }

    static func diff(_ request: Request, _ page: StaffPage) async throws -> Response {
        let query = request.uri.queryParameters
        guard let from = query["from"].flatMap({ Int(String($0)) }), let to = query["to"].flatMap({ Int(String($0)) }) else {
            return page.error(.badRequest, page.text("ops.diff.needsTwo"))
        }
        let store = page.context.store
        guard let old = try await store.programVersion(from), let new = try await store.programVersion(to) else {
            return page.error(.notFound, page.text("ops.program.noSuchVersion"))
        }
        let versionWord = page.text("ops.program.version")
        let model = ProgramPageModels.diff(
            ProgramDiff(old: (old.program, old.source), new: (new.program, new.source)), from: "\(versionWord) \(from)", to: "\(versionWord) \(to)",
            page: page)
        return page.render("staff/program/diff", title: page.text("ops.diff.title"), model)
    }

    static func upload(_ request: Request, _ page: StaffPage) async throws -> Response {
        let form = try await page.form(request)
        let source = normalised(form["source"] ?? "")
        let current = try await page.context.store.currentProgram()
        guard !source.allSatisfy(\.isWhitespace) else {
            return page.render(
                "staff/program/upload", title: page.text("ops.upload.title"),
                ProgramPageModels.Upload(source: source, problem: page.text("ops.upload.empty"), details: [], current: current.map { "\($0.version)" }),
                status: .badRequest)
        }
        do {
            let proposal = try await ProgramChanges(context: page.context).check(source: source)
            return confirmation(proposal, page: page, confirmError: nil)
        } catch let error as PatronError where error.code == .invalidProgram {
            return page.render(
                "staff/program/upload", title: page.text("ops.upload.title"),
                ProgramPageModels.Upload(source: source, problem: error.message, details: error.details, current: current.map { "\($0.version)" }),
                status: .badRequest)
        }
    }

    static func load(_ request: Request, _ page: StaffPage) async throws -> Response {
        let form = try await page.form(request)
        let source = normalised(form["source"] ?? "")
        let changes = ProgramChanges(context: page.context)
        do {
            let proposal = try await changes.check(source: source)
            guard form["confirm"] == "yes" else {
                return confirmation(proposal, page: page, confirmError: page.text("ops.upload.confirmRequired"), status: .badRequest)
            }
            let loaded = try await changes.load(source: source, actor: page.actor)
            let notice = loaded.isNew
                ? page.text("ops.upload.loaded").replacingOccurrences(of: "{version}", with: "\(loaded.version)")
                : page.text("ops.upload.unchanged").replacingOccurrences(of: "{version}", with: "\(loaded.version)")
            return page.redirect("/console/program", notice: notice)
        } catch let error as PatronError where error.code == .invalidProgram {
            let current = try await page.context.store.currentProgram()
            return page.render(
                "staff/program/upload", title: page.text("ops.upload.title"),
                ProgramPageModels.Upload(source: source, problem: error.message, details: error.details, current: current.map { "\($0.version)" }),
                status: .badRequest)
        }
    }

    private static func confirmation(
        _ proposal: ProgramChanges.Proposal, page: StaffPage, confirmError: String?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let versionWord = page.text("ops.program.version")
        let diff = ProgramPageModels.diff(
            proposal.diff, from: proposal.current.map { "\(versionWord) \($0.version)" } ?? page.text("ops.diff.nothing"),
            to: page.text("ops.upload.thisUpload"), page: page)
        return page.render(
            "staff/program/confirm", title: page.text("ops.upload.confirmTitle"),
            ProgramPageModels.Confirm(source: proposal.source, name: proposal.program.name, diff: diff, confirmError: confirmError), status: status)
    }

    /// The text as a browser sends a textarea (CR LF line ends) made the same as the file on disk (LF), so the same
    /// file uploaded twice is the same version.
    static func normalised(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
