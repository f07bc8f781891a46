import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronStore

/// The segment use cases that the command line, the API and the console share: load definitions (audited), list,
/// show, preview, export, import a static segment's members from identities (audited), refresh, and follow changes.
public struct SegmentService: Sendable {
    let context: ServiceContext
    let trail: AuditTrail

    /// The use cases over `context`.
    public init(context: ServiceContext) {
        self.context = context
        trail = AuditTrail(store: context.store)
    }

    /// What a file may name now: the program's levels, currency and activities, the analytics labels, the stored segments.
    public func vocabulary() async throws -> SegmentVocabulary {
        let program = try await context.currentProgram().program
        var stored: [String: SegmentDefinition] = [:]
        for record in try await context.store.segments() { stored[record.name] = record.definition }
        return SegmentVocabulary(
            levels: program.levels?.levels.map(\.name) ?? [], currency: program.currency,
            activities: ActivityPolicy.builtIn.union(program.activities.activities.keys),
            labels: [
                .rfmSegment: RFMSegment.allCases.map(\.rawValue), .loyaltyStage: LoyaltyStage.allCases.map(\.rawValue),
                .loyaltyType: LoyaltyQuadrant.allCases.map(\.rawValue),
            ], stored: stored)
    }

    /// What loading did to each segment, and the members of each created or changed dynamic segment afterwards.
    public struct LoadOutcome: Sendable, Hashable, Codable {
        /// Each segment of the file, in file order.
        public var saved: [SegmentSaved]
        /// The refresh of each created or changed dynamic segment.
        public var refreshed: [SegmentRefresh]
    }

    /// Parses segments text (a segments file, or a program file with a `segments:` section) and stores every
    /// segment in one transaction; nothing is stored when any problem is found. Created and changed segments are
    /// audited (`segment.save`) and dynamic ones refreshed at once.
    public func load(text: String, actor: String) async throws -> LoadOutcome {
        try await save(try SegmentFile.parseAny(text, vocabulary: try await vocabulary()), actor: actor)
    }

    /// Stores validated definitions (see `load`).
    public func save(_ definitions: [SegmentDefinition], actor: String) async throws -> LoadOutcome {
        let now = context.clock.now()
        let before = Dictionary(uniqueKeysWithValues: try await context.store.segments().map { ($0.name, $0) })
        let saved = try await context.store.saveSegments(definitions, actor: actor, at: now)
        var refreshed: [SegmentRefresh] = []
        for item in saved where item.change != "unchanged" {
            try await trail.record(
                "segment.save", subject: "segment:\(item.segment.name)", actor: actor, before: before[item.segment.name].map(AuditedSegment.init),
                after: AuditedSegment(item.segment), at: now)
            if item.segment.kind == .dynamic {
                refreshed.append(try await context.store.refreshSegment(named: item.segment.name, at: now))
            }
        }
        return LoadOutcome(saved: saved, refreshed: refreshed)
    }

    /// A segment as the audit log records it: its version and definition.
    struct AuditedSegment: Encodable {
        var version: Int
        var definition: SegmentDefinition

        init(_ record: SegmentRecord) {
            version = record.version
            definition = record.definition
        }
    }

    /// Every segment, by name.
    public func list() async throws -> [SegmentRecord] { try await context.store.segments() }

    /// The segment named `name`, or `notFound`.
    public func segment(_ name: String) async throws -> SegmentRecord {
        guard let record = try await context.store.segment(named: name) else {
            throw PatronError(.notFound, "no segment is named '\(name)'; `patron segments list` shows them")
        }
        return record
    }

    /// The segment's count, shares and a sample: a dynamic segment as its condition selects now, a static one as
    /// imported.
    public func preview(_ name: String, sample: Int) async throws -> SegmentPreview {
        let record = try await segment(name)
        let condition = record.definition.condition ?? .segment(record.name)
        let counts = try await context.store.previewSegment(condition, at: context.clock.now(), sample: sample)
        var members: [Member] = []
        for id in counts.sample { if let member = try await context.store.member(id: id) { members.append(member) } }
        let currency = try await context.currentProgram().program.currency.code
        return SegmentPreview(
            segment: name, count: counts.count, members: counts.members,
            memberShare: counts.members == 0 ? 0 : Double(counts.count) / Double(counts.members), revenue12Months: counts.revenue12Months,
            totalRevenue12Months: counts.totalRevenue12Months,
            revenueShare: counts.totalRevenue12Months == 0 ? 0 : Double(counts.revenue12Months) / Double(counts.totalRevenue12Months),
            currency: currency, sample: members)
    }

    /// The SQL the segment's condition compiles to now.
    public func sql(_ name: String) async throws -> String? {
        let record = try await segment(name)
        guard let condition = record.definition.condition, let store = context.store as? SQLStore else { return nil }
        return try await store.segmentSQL(condition, at: context.clock.now())
    }

    /// Every stored member of the segment with their identities, by member id, a page at a time to `row`.
    public func export(_ name: String, row: (SegmentExportRow) throws -> Void) async throws {
        let record = try await segment(name)
        var after: Int64 = 0
        while true {
            let page = try await context.store.segmentMembers(segment: record.id, limit: 1_000, after: after)
            for item in page {
                let identities = try await context.store.member(id: item.memberId)?.identities.map(\.description) ?? []
                try row(SegmentExportRow(memberId: item.memberId, enteredAt: item.enteredAt, identities: identities))
            }
            guard let last = page.last else { break }
            after = last.memberId
        }
    }

    /// Replaces a static segment's members with the members a CSV of identities names. The first line is a header:
    /// `identity` (values as KIND:VALUE, such as customer:C1) or an identity kind (`customer`, `email`, `phone`, `card`,
    /// `social:wechat`; values plain). Any line that is malformed or names no member refuses the whole file, each
    /// reported with its line number (the first 20), and nothing changes. Audited as `segment.import`.
    public func importStatic(_ name: String, csv: String, actor: String) async throws -> SegmentRefresh {
        let record = try await segment(name)
        guard record.kind == .static else {
            throw PatronError(.invalidInput, "segment '\(name)' is dynamic: its members follow its condition and cannot be imported")
        }
        var lines = csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let header = lines.first.map(Self.field) else { throw PatronError(.invalidInput, "the file is empty; its first line names the column: identity or a kind") }
        let kinds = [Identity.customer, Identity.email, Identity.phone, Identity.card]
        guard header == "identity" || kinds.contains(header) || header.hasPrefix(Identity.socialPrefix) else {
            throw PatronError(.invalidInput, "line 1: the header '\(header)' must be identity, customer, email, phone, card or social:NETWORK")
        }
        var members: [Int64] = []
        var problems: [String] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let value = Self.field(line)
            if value.isEmpty { continue }
            do {
                let identity = header == "identity" ? try Identity(reference: value) : try Identity(kind: header, value: value)
                guard let member = try await context.store.member(identity: identity) else {
                    throw PatronError(.notFound, "no member has identity \(identity)")
                }
                members.append(member.id)
            } catch let error as PatronError {
                problems.append("line \(index + 1): \(error.message)")
            }
        }
        guard problems.isEmpty else {
            throw PatronError(
                .invalidInput, "\(problems.count) line\(problems.count == 1 ? "" : "s") of the file cannot be imported; nothing was changed",
                details: Array(problems.prefix(20)))
        }
        let now = context.clock.now()
        let outcome = try await context.store.replaceStaticSegmentMembers(segment: name, members: members, at: now)
        try await trail.record("segment.import", subject: "segment:\(name)", actor: actor, before: record.memberCount, after: outcome, at: now)
        return outcome
    }

    /// The first field of a CSV line, trimmed and unquoted.
    static func field(_ line: String) -> String {
        var text = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        text = text.trimmingCharacters(in: .whitespaces)
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") }
        return text
    }

    /// Re-evaluates one dynamic segment, or every dynamic segment, over all members.
    public func refresh(_ name: String?) async throws -> [SegmentRefresh] {
        let now = context.clock.now()
        let names: [String]
        if let name { names = [try await segment(name).name] } else { names = try await context.store.segments().filter { $0.kind == .dynamic }.map(\.name) }
        var results: [SegmentRefresh] = []
        for name in names { results.append(try await context.store.refreshSegment(named: name, at: now)) }
        return results
    }

    /// Re-evaluates members whose points or level changed since the last pass, until caught up.
    public func followChanges() async throws -> SegmentFollowUp {
        var total = SegmentFollowUp(members: 0, entered: 0, left: 0)
        let now = context.clock.now()
        while true {
            let pass = try await context.store.followSegmentChanges(at: now, limit: 100_000)
            total.members += pass.members
            total.entered += pass.entered
            total.left += pass.left
            if !pass.more { return total }
        }
    }
}

extension SegmentService {
    /// Every segment as the API and the console show it.
    public func summaries() async throws -> [SegmentSummary] {
        let digits = try await context.currentProgram().program.currency.minorDigits
        return try await list().map { SegmentSummary($0, minorDigits: digits) }
    }

    /// One segment as the API and the console show it.
    public func summary(_ name: String) async throws -> SegmentSummary {
        SegmentSummary(try await segment(name), minorDigits: try await context.currentProgram().program.currency.minorDigits)
    }

    /// `load`, answered with summaries.
    public func loadSummary(text: String, actor: String) async throws -> SegmentLoadSummary {
        let outcome = try await load(text: text, actor: actor)
        let digits = try await context.currentProgram().program.currency.minorDigits
        return SegmentLoadSummary(
            saved: outcome.saved.map { .init(segment: SegmentSummary($0.segment, minorDigits: digits), change: $0.change) }, refreshed: outcome.refreshed)
    }

    /// Replaces a static segment's members with those `identities` (KIND:VALUE) find; see `importStatic`.
    public func importIdentities(_ name: String, identities: [String], actor: String) async throws -> SegmentRefresh {
        for (index, identity) in identities.enumerated() where identity.contains(where: \.isNewline) {
            throw PatronError(.invalidInput, "identities[\(index)]: an identity has no line breaks")
        }
        let csv = (["identity"] + identities.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }).joined(separator: "\n")
        do {
            return try await importStatic(name, csv: csv, actor: actor)
        } catch var error as PatronError {
            // Line N of the CSV made here is identities[N - 2].
            error.details = error.details.map { detail in
                guard detail.hasPrefix("line "), let colon = detail.firstIndex(of: ":"), let line = Int(detail[detail.index(detail.startIndex, offsetBy: 5)..<colon]) else {
                    return detail
                }
                return "identities[\(line - 2)]" + detail[colon...]
            }
            error.message = error.message.replacingOccurrences(of: " of the file", with: "")
            throw error
        }
    }
}
