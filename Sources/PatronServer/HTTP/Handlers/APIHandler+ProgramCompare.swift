import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

extension APIHandler {
    /// What-if: `patron program compare --json` over HTTP, through the same `ProgramComparisonService`.
    func compareProgram(_ input: Operations.CompareProgram.Input) async throws -> Operations.CompareProgram.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("send the comparison request as JSON") }
        guard body.draft != nil || body.levels != nil else {
            throw APIError.invalid("give a draft program, levels, or both", fields: [.init(path: "draft", message: "required without levels")])
        }
        // A bad draft is refused before anything is read, with every problem and its line, as `program validate`.
        let context = ServiceContext(store: store, clock: ManualClock(now()))
        var draft: Program
        if let text = body.draft { draft = try ProgramFile.parse(text) } else { draft = try await context.currentProgram().program }
        if let levels = body.levels { draft = try ProgramComparisonService.withThresholds(draft, levels) }
        let comparison = try await ProgramComparisonService(context: context).compare(
            draft: draft, options: .init(months: body.months ?? 12, pointValue: body.pointValue, redemptionRate: body.redemptionRate))
        let json = try AnalyticsJSON.encode(comparison, pretty: false)
        return .ok(.init(body: .json(try JSONDecoder().decode(Components.Schemas.FreeForm.self, from: json))))
    }
}
