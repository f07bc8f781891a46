import Foundation

/// What the rules may know about the member and the moment of an order.
public struct EarningContext: Sendable, Hashable {
    /// When the order was placed.
    public var at: Date
    /// The member's level name, if any.
    public var level: String?
    /// The member's tags.
    public var tags: Set<String>
    /// The member's birthday.
    public var birthday: LocalDate?
    /// Whether this is the member's first order.
    public var isFirstOrder: Bool
    /// How often each rule (by name) has applied to the member in the windows around `at`.
    public var usage: [String: RuleUsage]

    /// Makes a context.
    public init(
        at: Date, level: String? = nil, tags: Set<String> = [], birthday: LocalDate? = nil, isFirstOrder: Bool = false,
        usage: [String: RuleUsage] = [:]
    ) {
        self.at = at
        self.level = level
        self.tags = tags
        self.birthday = birthday
        self.isFirstOrder = isFirstOrder
        self.usage = usage
    }

    /// A member described by hand, for simulations: throws `invalidInput` when `level` is not one of the program's.
    public static func described(
        for program: Program, at: Date, level: String?, tags: Set<String>, birthday: LocalDate?, isFirstOrder: Bool
    ) throws -> EarningContext {
        if let level, program.levels?.level(named: level) == nil {
            let known = program.levels?.levels.map(\.name).joined(separator: ", ") ?? "it has none"
            throw PatronError(.invalidInput, "level '\(level)' is not a level of \(program.name): \(known)")
        }
        return EarningContext(at: at, level: level, tags: tags, birthday: birthday, isFirstOrder: isFirstOrder)
    }
}
