import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    /// The campaign use cases over this handler's store and time.
    var campaigns: CampaignService {
        CampaignService(context: ServiceContext(store: store, clock: HandlerClock(instant: now)))
    }

    func listCampaigns(_ input: Operations.ListCampaigns.Input) async throws -> Operations.ListCampaigns.Output {
        .ok(.init(body: .json(try Bridge.convert(try await campaigns.list()))))
    }

    func createCampaign(_ input: Operations.CreateCampaign.Input) async throws -> Operations.CreateCampaign.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the campaign as JSON") }
        // The body goes through the same reader as a campaign file (JSON is YAML), so its problems name their paths.
        let text = String(decoding: try Bridge.encoder.encode(body), as: UTF8.self)
        let record = try await campaigns.create(text: text, actor: actor)
        return .created(.init(body: .json(try Bridge.convert(record))))
    }

    func getCampaign(_ input: Operations.GetCampaign.Input) async throws -> Operations.GetCampaign.Output {
        .ok(.init(body: .json(try Bridge.convert(try await campaigns.show(input.path.campaign)))))
    }

    func transitionCampaign(_ input: Operations.TransitionCampaign.Input) async throws -> Operations.TransitionCampaign.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the transition as JSON") }
        guard let transition = CampaignTransition(rawValue: body.transition.rawValue) else {
            throw APIError.invalid("transition: '\(body.transition.rawValue)' is not a campaign step", fields: [.init(path: "transition", message: "unknown step")])
        }
        let change = try await campaigns.transition(input.path.campaign, transition, actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(change))))
    }

    func getCampaignReport(_ input: Operations.GetCampaignReport.Input) async throws -> Operations.GetCampaignReport.Output {
        .ok(.init(body: .json(try Bridge.convert(try await campaigns.report(input.path.campaign)))))
    }
}

/// The handler's notion of now as a `Clock`, for the shared use cases.
struct HandlerClock: Clock {
    let instant: @Sendable () -> Date
    func now() -> Date { instant() }
}
