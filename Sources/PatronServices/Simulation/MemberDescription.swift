import Foundation
import PatronCore

/// A member described by hand, for what-if simulations and quotes: the facts the earning rules look at.
public struct MemberDescription: Sendable, Hashable {
    /// The level's name, or `nil` for none.
    public var level: String?
    /// The member's tags.
    public var tags: Set<String>
    /// The birthday.
    public var birthday: LocalDate?
    /// Whether this is the member's first order.
    public var isFirstOrder: Bool

    /// Makes a description.
    public init(level: String? = nil, tags: Set<String> = [], birthday: LocalDate? = nil, isFirstOrder: Bool = false) {
        self.level = level
        self.tags = tags
        self.birthday = birthday
        self.isFirstOrder = isFirstOrder
    }

    /// The earning context at `instant` under `program`; a level the program does not have is `invalidInput`.
    public func context(under program: Program, at instant: Date) throws -> EarningContext {
        try EarningContext.described(for: program, at: instant, level: level, tags: tags, birthday: birthday, isFirstOrder: isFirstOrder)
    }
}
