import Foundation
import PatronCore
import PatronFiles
import PatronStore

/// Changing the program: its versions with who loaded each, the difference between two versions, and loading a new
/// version in two steps — `check` validates the text and shows what would change (nothing written), `load` loads it
/// and records `program.load` in the audit trail with its actor. The console and `patron program load` share it.
public struct ProgramChanges: Sendable {
    /// One stored version and who loaded it.
    public struct Version: Sendable, Hashable {
        /// The version number and name and when it was loaded.
        public var summary: ProgramVersionSummary
        /// The actor the audit trail names for the load; `nil` for a version loaded before loads were audited.
        public var loadedBy: String?
    }

    /// A validated upload and what loading it would change.
    public struct Proposal: Sendable {
        /// The program read from the text.
        public var program: Program
        /// The text as uploaded.
        public var source: String
        /// The version in force now, if any.
        public var current: ProgramVersion?
        /// From the version in force to the upload.
        public var diff: ProgramDiff
    }

    let context: ServiceContext

    /// The use case over `context`.
    public init(context: ServiceContext) { self.context = context }

    /// Every version, newest first, with who loaded it.
    public func versions() async throws -> [Version] {
        var out: [Version] = []
        for summary in try await context.store.programVersions() {
            let record = try await context.store.auditLog(after: 0, limit: 1, subject: Self.subject(summary.version)).first
            out.append(Version(summary: summary, loadedBy: record?.actor))
        }
        return out
    }

    /// One version with its text; `notFound` names the number when there is none.
    public func version(_ number: Int) async throws -> ProgramVersion {
        guard let version = try await context.store.programVersion(number) else {
            throw PatronError(.notFound, "there is no program version \(number)")
        }
        return version
    }

    /// The difference from version `old` to version `new`.
    public func diff(from old: Int, to new: Int) async throws -> ProgramDiff {
        let before = try await version(old), after = try await version(new)
        return ProgramDiff(old: (before.program, before.source), new: (after.program, after.source))
    }

    /// Validates `source` and compares it with the version in force; writes nothing. Throws `invalidProgram` with every
    /// problem (its path and line) in `details`, exactly as `patron program validate` reports them.
    public func check(source: String) async throws -> Proposal {
        let program = try ProgramFile.parse(source)
        try await checkSegments(program, source: source)
        let current = try await context.store.currentProgram()
        return Proposal(
            program: program, source: source, current: current,
            diff: ProgramDiff(old: current.map { ($0.program, $0.source) }, new: (program, source)))
    }

    /// Validates and loads `source` as the new version (the same text as the version in force changes nothing) and
    /// records `program.load` by `actor`: the version before and after.
    public func load(source: String, actor: String) async throws -> ProgramVersion {
        let program = try ProgramFile.parse(source)
        let before = try await context.store.currentProgram()
        let loaded = try await context.store.loadProgram(program, source: source)
        if loaded.isNew {
            try await AuditTrail(store: context.store).record(
                "program.load", subject: Self.subject(loaded.version), actor: actor,
                before: before.map { Loaded(version: $0.version, name: $0.program.name) },
                after: Loaded(version: loaded.version, name: program.name), at: context.clock.now())
        }
        return loaded
    }

    /// Refuses message triggers naming a segment the store does not have (nor the text's own `segments:` section), as
    /// the store's load does: so the check before a load reports it with the file's other problems.
    public func checkSegments(_ program: Program, source: String) async throws {
        guard program.messages?.triggers.contains(where: { $0.segment != nil }) == true else { return }
        try ProgramFile.checkSegments(source, stored: Set(try await context.store.segments().map(\.definition.name)))
    }

    /// The audit subject of a version.
    static func subject(_ version: Int) -> String { "program:\(version)" }

    /// A version as the audit trail records it.
    private struct Loaded: Encodable {
        var version: Int
        var name: String
    }
}
