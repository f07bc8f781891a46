/// The shop's own limits for a program, declared in its `guardRails` section: `patron program compare` warns in words
/// when a draft breaks one.
public struct GuardRails: Sendable, Hashable {
    /// The most the program may cost, as a percentage of sales (`2` for 2 %).
    public var costShareOfSales: Rate?
    /// The most the points liability at the end of the period may grow over the current program's, in percent.
    public var liabilityGrowth: Rate?
    /// The share of members each level is meant to hold, in percent, by level name.
    public var levelShares: [String: Rate]

    /// Makes guard-rails.
    public init(costShareOfSales: Rate? = nil, liabilityGrowth: Rate? = nil, levelShares: [String: Rate] = [:]) {
        self.costShareOfSales = costShareOfSales
        self.liabilityGrowth = liabilityGrowth
        self.levelShares = levelShares
    }
}

extension Rate {
    /// The rate as a `Double` (for reports; points and money never go through it).
    public var doubleValue: Double { Double(numerator) / Double(denominator) }
}
