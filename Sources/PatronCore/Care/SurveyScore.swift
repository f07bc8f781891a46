import Foundation

/// Where an NPS answer (0–10) falls: promoters 9–10, passives 7–8, detractors 0–6.
public enum NPSCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// 9 or 10.
    case promoter
    /// 7 or 8.
    case passive
    /// 0 to 6.
    case detractor

    /// The category of a score from 0 to 10.
    public init(score: Int) {
        switch score {
        case 9...: self = .promoter
        case 7...8: self = .passive
        default: self = .detractor
        }
    }
}

/// The checks an answer must pass before anything is written.
public enum SurveyScore {
    /// The NPS scale.
    public static let npsRange = 0...10
    /// The CSAT scale.
    public static let csatRange = 1...5
    /// The longest comment kept.
    public static let commentLimit = 2_000

    /// Throws `invalidInput` naming the field when the score is off the scale.
    public static func check(_ score: Int, in range: ClosedRange<Int>, field: String) throws {
        guard range.contains(score) else {
            throw PatronError(.invalidInput, "\(field): must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(score)")
        }
    }

    /// Throws `invalidInput` when the comment is too long or holds a NUL character.
    public static func check(comment: String?, field: String = "comment") throws {
        guard let comment else { return }
        try FreeText.check(comment, field: field, maximumLength: commentLimit)
    }
}
