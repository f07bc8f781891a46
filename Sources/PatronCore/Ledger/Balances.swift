/// A member's point balances. Cached on the member, always equal to the sums over the ledger.
public struct Balances: Sendable, Hashable, Codable {
    /// Points the member can spend now. Negative when returns took back more than the member held: that is a debt
    /// that later earnings pay off first.
    public var active: Int64
    /// Points earned by orders still inside their pending period.
    public var pending: Int64
    /// Points ever earned (activated or credited by rules), net of reversals.
    public var lifetimeEarned: Int64
    /// Points ever spent (redeemed or transferred out), net of reversed redemptions.
    public var lifetimeSpent: Int64

    /// Zero balances.
    public static let zero = Balances(active: 0, pending: 0, lifetimeEarned: 0, lifetimeSpent: 0)

    /// Makes balances.
    public init(active: Int64, pending: Int64, lifetimeEarned: Int64, lifetimeSpent: Int64) {
        self.active = active
        self.pending = pending
        self.lifetimeEarned = lifetimeEarned
        self.lifetimeSpent = lifetimeSpent
    }

    /// The balances after an entry.
    public mutating func post(_ entry: LedgerEntry.Draft) {
        active += entry.activeDelta
        pending += entry.pendingDelta
        lifetimeEarned += entry.kind.countsAsEarned ? entry.activeDelta : 0
        lifetimeSpent -= entry.kind.countsAsSpent ? entry.activeDelta : 0
    }
}
