import Foundation
import PatronCore

/// Patron's storage, as use cases: each method is one transaction (or, for `apply`, one savepoint per event inside
/// a group commit). SQLite and PostgreSQL implement it and pass one conformance suite.
public protocol Store: Sendable {
    /// Creates or upgrades the schema.
    func migrate() async throws

    /// Makes `program` the current version; loading the same text again returns the existing version.
    func loadProgram(_ program: Program, source: String) async throws -> ProgramVersion
    /// The current program, or `nil` before one is loaded.
    func currentProgram() async throws -> ProgramVersion?

    /// Enrolls a member; a restricted program refuses with the unmet condition. `key` makes it idempotent.
    func enroll(_ request: EnrollmentRequest, key: String?) async throws -> Member
    /// Changes a member's profile and adds identities.
    func updateMember(_ id: Int64, profile: ProfileUpdate, addIdentities: [Identity], key: String?) async throws -> Member
    /// Finds a member by id.
    func member(id: Int64) async throws -> Member?
    /// Finds a member by any of their identities.
    func member(identity: Identity) async throws -> Member?

    /// Applies order events, each in its own savepoint of a group commit; the results are in the events' order.
    func apply(_ events: [OrderEvent], options: ApplyOptions) async -> [Result<OrderOutcome, PatronError>]
    /// A manual adjustment of active points, with a reason and an actor.
    func adjust(_ adjustment: Adjustment) async throws -> AdjustmentOutcome

    /// Credits points for an activity (check-in, review …) within the program's limits.
    func recordActivity(_ request: ActivityRequest) async throws -> ActivityOutcome

    /// Redeems a reward: eligibility, limits, stock and balance checked, points taken earliest-expiring first, the
    /// coupon issued — all or nothing. Never makes a balance negative.
    func redeem(_ request: RedeemRequest) async throws -> Redemption
    /// Reverses an issued redemption: the points go back to the lots they came from, with their expiry.
    func reverseRedemption(_ request: ReverseRedemptionRequest) async throws -> Redemption
    /// A redemption by id.
    func redemption(id: Int64) async throws -> Redemption
    /// A member's coupon by code, with its terms, if it can be used now on goods worth `goods`; throws why not.
    func usableCoupon(code: String, member: Int64, goods: Int64, at: Date) async throws -> (Redemption, CouponTerms)
    /// Moves a gift along its fulfilment: issued (pending) → shipped → delivered.
    func fulfil(redemption id: Int64, status: String, at: Date) async throws -> Redemption
    /// Adds codes to a pooled coupon reward; codes already known are skipped. Returns how many were added.
    func importCouponCodes(reward id: String, codes: [String]) async throws -> Int
    /// A member's coupons, oldest first.
    func coupons(member id: Int64) async throws -> [Redemption]
    /// A partner's settlement for the local days `from` to `to`, inclusive.
    func settlement(partner: String, from: LocalDate, to: LocalDate) async throws -> Settlement
    /// Moves points between members, as the program allows; the points keep their expiry dates.
    func transfer(_ request: TransferRequest) async throws -> TransferOutcome

    /// Activates completed orders whose pending period has ended by `instant`. Idempotent.
    func runActivation(asOf instant: Date) async throws -> JobReport
    /// Expires lots whose expiry is at or before `instant`. Idempotent.
    func runExpiry(asOf instant: Date) async throws -> JobReport

    /// Issues each member the coupons their level grants every month, once per calendar month. Idempotent.
    func runMonthlyCoupons(asOf instant: Date) async throws -> JobReport
    /// Gives each member whose level has a birthday gift the gift's points once in their birthday month. Idempotent.
    func runBirthdayGifts(asOf instant: Date) async throws -> JobReport
    /// Re-evaluates members whose level validity period has ended by `instant`. Idempotent.
    func runLevelReview(asOf instant: Date) async throws -> JobReport
    /// Sets a member's level by hand until a date, with a reason and an actor.
    func setLevel(_ request: LevelOverrideRequest) async throws -> Member
    /// Every level change of a member, oldest first.
    func levelHistory(member id: Int64) async throws -> [LevelHistoryEntry]

    /// Events announced for webhooks, after `id`, oldest first.
    func outbox(after id: Int64, limit: Int) async throws -> [OutboxEvent]

    /// A member's balances, open lots and latest entries.
    func statement(member id: Int64, entries limit: Int) async throws -> AccountStatement
    /// Recomputes every balance and lot from the ledger and lists each mismatch.
    func check() async throws -> [Mismatch]
    /// Counts for summaries.
    func totals() async throws -> Totals
    /// The members with the most lifetime points.
    func topMembers(limit: Int) async throws -> [Member]
    /// Every order that was not cancelled, with what was kept after returns, oldest first: the input of analytics.
    func purchases() async throws -> [PurchaseRecord]
    /// Points credited, redeemed and expired per quarter hour with entries, oldest first: the input of programme economics.
    /// (Quarter hours, because some time zones are 30 or 45 minutes off UTC: every local month starts on one.)
    func ledgerQuarterHours() async throws -> [LedgerQuarterHour]
    /// Every member id with the member's qualifying values: for level calibration and loyalty stages.
    func memberFacts() async throws -> [MemberFact]
}

/// What analytics needs to know about every member, buyers or not.
public struct MemberFact: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// Goods' value of orders not cancelled, net of returns, minor units.
    public var spend: Int64
    /// Orders not cancelled.
    public var orders: Int
    /// Lifetime earned points.
    public var points: Int64
    /// Positive active balance.
    public var activePoints: Int64
    /// Members this member referred.
    public var referrals: Int
}

/// The ledger's movements within one quarter hour; callers fold them into months of the program's time zone.
public struct LedgerQuarterHour: Sendable, Hashable {
    /// The quarter hour's start.
    public var start: Date
    /// Points made spendable, net of reversals and corrections (activate, earn, reverse, adjust).
    public var issued: Int64
    /// Points spent on rewards.
    public var redeemed: Int64
    /// Points expired.
    public var expired: Int64
}

/// One order as analytics sees it.
public struct PurchaseRecord: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// When it was placed.
    public var placedAt: Date
    /// The goods' value after discounts and returns, minor units.
    public var amount: Int64
    /// Line and order discounts given on the order, minor units.
    public var discount: Int64
    /// The earning rules that gave the order points.
    public var rules: [String]

    /// Makes a record.
    public init(memberId: Int64, placedAt: Date, amount: Int64, discount: Int64, rules: [String] = []) {
        self.memberId = memberId
        self.placedAt = placedAt
        self.amount = amount
        self.discount = discount
        self.rules = rules
    }
}

/// A stored program version.
public struct ProgramVersion: Sendable {
    /// The version number, from 1.
    public var version: Int
    /// The program.
    public var program: Program
    /// The file text it was loaded from.
    public var source: String
    /// When it was loaded.
    public var loadedAt: Date
    /// Whether `loadProgram` created it (false when the same text was loaded again).
    public var isNew: Bool
}

/// How `apply` treats events.
public struct ApplyOptions: Sendable {
    /// Enroll the customer of a `placed` event who is not yet a member (as the program's enrollment allows).
    public var enrollUnknownMembers: Bool

    /// Makes options.
    public init(enrollUnknownMembers: Bool = false) { self.enrollUnknownMembers = enrollUnknownMembers }
}

/// What an order event did.
public struct OrderOutcome: Sendable, Hashable, Codable {
    /// The event.
    public var eventId: String
    /// The order.
    public var orderId: String
    /// The member.
    public var memberId: Int64
    /// The order's status afterwards.
    public var status: OrderRecord.Status
    /// Change of the member's pending points.
    public var pendingDelta: Int64
    /// Change of the member's active points.
    public var activeDelta: Int64
    /// Whether the event enrolled the member.
    public var enrolled: Bool
    /// Whether this answer is the stored outcome of an earlier identical request.
    public var replayed: Bool
}

/// A manual adjustment.
public struct Adjustment: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// Points to add (positive) or remove (negative).
    public var points: Int64
    /// Why; required.
    public var reason: String
    /// Who; required.
    public var actor: String
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date

    /// Makes an adjustment.
    public init(memberId: Int64, points: Int64, reason: String, actor: String, key: String, at: Date) {
        self.memberId = memberId
        self.points = points
        self.reason = reason
        self.actor = actor
        self.key = key
        self.at = at
    }
}

/// A request to redeem a reward.
public struct RedeemRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The reward's id in the program.
    public var rewardId: String
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date
    /// The partner merchant it is redeemed with, if any.
    public var partner: String?

    /// Makes a request.
    public init(memberId: Int64, rewardId: String, key: String, at: Date, partner: String? = nil) {
        self.memberId = memberId
        self.rewardId = rewardId
        self.key = key
        self.at = at
        self.partner = partner
    }
}

/// A request to move points from one member to another.
public struct TransferRequest: Sendable, Hashable {
    /// Who gives.
    public var from: Int64
    /// Who receives.
    public var to: Int64
    /// Points received.
    public var points: Int64
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(from: Int64, to: Int64, points: Int64, key: String, at: Date) {
        self.from = from
        self.to = to
        self.points = points
        self.key = key
        self.at = at
    }
}

/// What a transfer did.
public struct TransferOutcome: Sendable, Hashable, Codable {
    /// Points received.
    public var points: Int64
    /// The fee the sender paid.
    public var fee: Int64
    /// The sender's balances afterwards.
    public var sender: Balances
    /// Whether this is a replay.
    public var replayed: Bool
}

/// What a partner and the program owe each other for a period.
public struct Settlement: Sendable, Hashable, Codable {
    /// The partner.
    public var partner: String
    /// First local day.
    public var from: String
    /// Last local day.
    public var to: String
    /// Points the partner's orders earned (net of returns and cancellations).
    public var pointsIssued: Int64
    /// Points redeemed with the partner (not reversed).
    public var pointsRedeemed: Int64
    /// What the partner owes for points issued, minor units.
    public var owedByPartner: Int64
    /// What is owed to the partner for points redeemed, minor units.
    public var owedToPartner: Int64
    /// owedByPartner − owedToPartner.
    public var net: Int64
}

/// A request to reverse a redemption.
public struct ReverseRedemptionRequest: Sendable, Hashable {
    /// The redemption.
    public var redemptionId: Int64
    /// Why.
    public var reason: String
    /// The idempotency key.
    public var key: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(redemptionId: Int64, reason: String, key: String, at: Date) {
        self.redemptionId = redemptionId
        self.reason = reason
        self.key = key
        self.at = at
    }
}

/// A redeemed reward.
public struct Redemption: Sendable, Hashable, Codable {
    /// The redemption id.
    public var id: Int64
    /// The member.
    public var memberId: Int64
    /// The reward.
    public var rewardId: String
    /// Points paid.
    public var points: Int64
    /// `issued` or `reversed`.
    public var status: String
    /// The coupon's code, for coupons.
    public var couponCode: String?
    /// When the coupon stops being valid.
    public var validUntil: Date?
    /// When it was redeemed.
    public var at: Date
    /// For a lottery: the random value (0 ..< 2^53) that decided the draw.
    public var drawValue: Int64?
    /// For a lottery: what it won (`500 points`, a reward id, or `no prize`).
    public var prize: String?
}

/// A member's activity to reward.
public struct ActivityRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The activity's name in the program (`checkIn`, `review`, or a custom name).
    public var kind: String
    /// The idempotency key (a review's id, say).
    public var key: String
    /// When.
    public var at: Date

    /// Makes a request.
    public init(memberId: Int64, kind: String, key: String, at: Date) {
        self.memberId = memberId
        self.kind = kind
        self.key = key
        self.at = at
    }
}

/// What an activity earned.
public struct ActivityOutcome: Sendable, Hashable, Codable {
    /// Points for the activity.
    public var points: Int64
    /// A streak bonus, for check-ins.
    public var bonus: Int64
    /// The check-in streak in days, counting this one (0 for other activities).
    public var streak: Int
    /// The balances afterwards.
    public var balances: Balances
    /// Whether this is a replay.
    public var replayed: Bool
}

/// A manual level, with its end, reason and actor.
public struct LevelOverrideRequest: Sendable, Hashable {
    /// The member.
    public var memberId: Int64
    /// The level's name.
    public var level: String
    /// When the override ends.
    public var until: Date
    /// Why.
    public var reason: String
    /// Who.
    public var actor: String
    /// The idempotency key.
    public var key: String
    /// When it is set.
    public var at: Date

    /// Makes a request.
    public init(memberId: Int64, level: String, until: Date, reason: String, actor: String, key: String, at: Date) {
        self.memberId = memberId
        self.level = level
        self.until = until
        self.reason = reason
        self.actor = actor
        self.key = key
        self.at = at
    }
}

/// An event written in the same transaction as the change it announces, for webhook delivery.
public struct OutboxEvent: Sendable, Hashable {
    /// The stable event id.
    public var id: Int64
    /// What happened (`level.changed`).
    public var kind: String
    /// The member.
    public var memberId: Int64
    /// The event's JSON body.
    public var payload: String
    /// When.
    public var occurredAt: Date
}

/// One recorded change of level.
public struct LevelHistoryEntry: Sendable, Hashable, Codable {
    /// The level before.
    public var from: String?
    /// The level after.
    public var to: String?
    /// Why it changed.
    public var reason: String
    /// Who, for manual changes.
    public var actor: String?
    /// When.
    public var at: Date
    /// The program version in force.
    public var programVersion: Int
}

/// What an adjustment did.
public struct AdjustmentOutcome: Sendable, Hashable, Codable {
    /// The entry written.
    public var entryId: Int64
    /// The member's balances afterwards.
    public var balances: Balances
    /// Whether this is a replay.
    public var replayed: Bool
}

/// What a job did.
public struct JobReport: Sendable, Hashable, Codable {
    /// Members or orders touched.
    public var items: Int
    /// Points moved.
    public var points: Int64

    /// Makes a report.
    public init(items: Int, points: Int64) {
        self.items = items
        self.points = points
    }
}

/// A member's account as a statement.
public struct AccountStatement: Sendable {
    /// The member.
    public var member: Member
    /// Open lots, earliest-expiring first.
    public var lots: [Lot]
    /// The latest entries, newest first.
    public var entries: [LedgerEntry]
}

/// One disagreement between the cached state and the ledger.
public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
    /// The member.
    public var memberId: Int64
    /// What disagrees.
    public var field: String
    /// The cached value.
    public var cached: Int64
    /// The value recomputed from the ledger.
    public var ledger: Int64

    public var description: String { "member \(memberId): \(field) is \(cached) but the ledger says \(ledger)" }
}

/// Store-wide counts.
public struct Totals: Sendable, Hashable, Codable {
    /// Members.
    public var members: Int
    /// Orders.
    public var orders: Int
    /// Ledger entries.
    public var entries: Int
    /// Σ active balances.
    public var active: Int64
    /// Σ pending balances.
    public var pending: Int64
    /// Σ lifetime earned.
    public var earned: Int64
    /// Points expired.
    public var expired: Int64
    /// Points reversed by returns.
    public var reversed: Int64
    /// Members with a negative balance.
    public var membersInDebt: Int
}
