import Foundation

/// What the what-if template shows: every value already formatted in the page's language.
enum ComparePageModels {
    /// One line of a current-against-draft table.
    struct Row: Sendable {
        let label: String
        let current: String
        let draft: String
        let change: String
    }

    /// One level at the end of the period under both programmes.
    struct LevelRow: Sendable {
        let level: String
        let currentThreshold: String
        let draftThreshold: String
        let currentMembers: String
        let draftMembers: String
    }

    /// The side-by-side summary of a comparison.
    struct Summary: Sendable {
        let period: String
        let orders: String
        let sales: String
        let redemption: String
        let sides: [Row]
        let rules: [Row]
        let levelRows: [LevelRow]
        let hasLevels: Bool
        let movedUp: String
        let movedDown: String
        let warnings: [String]
        let hasWarnings: Bool
        let notes: [String]
        let ledgerMatches: Bool
        let ledgerNumbers: String
    }

    /// `/console/program/compare`: the form (sent back as typed), its problem, and the summary once it ran.
    struct Page: Sendable {
        let source: String
        let months: String
        let levels: String
        let problem: String?
        let details: [String]
        let summary: Summary?
    }
}
