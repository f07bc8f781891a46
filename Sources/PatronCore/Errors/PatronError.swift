/// The one error type of the domain: a stable machine-readable code, a plain message and the context it happened in.
///
/// The API layer alone maps codes to HTTP statuses; the command line prints the message.
public struct PatronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable code that callers may switch on.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The input is malformed or out of range.
        case invalidInput = "invalid_input"
        /// The program file has problems (see `details`).
        case invalidProgram = "invalid_program"
        /// No program has been loaded yet.
        case noProgram = "no_program"
        /// The member, order or other referenced thing does not exist.
        case notFound = "not_found"
        /// An identity already belongs to another member.
        case duplicateIdentity = "duplicate_identity"
        /// The same idempotency key was used with a different payload.
        case idempotencyConflict = "idempotency_conflict"
        /// The request's own time is before the idempotency window: its key may have been forgotten, so a resend could
        /// not be told from a new request. History is imported instead (`patron import`).
        case eventTooOld = "event_too_old"
        /// The event does not fit the order's current state (completing a cancelled order, say).
        case invalidTransition = "invalid_transition"
        /// The order already exists.
        case orderExists = "order_exists"
        /// A return asks for more than was bought.
        case returnExceedsOrder = "return_exceeds_order"
        /// The member does not hold enough points.
        case insufficientPoints = "insufficient_points"
        /// A limit of the program (an activity's daily limit, say) has been reached.
        case limitReached = "limit_reached"
        /// The member may not redeem this reward (level, tags, or outside its window).
        case notEligible = "not_eligible"
        /// The reward's stock is used up.
        case outOfStock = "out_of_stock"
        /// The member's personal data was erased: their points, level and profile no longer change.
        case memberErased = "member_erased"
        /// Enrollment is restricted and the condition is not met.
        case enrollmentRefused = "enrollment_refused"
        /// The order is in a currency the program does not accept.
        case currencyMismatch = "currency_mismatch"
        /// The store failed (disk, database); the change was not made.
        case storage = "storage"
        /// Too many writes are queued; nothing was done, try again shortly.
        case busy = "busy"
        /// The database cannot take requests now: unreachable, restarting, or out of disk space. Nothing was
        /// acknowledged; send again (with the same idempotency key) once it is back.
        case unavailable = "unavailable"
    }

    /// The stable code.
    public var code: Code
    /// A sentence for a person.
    public var message: String
    /// Further facts, such as each problem of a program file with its path.
    public var details: [String]

    /// Makes an error.
    public init(_ code: Code, _ message: String, details: [String] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        details.isEmpty ? message : ([message] + details.map { "  " + $0 }).joined(separator: "\n")
    }
}
