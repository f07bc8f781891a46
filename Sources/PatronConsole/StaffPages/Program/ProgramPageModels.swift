import Foundation
import PatronCore
import PatronServices

/// What the programme pages show, already in words: the templates only lay it out.
enum ProgramPageModels {
    /// `/console/program`: the programme in force explained, and its versions.
    struct Index: Sendable {
        let explanation: ProgramExplanation?
        let hasLevels: Bool
        let hasActivities: Bool
        let hasRewards: Bool
        let hasPartners: Bool
        let versions: [VersionRow]
        let diffChoices: [DiffChoice]
        let canDiff: Bool
        let canChange: Bool
    }

    /// One stored version.
    struct VersionRow: Sendable {
        let version: Int
        let name: String
        let loadedAt: String
        let loadedBy: String
        let current: Bool
        let previous: Int?
    }

    /// A version offered in the diff form's two lists.
    struct DiffChoice: Sendable {
        let version: Int
        let label: String
        let selectedFrom: Bool
        let selectedTo: Bool
    }

    /// `/console/program/versions/{n}`: one version's file.
    struct Version: Sendable {
        let version: Int
        let name: String
        let loadedAt: String
        let loadedBy: String
        let lines: [SourceLine]
    }

    /// A numbered line of a program file.
    struct SourceLine: Sendable {
        let number: Int
        let text: String
    }

    /// A diff in words: the changed parts and the trimmed line diff.
    struct Diff: Sendable {
        let from: String
        let to: String
        let identical: Bool
        let changes: [ChangeRow]
        let lines: [DiffLine]
    }

    /// One changed part.
    struct ChangeRow: Sendable {
        let part: String
        let name: String
        let kind: String
        let kindClass: String
    }

    /// One line of the line diff; `gap` marks skipped unchanged lines before it.
    struct DiffLine: Sendable {
        let sign: String
        let kindClass: String
        let oldNumber: String
        let newNumber: String
        let text: String
        let gap: Bool
    }

    /// `/console/program/upload`: the form, with what was wrong with the last try.
    struct Upload: Sendable {
        let source: String
        let problem: String?
        let details: [String]
        let current: String?
    }

    /// The confirmation step before a validated upload is loaded.
    struct Confirm: Sendable {
        let source: String
        let name: String
        let diff: Diff
        let confirmError: String?
    }

    /// The diff of `diff` in `page`'s words between the labels `from` and `to`.
    static func diff(_ diff: ProgramDiff, from: String, to: String, page: StaffPage) -> Diff {
        var lines: [DiffLine] = []
        var lastOld = 0, lastNew = 0
        for line in diff.lines {
            // Lines skipped before this one (unchanged, far from any change).
            let gap = (line.oldNumber.map { $0 != lastOld + 1 } ?? false) || (line.newNumber.map { $0 != lastNew + 1 } ?? false)
            lines.append(
                DiffLine(
                    sign: line.kind == .added ? "+" : line.kind == .removed ? "−" : " ", kindClass: line.kind.rawValue,
                    oldNumber: line.oldNumber.map(String.init) ?? "", newNumber: line.newNumber.map(String.init) ?? "", text: line.text, gap: gap))
            if let old = line.oldNumber { lastOld = old }
            if let new = line.newNumber { lastNew = new }
        }
        let changes = diff.changes.map { change in
            ChangeRow(
                part: page.text("ops.diff.part.\(change.part.rawValue)"), name: change.name, kind: page.text("ops.diff.kind.\(change.kind.rawValue)"),
                kindClass: change.kind.rawValue)
        }
        return Diff(from: from, to: to, identical: diff.identical, changes: changes, lines: lines)
    }
}

extension ProgramExplanation.Language {
    /// The explanation language of a console language.
    init(_ language: ConsoleLanguage) {
        self = language == .simplifiedChinese ? .simplifiedChinese : .english
    }
}
