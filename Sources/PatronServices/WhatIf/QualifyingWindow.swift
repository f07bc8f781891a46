import Foundation

/// One member's qualifying entries (completed orders' kept amounts, or points credited) in the order they happened,
/// with the running total of those after a window's start. A level review asks for the total after its window's start;
/// the start only moves a few entries between reviews, so each review costs what moved, not every order again.
/// Entries may change after they were added (a return lowers an order's kept amount, a cancellation removes it).
struct QualifyingWindow: Sendable {
    /// Each entry's instant, in the order added (never decreasing).
    private var at: [Date] = []
    /// Each entry's value now; entries of 0 or less count nothing.
    private var value: [Int64] = []
    /// The first entry inside the window.
    private var first = 0
    /// Σ the values of the entries from `first` on.
    private var sum: Int64 = 0
    /// Σ the positive values of the entries from `first` on.
    private var total: Int64 = 0
    /// How many entries from `first` on have a positive value.
    private var positive: Int64 = 0

    /// Adds an entry at `instant` (no earlier than the last one) and returns its position.
    @discardableResult
    mutating func append(_ amount: Int64, at instant: Date) -> Int {
        at.append(instant)
        value.append(amount)
        count(amount, +1)
        return at.count - 1
    }

    /// Sets entry `position`'s value to `amount`.
    mutating func set(_ position: Int, to amount: Int64) {
        if position >= first {
            count(value[position], -1)
            count(amount, +1)
        }
        value[position] = amount
    }

    /// After `since`: Σ the positive values, how many there are, and Σ every value (negative ones too).
    mutating func total(after since: Date) -> (positive: Int64, entries: Int64, sum: Int64) {
        while first < at.count, at[first] <= since {
            count(value[first], -1)
            first += 1
        }
        while first > 0, at[first - 1] > since {
            first -= 1
            count(value[first], +1)
        }
        return (total, positive, sum)
    }

    private mutating func count(_ amount: Int64, _ sign: Int64) {
        sum += sign * amount
        guard amount > 0 else { return }
        total += sign * amount
        positive += sign
    }
}
