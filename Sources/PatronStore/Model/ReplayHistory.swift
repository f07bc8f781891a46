import Foundation
import PatronCore

/// Everything a what-if replay reads from the store (`Store.replayHistory()`): the program versions, the members'
/// profiles, every order with its lines, amounts and event times, and the ledger's own account of each order's points.
public struct ReplayHistory: Sendable {
    /// One loaded program version.
    public struct Version: Sendable {
        /// The version number.
        public var version: Int
        /// The program text as loaded.
        public var source: String
        /// When it was loaded (it is in force from then until the next).
        public var loadedAt: Date
    }

    /// What the earning rules and levels read about a member.
    public struct Member: Sendable {
        /// The member id.
        public var id: Int64
        /// When the member joined.
        public var enrolledAt: Date
        /// The profile birthday.
        public var birthday: LocalDate?
        /// The profile tags.
        public var tags: Set<String>
    }

    /// An order as recorded, with the times of its events.
    public struct Order: Sendable {
        /// The order id.
        public var id: String
        /// The member.
        public var memberId: Int64
        /// Its state now.
        public var status: OrderRecord.Status
        /// When it was placed.
        public var placedAt: Date
        /// When it was completed.
        public var completedAt: Date?
        /// When its pending period ends (or ended).
        public var activatesAt: Date?
        /// When it was first returned (for orders recorded before v16, the ledger's first reversal); `nil` when
        /// nothing was returned.
        public var returnedAt: Date?
        /// When it was cancelled (for orders recorded before v16, the ledger's void entry); `nil` when it was not.
        public var cancelledAt: Date?
        /// Goods' value after all discounts, as placed.
        public var amount: Int64
        /// Shipping charged (0 for orders recorded before v16).
        public var shipping: Int64
        /// Tax charged (0 for orders recorded before v16).
        public var tax: Int64
        /// The sales channel (`nil` for orders recorded before v16).
        public var channel: String?
        /// Points the member paid with.
        public var pointsUsed: Int64
        /// The lines with their returned quantities now.
        public var lines: [RecordedLine]
        /// Points earned when placed.
        public var points: Int64
        /// Points reversed by returns.
        public var reversedPoints: Int64
        /// The program version that priced it.
        public var programVersion: Int
        /// The ledger's net order points for it: pending − voided − reversed (0 for a cancelled order).
        public var ledgerPoints: Int64
        /// Millionths of a point its marketing campaigns' order rules gave it (the `campaign:NAME` parts of its stored
        /// earning breakdown, within their budgets as they ran); a replay adds them to any program's points unchanged.
        public var campaignMicropoints: Int64 = 0
    }

    /// A credit that is not an order's (activities, referrals, birthday gifts, adjustments): points-based levels count
    /// it, and it is the same in every replay.
    public struct Credit: Sendable {
        /// The member.
        public var memberId: Int64
        /// When.
        public var at: Date
        /// Active points added (negative for a reversal).
        public var points: Int64
    }

    /// A level set by hand (`patron member set-level`, the API, the console), as staff set it.
    public struct Override: Sendable {
        /// The member.
        public var memberId: Int64
        /// When it was set.
        public var at: Date
        /// The level set.
        public var level: String
        /// When it ends.
        public var until: Date
        /// Why, as given.
        public var reason: String

        /// Makes an override record.
        public init(memberId: Int64, at: Date, level: String, until: Date, reason: String) {
            self.memberId = memberId
            self.at = at
            self.level = level
            self.until = until
            self.reason = reason
        }
    }

    /// Every version, oldest first.
    public var versions: [Version]
    /// Every member, by id.
    public var members: [Member]
    /// Every order, oldest first.
    public var orders: [Order]
    /// Credits that are not an order's, oldest first (read only when asked).
    public var credits: [Credit]
    /// The levels set by hand, oldest first: a replay sets each at its instant, on every side.
    public var overrides: [Override] = []
    /// The ledger's quarter hours, as `Store.ledgerQuarterHours()` gives them, read in the same pass.
    public var quarterHours: [LedgerQuarterHour] = []
    /// Σ positive active balances now: the points outstanding.
    public var outstanding: Int64

    /// Makes a history (tests build them by hand).
    public init(versions: [Version], members: [Member], orders: [Order], credits: [Credit], outstanding: Int64) {
        self.outstanding = outstanding
        self.versions = versions
        self.members = members
        self.orders = orders
        self.credits = credits
    }
}
