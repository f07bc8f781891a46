import Foundation
import PatronCore
import PatronServices
import PatronStore

extension APIHandler {
    /// The segment use cases over this handler's store and time.
    var segmentService: SegmentService {
        SegmentService(context: ServiceContext(store: store, clock: HandlerClock(instant: now)))
    }

    func listSegments(_ input: Operations.ListSegments.Input) async throws -> Operations.ListSegments.Output {
        .ok(.init(body: .json(try Bridge.convert(try await segmentService.summaries()))))
    }

    func loadSegments(_ input: Operations.LoadSegments.Input) async throws -> Operations.LoadSegments.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the segments as JSON") }
        // The body goes through the same reader as a segments file (JSON is YAML), so its problems name their paths.
        let text = String(decoding: try Bridge.encoder.encode(body), as: UTF8.self)
        return .ok(.init(body: .json(try Bridge.convert(try await segmentService.loadSummary(text: text, actor: actor)))))
    }

    func getSegment(_ input: Operations.GetSegment.Input) async throws -> Operations.GetSegment.Output {
        .ok(.init(body: .json(try Bridge.convert(try await segmentService.summary(input.path.segment)))))
    }

    func previewSegment(_ input: Operations.PreviewSegment.Input) async throws -> Operations.PreviewSegment.Output {
        .ok(.init(body: .json(try Bridge.convert(try await segmentService.preview(input.path.segment, sample: input.query.sample ?? 20)))))
    }

    func listSegmentMembers(_ input: Operations.ListSegmentMembers.Input) async throws -> Operations.ListSegmentMembers.Output {
        let record = try await segmentService.segment(input.path.segment)
        let page = try await store.segmentMembers(segment: record.id, limit: input.query.limit ?? 1_000, after: input.query.after ?? 0)
        return .ok(.init(body: .json(try Bridge.convert(page))))
    }

    func importSegmentMembers(_ input: Operations.ImportSegmentMembers.Input) async throws -> Operations.ImportSegmentMembers.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the identities as JSON") }
        let outcome = try await segmentService.importIdentities(input.path.segment, identities: body.identities, actor: actor)
        return .ok(.init(body: .json(try Bridge.convert(outcome))))
    }

    func refreshSegment(_ input: Operations.RefreshSegment.Input) async throws -> Operations.RefreshSegment.Output {
        let outcome = try await segmentService.refresh(input.path.segment)
        return .ok(.init(body: .json(try Bridge.convert(outcome[0]))))
    }
}
