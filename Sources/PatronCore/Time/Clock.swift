import Foundation

/// The source of "now". Code never reads the system clock directly, so tests can travel in time.
public protocol Clock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The real clock, for the executable.
public struct SystemClock: Clock {
    /// Makes the system clock.
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until moved: for tests and simulations.
public final class ManualClock: Clock, @unchecked Sendable {
    // @unchecked: every access to `instant` goes through `lock`.
    private let lock = NSLock()
    private var instant: Date

    /// Makes a clock that reads `start`.
    public init(_ start: Date) { instant = start }

    public func now() -> Date { lock.withLock { instant } }

    /// Moves the clock to `date`.
    public func set(_ date: Date) { lock.withLock { instant = date } }

    /// Moves the clock forward.
    public func advance(days: Int = 0, seconds: TimeInterval = 0) {
        lock.withLock { instant += TimeInterval(days) * 86_400 + seconds }
    }
}
