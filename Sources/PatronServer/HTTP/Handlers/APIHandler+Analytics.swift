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
        // Every report goes through AnalyticsJSON, which writes a non-finite number as null; data that cannot be
        // analysed (no repeat buyer, a fit that finds no finite likelihood) is the caller's 422, not our 500.
        let json: Data
        do {
            json = switch input.path.analysis {
            case .clv:
                try AnalyticsJSON.encode(try CLVAnalysis.run(
                    purchases: data.purchases, options: CLVAnalysisOptions(minorUnitsPerMajor: data.currency.minorPerMajor)),
                    pretty: false)
            case .rfm:
                try AnalyticsJSON.encode(try RFMAnalysis.run(purchases: data.purchases).labelled(currency: data.currency.code,
                    minorUnitsPerMajor: data.currency.minorPerMajor), pretty: false)
            case .retention: try AnalyticsJSON.encode(try StandardAnalyses.retention(data.purchases, winBack: 20), pretty: false)
            case .loyalty: try AnalyticsJSON.encode(try StandardAnalyses.loyalty(data), pretty: false)
            case .economics:
                try AnalyticsJSON.encode(try StandardAnalyses.economics(data, pointValue: nil, operations: 0.2, redemptionRate: nil),
                                         pretty: false)
            }
        } catch let error as AnalyticsError {
            throw APIError(status: .unprocessableContent, code: error.code, message: error.message)
        }
        return .ok(.init(body: .json(try JSONDecoder().decode(Components.Schemas.FreeForm.self, from: json))))
    }
}
