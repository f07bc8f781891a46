import Foundation
import PatronCore
import PatronServices
import PatronStore

/// Runs the background jobs: activation of orders whose pending period has ended, expiry of lots, the review of
/// levels whose validity period has ended, birthday gifts, monthly coupons, notices of points expiring soon, and
/// marketing campaigns (start and finish by their window, assign new segment members: `CampaignJob`).
/// All are idempotent, so running them twice, or from two processes, changes nothing the second time.
public struct JobRunner: Sendable {
    /// What one run did.
    public struct Report: Sendable, Hashable, Codable {
        /// Orders activated and their points.
        public var activated: JobReport
        /// Members whose lots expired and the points.
        public var expired: JobReport
        /// Members whose level validity ended and were re-evaluated.
        public var levelsReviewed: JobReport
        /// Birthday gifts given.
        public var birthdayGifts: JobReport
        /// Monthly coupons issued.
        public var monthlyCoupons: JobReport
        /// `points.expiring` notices announced, and their points.
        public var expiringNotices: JobReport
        /// Campaigns started and finished by their window, and the new segment members assigned.
        public var campaigns: CampaignJob.Report
        /// Messages queued by the program's time-based triggers (`messages:`).
        public var messageJourneys: JobReport
        /// Idempotency records deleted because they were kept past the program's window.
        public var idempotencyPurged: JobReport
    }

    private let store: any Store
    private let clock: any Clock
    private let expiringNoticeDays: Int

    /// Makes a runner; lots expiring within `expiringNoticeDays` are announced once (`points.expiring`).
    public init(store: any Store, clock: any Clock, expiringNoticeDays: Int = 7) {
        self.store = store
        self.clock = clock
        self.expiringNoticeDays = expiringNoticeDays
    }

    /// Runs every job once, as of now.
    public func runOnce() async throws -> Report {
        let frequent = try await runFrequent()
        let daily = try await runDaily()
        return Report(
            activated: frequent.activated, expired: frequent.expired, levelsReviewed: daily.levelsReviewed,
            birthdayGifts: daily.birthdayGifts, monthlyCoupons: daily.monthlyCoupons, expiringNotices: daily.expiringNotices,
            campaigns: try await runCampaigns(), messageJourneys: try await runMessageJourneys(), idempotencyPurged: try await runIdempotencyPurge())
    }

    /// The program's time-based message triggers: points expiring, birthdays, anniversaries, thank-yous and inactivity
    /// steps, each message queued once (a second run queues nothing new). Once a day is enough.
    public func runMessageJourneys() async throws -> JobReport {
        try await store.runMessageJourneys(asOf: clock.now())
    }

    /// Forgets idempotency keys kept past the program's window (`idempotency.retentionDays`), in bounded chunks that
    /// read the table once in key order. Once a day is enough.
    public func runIdempotencyPurge() async throws -> JobReport {
        try await store.runIdempotencyPurge(asOf: clock.now())
    }

    /// Activation and expiry: cheap when there is nothing due, so `serve` runs them every minute.
    public func runFrequent() async throws -> (activated: JobReport, expired: JobReport) {
        let now = clock.now()
        return (try await store.runActivation(asOf: now), try await store.runExpiry(asOf: now))
    }

    /// Marketing campaigns: cheap when no campaign is scheduled or running, so `serve` runs it with activation.
    public func runCampaigns() async throws -> CampaignJob.Report {
        try await CampaignJob(context: ServiceContext(store: store, clock: clock)).run()
    }

    /// NPS invitations for the sampled orders completed lately (`care.surveys`); `nil` when the program has no survey
    /// section. Idempotent: an order is invited once.
    public func runSurveyInvitations() async throws -> SurveyInvitationRun? {
        let service = SurveyService(context: ServiceContext(store: store, clock: clock), followUp: nil)
        guard try await service.policy() != nil else { return nil }
        return try await service.runInvitations()
    }

    /// What one run of the customer-care jobs did.
    public struct CareReport: Sendable, Hashable, Codable {
        /// `care.ticket.escalation` events raised.
        public var escalations: JobReport
        /// The NPS invitations run; `nil` when the program has no `care.surveys` section.
        public var surveys: SurveyInvitationRun?
    }

    /// The customer-care jobs `patron jobs run` adds to `runOnce`: escalations, then NPS invitations. Both are
    /// idempotent, so cron may run them as often as it likes. (`patron demo` replays days with `runOnce` alone, so a
    /// demo shop's surveys are still invited by hand.)
    public func runCare() async throws -> CareReport {
        CareReport(escalations: try await runCareEscalations(), surveys: try await runSurveyInvitations())
    }

    /// Care escalations: `care.ticket.escalation` once for each ticket whose first response or resolution is due soon.
    /// Cheap when nothing is near its due time, so `serve` runs it with activation. Idempotent.
    public func runCareEscalations() async throws -> JobReport {
        try await TicketService(context: ServiceContext(store: store, clock: clock)).runEscalations()
    }

    /// The jobs that walk every member or every lot: once a day is enough.
    public func runDaily() async throws -> (
        levelsReviewed: JobReport, birthdayGifts: JobReport, monthlyCoupons: JobReport, expiringNotices: JobReport
    ) {
        let now = clock.now()
        return (
            try await store.runLevelReview(asOf: now), try await store.runBirthdayGifts(asOf: now), try await store.runMonthlyCoupons(asOf: now),
            try await store.runExpiringSoon(asOf: now, days: expiringNoticeDays)
        )
    }
}
