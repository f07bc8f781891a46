import Foundation

/// The result of replaying a shop's orders through its current program and through a draft
/// (`patron program compare`), side by side. Points are integers; money is in minor units (`Double` where a point
/// value or a redemption rate makes it fractional).
public struct ProgramComparison: Sendable, Hashable, Codable {
    /// One program's figures over the period.
    public struct Side: Sendable, Hashable, Codable {
        /// The program's name, and for the current side the versions that were in force ("versions 1–3").
        public var label: String
        /// Points the period's orders earned, net of cancellations and returns.
        public var orderPoints: Int64
        /// Points credited outside orders in the period (activities, referrals, gifts), the same on both sides.
        public var otherPoints: Int64
        /// orderPoints + otherPoints.
        public var issued: Int64
        /// The value of a point, minor units.
        public var pointValue: Double
        /// issued × point value × expected redemption rate, minor units.
        public var expectedCost: Double
        /// expectedCost ÷ sales.
        public var costShareOfSales: Double?
        /// Points outstanding at the end of the period.
        public var outstandingAtEnd: Int64
        /// outstanding × point value × expected redemption rate, minor units.
        public var liabilityAtEnd: Double
        /// Points of the period's issue expected never to be redeemed: issued × (1 − rate).
        public var breakagePoints: Int64
        /// Members per level at the end, in the levels' order (the last entry: members with no level).
        public var levelCounts: [Int]

        /// Makes a value.
        public init(label: String, orderPoints: Int64, otherPoints: Int64, issued: Int64, pointValue: Double, expectedCost: Double, costShareOfSales: Double?, outstandingAtEnd: Int64, liabilityAtEnd: Double, breakagePoints: Int64, levelCounts: [Int]) {
            self.label = label
            self.orderPoints = orderPoints
            self.otherPoints = otherPoints
            self.issued = issued
            self.pointValue = pointValue
            self.expectedCost = expectedCost
            self.costShareOfSales = costShareOfSales
            self.outstandingAtEnd = outstandingAtEnd
            self.liabilityAtEnd = liabilityAtEnd
            self.breakagePoints = breakagePoints
            self.levelCounts = levelCounts
        }
    }

    /// One earning rule's points on each side.
    public struct RuleRow: Sendable, Hashable, Codable {
        /// The rule's name; `returns` and `rounding` are the reversals and the per-order rounding, and
        /// `RuleRow.campaigns` the marketing campaigns' order points, the same on both sides.
        public var rule: String
        /// Points under the current program (the versions in force).
        public var current: Int64
        /// Points under the draft.
        public var draft: Int64
        /// draft − current.
        public var change: Int64 { draft - current }
        /// The row of the marketing campaigns' order bonuses and multipliers, replayed as they ran on both sides.
        public static let campaigns = "marketing campaigns, as they ran"

        /// Makes a row.
        public init(rule: String, current: Int64, draft: Int64) {
            self.rule = rule
            self.current = current
            self.draft = draft
        }

        enum CodingKeys: String, CodingKey { case rule, current, draft, change }

        /// Encodes the row with its change.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(current, forKey: .current)
            try c.encode(draft, forKey: .draft)
            try c.encode(change, forKey: .change)
        }

        /// Decodes a row (the change is derived).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rule = try c.decode(String.self, forKey: .rule)
            current = try c.decode(Int64.self, forKey: .current)
            draft = try c.decode(Int64.self, forKey: .draft)
        }
    }

    /// One level, side by side.
    public struct LevelRow: Sendable, Hashable, Codable {
        /// The level's name.
        public var level: String
        /// Its threshold in the current program (minor units for spend, a count otherwise).
        public var currentThreshold: Int64?
        /// Its threshold in the draft.
        public var draftThreshold: Int64?
        /// Members holding it at the end under each program.
        public var currentMembers: Int
        /// Members holding it at the end under the draft.
        public var draftMembers: Int
        /// The share it is meant to hold (guard-rails), 0…1.
        public var intendedShare: Double?
        /// The threshold that would give the level and those above it their intended shares of the members at the end
        /// (the textbook's "fixed shares" view), from the members' qualifying values under the draft's metric.
        public var thresholdForIntendedShare: Int64?

        /// Makes a value.
        public init(level: String, currentThreshold: Int64?, draftThreshold: Int64?, currentMembers: Int, draftMembers: Int, intendedShare: Double?, thresholdForIntendedShare: Int64?) {
            self.level = level
            self.currentThreshold = currentThreshold
            self.draftThreshold = draftThreshold
            self.currentMembers = currentMembers
            self.draftMembers = draftMembers
            self.intendedShare = intendedShare
            self.thresholdForIntendedShare = thresholdForIntendedShare
        }
    }

    /// The level counts at the end of one month, for the drift.
    public struct Month: Sendable, Hashable, Codable {
        /// `yyyy-MM`.
        public var month: String
        /// Members per level under the current program (levels' order, then no level).
        public var current: [Int]
        /// Members per level under the draft.
        public var draft: [Int]

        /// Makes a value.
        public init(month: String, current: [Int], draft: [Int]) {
            self.month = month
            self.current = current
            self.draft = draft
        }
    }

    /// How many members gain or lose, and how much, in one group.
    public struct ChangeGroup: Sendable, Hashable, Codable {
        /// The group: a level name, an RFM segment or a band of change.
        public var group: String
        /// Members with orders in the period.
        public var members: Int
        /// Members who earn more under the draft.
        public var gainers: Int
        /// Members who earn less.
        public var losers: Int
        /// Σ (draft − current) points.
        public var totalChange: Int64
        /// Mean change per member, points.
        public var meanChange: Double

        /// Makes a value.
        public init(group: String, members: Int, gainers: Int, losers: Int, totalChange: Int64, meanChange: Double) {
            self.group = group
            self.members = members
            self.gainers = gainers
            self.losers = losers
            self.totalChange = totalChange
            self.meanChange = meanChange
        }
    }

    /// Whether the replay of the current program equals the ledger.
    public struct LedgerCheck: Sendable, Hashable, Codable {
        /// Orders of the period compared.
        public var orders: Int
        /// The ledger's net order points for them.
        public var ledgerPoints: Int64
        /// The replay's.
        public var replayPoints: Int64
        /// Orders whose replayed points differ from the ledger's.
        public var differingOrders: Int
        /// A few differing order ids, for a look.
        public var examples: [String]
        /// Whether replay and ledger agree to the point.
        public var matches: Bool { differingOrders == 0 && ledgerPoints == replayPoints }

        enum CodingKeys: String, CodingKey { case orders, ledgerPoints, replayPoints, differingOrders, examples, matches }

        /// Makes a check.
        public init(orders: Int, ledgerPoints: Int64, replayPoints: Int64, differingOrders: Int, examples: [String]) {
            self.orders = orders
            self.ledgerPoints = ledgerPoints
            self.replayPoints = replayPoints
            self.differingOrders = differingOrders
            self.examples = examples
        }

        /// Encodes the check with its verdict.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(orders, forKey: .orders)
            try c.encode(ledgerPoints, forKey: .ledgerPoints)
            try c.encode(replayPoints, forKey: .replayPoints)
            try c.encode(differingOrders, forKey: .differingOrders)
            try c.encode(examples, forKey: .examples)
            try c.encode(matches, forKey: .matches)
        }

        /// Decodes a check.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            orders = try c.decode(Int.self, forKey: .orders)
            ledgerPoints = try c.decode(Int64.self, forKey: .ledgerPoints)
            replayPoints = try c.decode(Int64.self, forKey: .replayPoints)
            differingOrders = try c.decode(Int.self, forKey: .differingOrders)
            examples = try c.decode([String].self, forKey: .examples)
        }
    }

    /// A guard-rail the draft breaks.
    public struct Warning: Sendable, Hashable, Codable {
        /// Which rail: `costShareOfSales`, `levelShares` or `liabilityGrowth`.
        public var rail: String
        /// The level, for `levelShares`.
        public var level: String?
        /// What the draft gives (a share, 0…1).
        public var actual: Double
        /// The rail's limit (a share, 0…1).
        public var limit: Double
        /// The warning in words (English).
        public var message: String

        /// Makes a warning.
        public init(rail: String, level: String? = nil, actual: Double, limit: Double, message: String) {
            self.rail = rail
            self.level = level
            self.actual = actual
            self.limit = limit
            self.message = message
        }
    }

    /// The program's currency (ISO 4217).
    public var currency: String
    /// Minor units per major unit.
    public var minorPerMajor: Int64
    /// The first local day of the period (`yyyy-MM-dd`).
    public var from: String
    /// The last local day of the period.
    public var to: String
    /// Orders placed in the period (cancelled ones included).
    public var orders: Int
    /// Goods' value kept of the period's orders, minor units.
    public var sales: Int64
    /// The expected redemption rate used, 0…1.
    public var redemptionRate: Double
    /// Where the rate came from, in words.
    public var redemptionRateSource: String
    /// Where the rate came from: `history`, `given`, `default_year_one` …
    public var redemptionRateSourceCode: String
    /// The current program (the versions in force).
    public var current: Side
    /// The draft.
    public var draft: Side
    /// Points by rule, the largest change first.
    public var rules: [RuleRow]
    /// Levels, lowest first (empty without levels).
    public var levels: [LevelRow]
    /// What the level thresholds count: `spend` (minor units), `orders` or `points`; `nil` without levels.
    public var levelMetric: String?
    /// Level counts at each month's end.
    public var drift: [Month]
    /// Members whose level at the end is higher under the draft.
    public var movedUp: Int
    /// Members whose level at the end is lower.
    public var movedDown: Int
    /// The members' change of points, in bands from "loses more than 50 %" to "gains more than 50 %".
    public var changeBands: [ChangeGroup]
    /// The change by the member's level at the end under the current program.
    public var changeByLevel: [ChangeGroup]
    /// The change by RFM segment (as of the period's end).
    public var changeBySegment: [ChangeGroup]
    /// The replay of the current program against the ledger.
    public var ledgerCheck: LedgerCheck
    /// Guard-rails the draft breaks.
    public var warnings: [Warning]
    /// What the replay could not do exactly, in words.
    public var notes: [String]

    /// Makes a comparison (the replay in PatronServices builds it).
    public init(
        currency: String, minorPerMajor: Int64, from: String, to: String, orders: Int, sales: Int64, redemptionRate: Double,
        redemptionRateSource: String, redemptionRateSourceCode: String, current: Side, draft: Side, rules: [RuleRow], levels: [LevelRow], levelMetric: String?, drift: [Month], movedUp: Int,
        movedDown: Int, changeBands: [ChangeGroup], changeByLevel: [ChangeGroup], changeBySegment: [ChangeGroup], ledgerCheck: LedgerCheck,
        warnings: [Warning], notes: [String]
    ) {
        self.currency = currency
        self.minorPerMajor = minorPerMajor
        self.from = from
        self.to = to
        self.orders = orders
        self.sales = sales
        self.redemptionRate = redemptionRate
        self.redemptionRateSource = redemptionRateSource
        self.redemptionRateSourceCode = redemptionRateSourceCode
        self.current = current
        self.draft = draft
        self.rules = rules
        self.levels = levels
        self.levelMetric = levelMetric
        self.drift = drift
        self.movedUp = movedUp
        self.movedDown = movedDown
        self.changeBands = changeBands
        self.changeByLevel = changeByLevel
        self.changeBySegment = changeBySegment
        self.ledgerCheck = ledgerCheck
        self.warnings = warnings
        self.notes = notes
    }
}
