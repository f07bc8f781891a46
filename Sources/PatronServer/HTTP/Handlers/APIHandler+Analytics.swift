import Foundation
import PatronAnalytics
import PatronStore

extension APIHandler {
    func getTotals(_ input: Operations.GetTotals.Input) async throws -> Operations.GetTotals.Output {
        .ok(.init(body: .json(try Bridge.convert(try await store.totals()))))
    }

    /// Runs one analysis with `patron analyze`'s defaults; the answer is what `patron analyze NAME --json` prints.
    func getAnalysis(_ input: Operations.GetAnalysis.Input) async throws -> Operations.GetAnalysis.Output {
        let data = try await AnalyticsDataset(store: store)
        guard !data.purchases.isEmpty else {
            throw APIError(status: .unprocessableContent, code: "no_orders", message: "there are no orders to analyse yet")
        }
        let report: any Encodable = switch input.path.analysis {
        case .clv:
            try CLVAnalysis.run(purchases: data.purchases, options: CLVAnalysisOptions(minorUnitsPerMajor: data.currency.minorPerMajor))
        case .rfm: try RFMAnalysis.run(purchases: data.purchases)
        case .retention: try StandardAnalyses.retention(data.purchases, winBack: 20)
        case .loyalty: try StandardAnalyses.loyalty(data)
        case .economics: try StandardAnalyses.economics(data, pointValue: "0.01", operations: 0.2, redemptionRate: nil)
        }
        return .ok(.init(body: .json(try Bridge.convert(report))))
    }
}
