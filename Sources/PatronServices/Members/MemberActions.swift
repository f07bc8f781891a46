import Foundation
import PatronCore
import PatronStore

/// The changes staff make to one member from a form: adjust points, set the level by hand until a day, grant a
/// coupon. Each is checked first (`check…` returns every problem, by field, and writes nothing), then applied through
/// `AdminActions` with its idempotency key and audited with its actor; a replay of the same key changes nothing.
public struct MemberActions: Sendable {
    let context: ServiceContext

    /// Actions in `context`.
    public init(context: ServiceContext) { self.context = context }

    /// The largest adjustment a form may make, as the store allows.
    public static let maximumPoints: Int64 = 1_000_000_000

    // MARK: Adjust points

    /// The problems of an adjustment typed into a form: `points` a non-zero whole number within the limit (and, given the
    /// member's active `balance`, not removing more than it), `reason` given.
    public func checkAdjustment(points: String, reason: String, balance: Int64? = nil) -> (points: Int64?, problems: [FieldProblem]) {
        var problems: [FieldProblem] = []
        let text = points.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "+", with: "", options: .anchored)
        let value = Int64(text)
        if text.isEmpty {
            problems.append(FieldProblem("points", .required, "points: give a number of points"))
        } else if let value {
            if value == 0 {
                problems.append(FieldProblem("points", .zero, "points: an adjustment must not be zero"))
            } else if value.magnitude > Self.maximumPoints {
                problems.append(FieldProblem("points", .tooLarge, "points: at most \(Self.maximumPoints) either way"))
            } else if let balance, value < 0, -value > balance {
                problems.append(FieldProblem("points", .insufficient, "points: removing \(-value) would leave \(balance + value); the member has \(balance)"))
            }
        } else {
            problems.append(FieldProblem("points", .notANumber, "points: '\(points)' is not a whole number"))
        }
        problems += Self.checkReason(reason)
        return (problems.isEmpty ? value : nil, problems)
    }

    /// Adds (positive) or removes (negative) active points, audited as `member.adjust`. Throws `FieldProblems` for
    /// bad input and for a removal larger than the balance.
    public func adjust(member: Int64, points: String, reason: String, actor: String, key: String) async throws -> AdjustmentOutcome {
        let (value, problems) = checkAdjustment(points: points, reason: reason)
        guard let value, problems.isEmpty else { throw FieldProblems(problems) }
        do {
            return try await AdminActions(store: context.store).adjust(
                Adjustment(memberId: member, points: value, reason: reason, actor: actor, key: "console:\(key)", at: context.clock.now()))
        } catch let error as PatronError where error.code == .insufficientPoints {
            throw FieldProblems([FieldProblem("points", .insufficient, "points: \(error.message)")])
        }
    }

    // MARK: Level override

    /// The problems of a level set by hand: a level of the program, a day after today (in the program's time zone),
    /// a reason. Returns the instant the override ends: the start of that day.
    public func checkOverride(level: String, until: String, reason: String) async throws -> (until: Date?, problems: [FieldProblem]) {
        let program = try await context.currentProgram().program
        var problems: [FieldProblem] = []
        if level.isEmpty {
            problems.append(FieldProblem("level", .required, "level: choose a level"))
        } else if program.levels?.level(named: level) == nil {
            problems.append(FieldProblem("level", .unknownLevel, "level: '\(level)' is not a level of \(program.name)"))
        }
        var end: Date?
        let text = until.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            problems.append(FieldProblem("until", .required, "until: give the day the override ends"))
        } else if let day = LocalDate(iso: text) {
            let today = program.calendar.localDate(of: context.clock.now())
            if day <= today {
                problems.append(FieldProblem("until", .notInFuture, "until: \(day) is not after today (\(today)) in \(program.calendar.timeZone.identifier)"))
            } else {
                end = program.calendar.startOfDay(day)
            }
        } else {
            problems.append(FieldProblem("until", .notADate, "until: '\(until)' is not a date (yyyy-MM-dd)"))
        }
        problems += Self.checkReason(reason)
        return (problems.isEmpty ? end : nil, problems)
    }

    /// Sets the member's level by hand until the start of `until`, audited as `member.level`.
    public func overrideLevel(member: Int64, level: String, until: String, reason: String, actor: String, key: String) async throws -> Member {
        let (end, problems) = try await checkOverride(level: level, until: until, reason: reason)
        guard let end, problems.isEmpty else { throw FieldProblems(problems) }
        return try await AdminActions(store: context.store).setLevel(
            LevelOverrideRequest(memberId: member, level: level, until: end, reason: reason, actor: actor, key: "console:\(key)", at: context.clock.now()))
    }

    // MARK: Grant a coupon

    /// The coupon rewards of the program in force, which staff may grant.
    public func grantableCoupons() async throws -> [Reward] {
        try await context.currentProgram().program.rewards.filter { if case .coupon = $0.kind { true } else { false } }
    }

    /// The problems of a coupon grant: `reward` names a coupon reward of the program.
    public func checkGrant(reward: String) async throws -> [FieldProblem] {
        if reward.isEmpty { return [FieldProblem("reward", .required, "reward: choose a coupon")] }
        guard try await grantableCoupons().contains(where: { $0.id == reward }) else {
            return [FieldProblem("reward", .unknownCoupon, "reward: '\(reward)' is not a coupon of the program")]
        }
        return []
    }

    /// Gives the member a coupon without taking points, audited as `member.coupon` (the reward, code and validity).
    public func grantCoupon(member: Int64, reward: String, actor: String, key: String) async throws -> CouponGrantOutcome {
        let problems = try await checkGrant(reward: reward)
        guard problems.isEmpty else { throw FieldProblems(problems) }
        let now = context.clock.now()
        let outcome = try await context.store.grantCoupon(CouponGrant(memberId: member, rewardId: reward, key: "console:\(key)", at: now))
        if !outcome.replayed {
            try await AuditTrail(store: context.store).record(
                "member.coupon", subject: "member:\(member)", actor: actor, before: nil,
                after: GrantedCoupon(reward: reward, redemption: outcome.coupon.id, code: outcome.coupon.couponCode, validUntil: outcome.coupon.validUntil),
                at: now)
        }
        return outcome
    }

    /// What a coupon grant records in the audit trail.
    private struct GrantedCoupon: Encodable {
        var reward: String
        var redemption: Int64
        var code: String?
        var validUntil: Date?
    }

    /// A reason: given, at most 1,000 characters, no NUL.
    static func checkReason(_ reason: String) -> [FieldProblem] {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [FieldProblem("reason", .required, "reason: say why")] }
        if (try? FreeText.check(reason, field: "reason", maximumLength: 1_000)) == nil {
            return [FieldProblem("reason", .tooLong, "reason: at most 1,000 characters of plain text")]
        }
        return []
    }
}

/// One thing wrong with a form field, for the form to show beside it.
public struct FieldProblem: Sendable, Hashable {
    /// The kind of problem, for a translated message.
    public enum Kind: String, Sendable, Hashable {
        case required, notANumber, zero, tooLarge, tooLong, insufficient, notADate, notInFuture, unknownLevel, unknownCoupon, mismatch
    }

    /// The form field (`points`, `reason`, `until`, `level`, `reward`, `confirm`).
    public var field: String
    /// What is wrong.
    public var kind: Kind
    /// The problem in English, naming the field.
    public var message: String

    /// Makes a problem.
    public init(_ field: String, _ kind: Kind, _ message: String) {
        self.field = field
        self.kind = kind
        self.message = message
    }
}

/// A form's problems: nothing was written.
public struct FieldProblems: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem, in the form's order.
    public var problems: [FieldProblem]

    /// Makes the error.
    public init(_ problems: [FieldProblem]) { self.problems = problems }

    /// The messages, one per line.
    public var description: String { problems.map(\.message).joined(separator: "\n") }
}
