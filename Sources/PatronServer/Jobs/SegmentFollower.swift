import Foundation
import Logging
import PatronCore
import PatronServices
import PatronStore
import ServiceLifecycle

/// Keeps dynamic segments current inside `patron serve`: every `interval` it re-evaluates the members whose points or
/// level changed since its last pass (the ledger and the level history are the marks, so the write path pays nothing);
/// once per day of the program's time zone, at its first pass after local midnight, it scores every member
/// (`MemberScoring`) and then re-evaluates every dynamic segment over all members, which catches what time alone changes
/// (days since the last order, birthdays, expiring points) and profile edits. Entering and leaving write
/// `segment.entered` / `segment.left` to the outbox. Several servers may run it: every step is idempotent.
public struct SegmentFollower: Service {
    let context: ServiceContext
    let interval: Duration
    let logger: Logger

    /// A follower over `store`, passing every `interval`.
    public init(store: any Store, clock: any Clock, interval: Duration, logger: Logger) {
        context = ServiceContext(store: store, clock: clock)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var lastDailyRun: LocalDate?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                lastDailyRun = try await tick(lastDailyRun: lastDailyRun)
            } catch {
                logger.error("segment follow-up failed; retrying next pass", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass; returns the local day whose scoring and full refresh have run.
    func tick(lastDailyRun: LocalDate?) async throws -> LocalDate? {
        guard let program = try await context.store.currentProgram()?.program else { return lastDailyRun }
        let service = SegmentService(context: context)
        let follow = try await service.followChanges()
        if follow.entered + follow.left > 0 {
            logger.info("segments followed", metadata: ["members": "\(follow.members)", "entered": "\(follow.entered)", "left": "\(follow.left)"])
        }
        let today = program.calendar.localDate(of: context.clock.now())
        guard today != lastDailyRun else { return lastDailyRun }
        let scoring = try await MemberScoring(context: context).run()
        let refreshed = try await service.refresh(nil)
        logger.info(
            "daily segments", metadata: [
                "day": "\(today)", "scored": "\(scoring.members)", "segments": "\(refreshed.count)",
                "entered": "\(refreshed.reduce(0) { $0 + $1.entered })", "left": "\(refreshed.reduce(0) { $0 + $1.left })",
            ])
        return today
    }
}
