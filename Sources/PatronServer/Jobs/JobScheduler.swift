import Foundation
import Logging
import PatronCore
import PatronServices
import PatronStore
import ServiceLifecycle

/// Runs the background jobs inside `patron serve`: activation, expiry and marketing campaigns every `interval`, the daily jobs (level
/// review, birthday gifts, monthly coupons, expiring-soon notices) once per day of the program's time zone, at its first tick after local
/// midnight. Every job is idempotent, so a restart, a second instance or a late tick changes nothing twice.
public struct JobScheduler: Service {
    let runner: JobRunner
    let store: any Store
    let clock: any Clock
    let interval: Duration
    let logger: Logger

    public init(store: any Store, clock: any Clock, interval: Duration, expiringNoticeDays: Int = 7, logger: Logger) {
        self.runner = JobRunner(store: store, clock: clock, expiringNoticeDays: expiringNoticeDays)
        self.store = store
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var lastDailyRun: LocalDate?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                lastDailyRun = try await tick(lastDailyRun: lastDailyRun)
            } catch {
                logger.error("background jobs failed; retrying next tick", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass; returns the local day whose daily jobs have run.
    func tick(lastDailyRun: LocalDate?) async throws -> LocalDate? {
        guard let program = try await store.currentProgram()?.program else { return lastDailyRun }
        let frequent = try await runner.runFrequent()
        if frequent.activated.items + frequent.expired.items > 0 {
            logger.info(
                "jobs", metadata: ["activated": "\(frequent.activated.items)", "expired": "\(frequent.expired.items)"])
        }
        let campaigns = try await runner.runCampaigns()
        if !campaigns.started.isEmpty || !campaigns.finished.isEmpty || campaigns.assigned.treated + campaigns.assigned.control > 0 {
            logger.info(
                "campaigns", metadata: [
                    "started": "\(campaigns.started)", "finished": "\(campaigns.finished)", "treated": "\(campaigns.assigned.treated)",
                    "control": "\(campaigns.assigned.control)", "pointsGranted": "\(campaigns.assigned.pointsGranted)",
                ])
        }
        let escalations = try await runner.runCareEscalations()
        if escalations.items > 0 { logger.info("care escalations", metadata: ["raised": "\(escalations.items)"]) }
        let today = program.calendar.localDate(of: clock.now())
        guard today != lastDailyRun else { return lastDailyRun }
        let daily = try await runner.runDaily()
        logger.info(
            "daily jobs", metadata: [
                "day": "\(today)", "levels": "\(daily.levelsReviewed.items)", "birthdayGifts": "\(daily.birthdayGifts.items)",
                "monthlyCoupons": "\(daily.monthlyCoupons.items)", "expiringNotices": "\(daily.expiringNotices.items)",
            ])
        let journeys = try await runner.runMessageJourneys()
        if journeys.items > 0 { logger.info("message journeys", metadata: ["queued": "\(journeys.items)"]) }
        let purged = try await runner.runIdempotencyPurge()
        if purged.items > 0 { logger.info("idempotency keys purged", metadata: ["records": "\(purged.items)"]) }
        if let surveys = try await runner.runSurveyInvitations(), surveys.invited > 0 {
            logger.info("survey invitations", metadata: ["invited": "\(surveys.invited)", "sampled": "\(surveys.sampled)"])
        }
        // The console overview's model-based parts (RFM, CLV, retention), recomputed from every order once a day.
        do {
            let snapshot = try await OverviewSnapshots.take(ServiceContext(store: store, clock: clock))
            logger.info("overview snapshot", metadata: ["customers": "\(snapshot.customers)"])
        } catch {
            logger.error("overview snapshot failed; retrying tomorrow", metadata: ["error": "\(error)"])
        }
        return today
    }
}
