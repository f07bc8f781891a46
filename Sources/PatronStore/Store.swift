import Foundation
import PatronCore

/// Patron's storage, as use cases: each method is one transaction (or, for `apply`, one savepoint per event inside
/// a group commit). SQLite and PostgreSQL implement it and pass one conformance suite.
public protocol Store: SegmentStore, CampaignStore, MessageStore, MessageQueries, MessageTrackingStore, SurveyStore, CareStore, ConsentStore, Sendable {
    /// Creates or upgrades the schema.
    func migrate() async throws

    /// Makes `program` the current version; loading the same text again returns the existing version. A message trigger
    /// naming a segment that is not stored (nor defined in the text's own `segments:` section) is refused with
    /// `invalidProgram`, at its path and line, and nothing is written.
    func loadProgram(_ program: Program, source: String) async throws -> ProgramVersion
    /// The current program, or `nil` before one is loaded.
    func currentProgram() async throws -> ProgramVersion?
    /// Returns once the database answers a trivial query; throws `unavailable` when it cannot be reached.
    func ping() async throws
    /// Every stored program version, newest first, without its text.
    func programVersions() async throws -> [ProgramVersionSummary]
    /// One stored program version with its text, or `nil` when there is no such version.
    func programVersion(_ number: Int) async throws -> ProgramVersion?

    /// Enrolls a member; a restricted program refuses with the unmet condition. `key` makes it idempotent.
    func enroll(_ request: EnrollmentRequest, key: String?) async throws -> Member
    /// Changes a member's profile and adds identities.
    func updateMember(_ id: Int64, profile: ProfileUpdate, addIdentities: [Identity], key: String?) async throws -> Member
    /// Finds a member by id.
    func member(id: Int64) async throws -> Member?
    /// Finds a member by any of their identities.
    func member(identity: Identity) async throws -> Member?
    /// The profile names of the members `ids` that have one, in one read (for lists that name many members).
    func memberNames(ids: Set<Int64>) async throws -> [Int64: String]

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
    /// How many redemptions of each reward hold a unit of its stock (all but reversed ones); rewards with none are absent.
    /// A reward's remaining stock is `Reward.remainingStock(taken:)` of this.
    func stockTaken() async throws -> [String: Int]
    /// The code pools of pooled coupon rewards, by reward id: codes uploaded and handed out (rewards without codes are absent).
    func couponPools() async throws -> [String: CouponPoolCount]
    /// A partner's settlement for the local days `from` to `to`, inclusive.
    func settlement(partner: String, from: LocalDate, to: LocalDate) async throws -> Settlement
    /// Moves points between members, as the program allows; the points keep their expiry dates.
    func transfer(_ request: TransferRequest) async throws -> TransferOutcome

    /// Activates completed orders whose pending period has ended by `instant`. Idempotent.
    func runActivation(asOf instant: Date) async throws -> JobReport
    /// Expires lots whose expiry is at or before `instant`. Idempotent.
    func runExpiry(asOf instant: Date) async throws -> JobReport
    /// Deletes the idempotency records kept past the program's window (`idempotency.retentionDays`) as of `instant`,
    /// in bounded chunks; `items` counts them. Idempotent.
    func runIdempotencyPurge(asOf instant: Date) async throws -> JobReport

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

    /// Events announced for webhooks, after `id`, oldest first. A change writes its event in its own transaction, and
    /// only when an active subscription wants that kind.
    func outbox(after id: Int64, limit: Int) async throws -> [OutboxEvent]
    /// Sends a `points.expiring` notice for each lot expiring within `days` after `instant`, once per lot and expiry
    /// date. Idempotent; records nothing while no active subscription wants the notices.
    func runExpiringSoon(asOf instant: Date, days: Int) async throws -> JobReport

    /// Subscribes a URL to event kinds; it receives the events announced from now on.
    func createWebhookSubscription(_ request: NewWebhookSubscription) async throws -> WebhookSubscription
    /// Every subscription, oldest first.
    func webhookSubscriptions() async throws -> [WebhookSubscription]
    /// A subscription by id.
    func webhookSubscription(id: Int64) async throws -> WebhookSubscription?
    /// Enables or disables a subscription; a disabled one gets no new events and its pending deliveries wait.
    func setWebhookSubscription(id: Int64, active: Bool) async throws -> WebhookSubscription
    /// Deletes a subscription and its deliveries.
    func deleteWebhookSubscription(id: Int64) async throws
    /// Creates a pending delivery of each new outbox event for each active subscription that wants it, due at
    /// `instant`; returns how many. Safe to run from several processes: each pair is delivered once.
    func fanOutWebhookEvents(at instant: Date) async throws -> Int
    /// Leases up to `limit` pending deliveries due at `instant` for `lease` seconds, earliest due first: until the lease
    /// ends no other caller claims them.
    func claimWebhookDeliveries(at instant: Date, limit: Int, lease: TimeInterval) async throws -> [WebhookClaim]
    /// Records a claimed delivery as delivered; `false` when its lease was lost and the outcome not recorded.
    func recordWebhookDelivered(_ claim: WebhookClaim, status: Int, at instant: Date) async throws -> Bool
    /// Records a failed attempt: retried at `retryAt`, or dead when it is `nil`. `false` when its lease was lost.
    func recordWebhookFailed(_ claim: WebhookClaim, status: Int?, error: String, retryAt: Date?) async throws -> Bool
    /// Deliveries, newest first, all or with one status.
    func webhookDeliveries(status: WebhookDeliveryStatus?, limit: Int) async throws -> [WebhookDelivery]
    /// Sends a dead delivery again: pending, due at `instant`, attempts reset.
    func replayWebhookDelivery(id: Int64, at instant: Date) async throws -> WebhookDelivery

    /// What the earning rules know about a member at an instant (level, tags, birthday, first order, rule usage),
    /// for quotes and simulations.
    func earningContext(member id: Int64, at instant: Date) async throws -> EarningContext
    /// What a checkout quote reads, in one read (the quote is the hottest read of a shop): the program in force, the
    /// member `reference` names (an id or KIND:VALUE, as `member(reference:)` finds them) and their earning context
    /// at `instant`. Throws `noProgram` first, then `invalidInput` or `notFound` for the reference.
    func checkoutInputs(member reference: String, at instant: Date) async throws -> CheckoutInputs

    /// A member's balances, open lots and latest entries.
    func statement(member id: Int64, entries limit: Int) async throws -> AccountStatement
    /// The statement of the member `reference` names (an id or KIND:VALUE, as `member(reference:)` finds them), in one
    /// read: the API's statement route needs no second read to find the member first.
    func statement(reference: String, entries limit: Int) async throws -> AccountStatement
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
    /// Every program version, member profile and order with its event times and the ledger's net points for it, for
    /// a what-if replay (`patron program compare`); with `credits`, also every credit that is not an order's.
    func replayHistory(credits: Bool) async throws -> ReplayHistory

    /// Creates an API key from the SHA-256 `hash` of its secret (64 hex digits) and the secret's first characters.
    func createAPIKey(name: String, scopes: Set<APIScope>, hash: String, prefix: String, at: Date) async throws -> APIKey
    /// Every API key, revoked ones included, by id.
    func apiKeys() async throws -> [APIKey]
    /// The unrevoked key whose secret hashes to `hash`, or `nil`.
    func apiKey(hash: String) async throws -> APIKey?
    /// Replaces a key's secret: the old one stops working at once. A revoked key cannot be rotated.
    func rotateAPIKey(id: Int64, hash: String, prefix: String, at: Date) async throws -> APIKey
    /// Revokes a key for good; revoking again changes nothing.
    func revokeAPIKey(id: Int64, at: Date) async throws -> APIKey

    /// Records an admin action; `before` and `after` must be JSON text (or `nil`).
    func appendAudit(actor: String, action: String, subject: String, before: String?, after: String?, at: Date) async throws -> AuditRecord
    /// Audit records after `id`, oldest first, at most `limit`, only those about `subject` if given.
    func auditLog(after id: Int64, limit: Int, subject: String?) async throws -> [AuditRecord]

    /// Everything held about a member.
    func exportMember(id: Int64) async throws -> MemberExport
    /// Erases a member's personal data and releases their identities; the ledger, lots, orders' amounts and the id stay,
    /// anonymous, so balances, `check` and analytics are unchanged. Erasing again changes nothing.
    func eraseMember(id: Int64, at: Date) async throws -> Member

    // Staff accounts and console sessions (the console's sign-in; SQLStore+Staff.swift).
    /// Creates a staff account; the username must be new. `passwordHash` is a bcrypt hash, never the password.
    func createStaffAccount(username: String, displayName: String, role: String, passwordHash: String, at: Date) async throws -> StaffAccountRecord
    /// Every staff account, by username.
    func staffAccounts() async throws -> [StaffAccountRecord]
    /// An account with its password hash, for the sign-in check; nil when there is no such username.
    func staffCredentials(username: String) async throws -> StaffCredentials?
    /// Disables an account and deletes its sessions in the same transaction.
    func disableStaffAccount(username: String, at: Date) async throws -> StaffAccountRecord
    /// Stores a new session (its token's hash) for an enabled account.
    func createStaffSession(_ session: NewStaffSession) async throws
    /// The live session with this token hash: not expired, used within `idleTimeout` seconds, its account enabled.
    func staffSession(tokenHash: String, at: Date, idleTimeout: TimeInterval) async throws -> StaffSessionRecord?
    /// Marks a session used at `at`.
    func touchStaffSession(tokenHash: String, at: Date) async throws
    /// Ends a session (sign-out).
    func deleteStaffSession(tokenHash: String) async throws
    /// Counts a failed sign-in for throttling.
    func recordSignInFailure(username: String, address: String, at: Date) async throws
    /// Failed sign-ins since `since`, for this username and from this address.
    func signInFailures(username: String, address: String, since: Date) async throws -> SignInFailures
    /// Forgets a username's failed sign-ins (after a successful one).
    func clearSignInFailures(username: String) async throws

    // The member zone (SQLStore+MemberZone.swift).
    /// Marks a sign-in link's nonce used; `false` when it was used before (the link then opens nothing). The nonce
    /// is remembered until `expiresAt`, after which the link's own expiry refuses it.
    func consumeMemberLink(nonce: String, expiresAt: Date, at: Date) async throws -> Bool
    /// A member's balances, open lots, pending orders and qualifying value at `at`, in one read.
    func memberStanding(id: Int64, at: Date) async throws -> MemberStanding

    // The console's member search and member page (SQLStore+MemberFile.swift).
    /// Identities whose value is one of `values`, whatever their kind, at most `limit` (index `identities_by_value`).
    func identityMatches(values: [String], limit: Int) async throws -> [IdentityMatch]
    /// Members whose name starts with `prefix`, ASCII letters compared without case, by name, at most `limit`.
    func members(namePrefix prefix: String, limit: Int) async throws -> [Member]
    /// One member with a page of the ledger and the latest of everything else, in one read, every list bounded.
    func memberFile(_ request: MemberFileRequest) async throws -> MemberFile
    /// Gives a member a coupon reward without taking points (a pooled one takes a code); the key makes it idempotent.
    func grantCoupon(_ grant: CouponGrant) async throws -> CouponGrantOutcome

    // The console's overview: kept aggregates and the model snapshot (SQLStore+KeptTotals.swift).
    /// The kept aggregates of every local day up to `day` (a `LocalDate.dayNumber`), summed over writers; zero rows left out.
    func dailyTotals(through day: Int) async throws -> [DailyTotal]
    /// Recounts the kept aggregates from members, orders, the ledger and level changes and lists every difference.
    func checkDailyTotals() async throws -> [DailyTotalMismatch]
    /// Replaces the kept aggregates with a recount (after a bulk load, or after the program's time zone changed);
    /// returns how many rows it wrote.
    @discardableResult
    func rebuildDailyTotals() async throws -> Int
    /// Stores a snapshot of the overview's model-based parts; older ones are dropped.
    func saveOverviewSnapshot(_ record: OverviewSnapshotRecord) async throws
    /// The newest snapshot, or `nil` before the first.
    func latestOverviewSnapshot() async throws -> OverviewSnapshotRecord?
    /// Every member's level in force at `instant` (an unexpired override, else the level earned); members without one are absent.
    func memberLevels(at instant: Date) async throws -> [Int64: String]
}
