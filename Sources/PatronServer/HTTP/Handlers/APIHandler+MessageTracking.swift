import Foundation
import OpenAPIRuntime
import PatronCore
import PatronServices
import PatronStore

/// Message tracking's public routes (the open pixel and tracked links) and the statistics of messages.
extension APIHandler {
    var trackingContext: ServiceContext { ServiceContext(store: store, clock: HandlerClock(instant: now)) }

    func trackMessageOpen(_ input: Operations.TrackMessageOpen.Input) async throws -> Operations.TrackMessageOpen.Output {
        if let tracking {
            _ = try await tracking.open(token: input.path.token, context: trackingContext)
        }
        return .ok(.init(headers: .init(cacheControl: "no-store, max-age=0"), body: .imageGif(HTTPBody(MessageTracking.pixelGIF))))
    }

    func followMessageLink(_ input: Operations.FollowMessageLink.Input) async throws -> Operations.FollowMessageLink.Output {
        guard let tracking else { throw PatronError(.notFound, "link tracking is not configured on this server (PATRON_TRACKING_URL)") }
        let target = try await tracking.click(token: input.path.token, url: input.query.url, context: trackingContext)
        return .found(.init(headers: .init(location: target)))
    }

    func getMessageStats(_ input: Operations.GetMessageStats.Input) async throws -> Operations.GetMessageStats.Output {
        let day = try input.query.since.map { try Self.day($0, "since") }
        let last = try input.query.until.map { try Self.day($0, "until") }
        let stats = try await MessageStatsService(context: trackingContext).stats(
            since: day, through: last, windowDays: input.query.windowDays ?? MessageStats.defaultWindowDays)
        return .ok(.init(body: .json(try Bridge.convert(stats))))
    }
}
