import PatronCore

/// What changed between two program versions: a line diff of their files and a summary by part (levels, earning
/// rules, rewards and the settings around them), so staff see both what the file says and what it means.
public struct ProgramDiff: Sendable, Hashable {
    /// One line of the line diff.
    public struct Line: Sendable, Hashable {
        /// Whether the line is in both files, only the old one or only the new one.
        public enum Kind: String, Sendable, Hashable {
            /// In both.
            case same
            /// Only in the old file.
            case removed
            /// Only in the new file.
            case added
        }

        /// Where the line is.
        public var kind: Kind
        /// Its number in the old file (nil when added).
        public var oldNumber: Int?
        /// Its number in the new file (nil when removed).
        public var newNumber: Int?
        /// The line's text.
        public var text: String
    }

    /// One changed part of the program.
    public struct Change: Sendable, Hashable {
        /// Which part of the program.
        public enum Part: String, Sendable, Hashable, CaseIterable {
            /// A level (by name).
            case level
            /// An earning rule (by name).
            case rule
            /// A reward (by id).
            case reward
            /// A setting (by its key in the file).
            case setting
        }

        /// How it changed.
        public enum Kind: String, Sendable, Hashable {
            /// New in the new version.
            case added
            /// Gone from the new version.
            case removed
            /// In both, different.
            case changed
        }

        /// The part.
        public var part: Part
        /// The level or rule name, the reward id or the setting key.
        public var name: String
        /// How it changed.
        public var kind: Kind

        /// Makes a value.
        public init(part: Part, name: String, kind: Kind) {
            self.part = part
            self.name = name
            self.kind = kind
        }
    }

    /// The line diff; lines in both files far from any change are left out (see `context`).
    public var lines: [Line]
    /// The changed parts, levels first, then rules, rewards and settings.
    public var changes: [Change]
    /// Whether the two files are the same text.
    public var identical: Bool { !lines.contains { $0.kind != .same } }

    /// How many unchanged lines are kept around each change.
    public static let context = 3
    /// Files longer than this many lines are compared as wholly replaced (the diff is quadratic).
    public static let maximumLines = 4_000

    /// The difference from `old` to `new` (either may be absent: the first version is all added).
    public init(old: (program: Program, source: String)?, new: (program: Program, source: String)) {
        lines = Self.lineDiff(old?.source ?? "", new.source)
        changes = old.map { Self.summary($0.program, new.program) } ?? Self.summary(nil, new.program)
    }

    /// The line diff of two texts, trimmed to the changes and `context` lines around them.
    static func lineDiff(_ oldText: String, _ newText: String) -> [Line] {
        let a = oldText.isEmpty ? [] : oldText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = newText.isEmpty ? [] : newText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var all: [Line] = []
        if a.count > maximumLines || b.count > maximumLines {
            all = a.enumerated().map { Line(kind: .removed, oldNumber: $0.offset + 1, newNumber: nil, text: $0.element) }
                + b.enumerated().map { Line(kind: .added, oldNumber: nil, newNumber: $0.offset + 1, text: $0.element) }
        } else {
            // Longest common subsequence, from the ends, then walked from the start.
            let n = a.count, m = b.count
            var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
            if n > 0 && m > 0 {
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for j in stride(from: m - 1, through: 0, by: -1) {
                        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                    }
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, a[i] == b[j] {
                    all.append(Line(kind: .same, oldNumber: i + 1, newNumber: j + 1, text: a[i]))
                    i += 1
                    j += 1
                } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                    // Removed lines before added ones, as diff tools show a replaced line.
                    all.append(Line(kind: .removed, oldNumber: i + 1, newNumber: nil, text: a[i]))
                    i += 1
                } else {
                    all.append(Line(kind: .added, oldNumber: nil, newNumber: j + 1, text: b[j]))
                    j += 1
                }
            }
        }
        let changed = all.indices.filter { all[$0].kind != .same }
        guard !changed.isEmpty else { return [] }
        var keep = Set<Int>()
        for index in changed { keep.formUnion(max(0, index - context)...min(all.count - 1, index + context)) }
        return all.indices.filter(keep.contains).map { all[$0] }
    }

    /// The changed parts from `old` (nil: nothing before) to `new`.
    static func summary(_ old: Program?, _ new: Program) -> [Change] {
        var changes: [Change] = []
        func compare<T: Equatable>(_ part: Change.Part, _ before: [(String, T)], _ after: [(String, T)]) {
            let beforeByName = Dictionary(before, uniquingKeysWith: { first, _ in first })
            let afterNames = Set(after.map(\.0))
            for (name, value) in after {
                if let previous = beforeByName[name] {
                    if previous != value { changes.append(Change(part: part, name: name, kind: .changed)) }
                } else {
                    changes.append(Change(part: part, name: name, kind: .added))
                }
            }
            for (name, _) in before where !afterNames.contains(name) { changes.append(Change(part: part, name: name, kind: .removed)) }
        }
        compare(.level, old?.levels?.levels.map { ($0.name, $0) } ?? [], new.levels?.levels.map { ($0.name, $0) } ?? [])
        compare(.rule, old?.earning.rules.map { ($0.name, $0) } ?? [], new.earning.rules.map { ($0.name, $0) } ?? [])
        compare(.reward, old?.rewards.map { ($0.id, $0) } ?? [], new.rewards.map { ($0.id, $0) } ?? [])
        let settings: [(String, (Program) -> AnyHashable?)] = [
            ("name", { $0.name }), ("currency", { $0.currency.code }), ("timeZone", { $0.timeZone.identifier }),
            ("enrollment", { $0.enrollment }),
            ("levels", { $0.levels.map { policy -> LevelPolicy in
                var settings = policy
                settings.levels = []
                return settings
            } }),
            ("earning.base", { $0.earning.base }), ("earning.rounding", { $0.earning.rounding.rawValue }),
            ("pointsAsPayment", { $0.pointsAsPayment }), ("activities", { $0.activities }), ("referral", { $0.referral }),
            ("transfers", { $0.transfers }), ("partners", { $0.partners }), ("pendingDays", { $0.pendingDays }), ("expiry", { $0.expiry }),
        ]
        for (key, read) in settings {
            let before = old.flatMap(read), after = read(new)
            if old == nil { if after != nil { changes.append(Change(part: .setting, name: key, kind: .added)) }; continue }
            switch (before, after) {
            case (nil, nil): break
            case (nil, _): changes.append(Change(part: .setting, name: key, kind: .added))
            case (_, nil): changes.append(Change(part: .setting, name: key, kind: .removed))
            case (let b?, let a?): if a != b { changes.append(Change(part: .setting, name: key, kind: .changed)) }
            }
        }
        return changes
    }
}
