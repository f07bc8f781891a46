import ArgumentParser
import PatronServer

/// `patron jobs run`: every background job once, as of now (what `patron serve` schedules, for shops that run cron instead).
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Run background jobs.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Activate orders past their pending period, expire due lots, review levels, give birthday gifts and monthly coupons, announce points expiring soon, queue the messages of the program's time-based triggers, start and finish marketing campaigns by their window and assign new segment members, raise care escalations, invite members to the NPS survey and forget idempotency keys past the program's window. Safe to run twice."
        )
        @Option(help: "Announce lots expiring within this many days (points.expiring webhooks); the same setting as serve's.")
        var expiringNoticeDays = 7
        @Option(help: ArgumentHelp("The old name of --expiring-notice-days.", visibility: .hidden)) var expiringDays: Int?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let runner = JobRunner(store: try await store.open(), clock: try store.clock(), expiringNoticeDays: expiringDays ?? expiringNoticeDays)
                let report = try await runner.runOnce()
                let care = try await runner.runCare()
                print("activated \(grouped(report.activated.items)) orders (\(grouped(report.activated.points)) points); expired \(grouped(report.expired.points)) points of \(grouped(report.expired.items)) members; reviewed \(grouped(report.levelsReviewed.items)) levels; \(grouped(report.birthdayGifts.items)) birthday gifts (\(grouped(report.birthdayGifts.points)) points); \(grouped(report.monthlyCoupons.items)) monthly coupons; \(grouped(report.expiringNotices.items)) expiry notices; \(grouped(report.messageJourneys.items)) journey messages queued; \(grouped(report.idempotencyPurged.items)) idempotency keys past the window forgotten")
                let campaigns = report.campaigns
                print("campaigns: started \(campaigns.started.isEmpty ? "none" : campaigns.started.joined(separator: ", ")); finished \(campaigns.finished.isEmpty ? "none" : campaigns.finished.joined(separator: ", ")); assigned \(grouped(campaigns.assigned.treated)) treated and \(grouped(campaigns.assigned.control)) control members (\(grouped(campaigns.assigned.pointsGranted)) points granted, \(grouped(campaigns.assigned.couponsIssued)) coupons)")
                let surveys = care.surveys.map {
                    "invited \(grouped($0.invited)) members to the NPS survey (\(grouped($0.sampled)) of \(grouped($0.considered)) completed orders sampled)"
                } ?? "no NPS survey (the program has no care: surveys: section)"
                print("care: \(grouped(care.escalations.items)) escalations raised; \(surveys)")
            }
        }
    }
}
