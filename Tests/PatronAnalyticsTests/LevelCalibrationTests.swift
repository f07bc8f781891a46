import Testing
@testable import PatronAnalytics

@Suite struct LevelCalibrationTests {
    /// The textbook's thresholds in fen: 普通 (one order), 高级 399, VIP 688, 至尊VIP 888 yuan.
    let thresholds: [Int64] = [0, 39_900, 68_800, 88_800]
    let designShares = [0.80, 0.15, 0.04, 0.01]

    /// 1,000 members whose 10th, 50th and 200th highest spends are the textbook's boundaries 968, 725 and 430 yuan.
    func boundaryPopulation() -> [Int64] {
        var v: [Int64] = []
        v += Array(repeating: 120_000, count: 9) + [96_800]          // ranks 1–10
        v += Array(repeating: 80_000, count: 39) + [72_500]          // ranks 11–50
        v += Array(repeating: 50_000, count: 149) + [43_000]         // ranks 51–200
        v += (0..<800).map { Int64(100 + 40 * $0) }                   // 100 … 32,060: below 高级
        return v.shuffled()
    }

    /// 1,000 members whose shares under the textbook's thresholds are 72 / 20 / 7.3 / 0.7 %.
    func sharePopulation() -> [Int64] {
        Array(repeating: 20_000, count: 720) + Array(repeating: 39_900, count: 100)
            + Array(repeating: 60_000, count: 100) + Array(repeating: 68_800, count: 40)
            + Array(repeating: 80_000, count: 33) + Array(repeating: 88_800, count: 7)
    }

    @Test func sharesFixedGiveTheTextbookBoundaries() throws {
        let b = try LevelCalibration.boundaries(values: boundaryPopulation(), entry: 0, shares: designShares)
        #expect(b == [100, 43_000, 72_500, 96_800])
    }

    @Test func thresholdsFixedGiveTheTextbookShares() throws {
        let (members, below) = try LevelCalibration.shares(values: sharePopulation(), thresholds: thresholds)
        #expect(members == [720, 200, 73, 7])
        #expect(below == 0)
        // The textbook's two views cannot come from one population at the top level: 0.7 % at ≥ 888 means the
        // top 1 % (10th highest) spends less than 888, not 968.
        let b = try LevelCalibration.boundaries(values: sharePopulation(), entry: 0, shares: designShares)
        #expect(b[3]! < 88_800)
    }

    @Test func calibrateSuggestsThresholdsThatHitTheTargetShares() throws {
        let report = try LevelCalibration.calibrate(values: boundaryPopulation(), thresholds: thresholds,
                                                    targetShares: designShares, roundingUnit: 100)
        #expect(report.members == 1000 && report.belowEntry == 0)
        #expect(report.levels.map(\.members) == [800, 150, 40, 10])
        #expect(report.levels.map(\.boundaryValue) == [100, 43_000, 72_500, 96_800])
        #expect(report.levels.map(\.suggestedThreshold) == [0, 43_000, 72_500, 96_800])
        #expect(report.levels.map(\.suggestedMembers) == [800, 150, 40, 10])
        #expect(abs(report.levels[3].suggestedShare - 0.01) < 1e-12)

        let shifted = try LevelCalibration.calibrate(values: sharePopulation(), thresholds: thresholds,
                                                     targetShares: designShares, roundingUnit: 100)
        #expect(shifted.levels.map(\.share) == [0.72, 0.2, 0.073, 0.007])
        // top 20 % = 200 members: 399 gives 280, 400 gives 180 → 400; top 5 % = 50: 688 gives 80, 689 gives 40
        // → 689; top 1 % = 10: 800 gives 40, 801 gives 7 → 801.
        #expect(shifted.levels.map(\.suggestedThreshold) == [0, 40_000, 68_900, 80_100])
        #expect(shifted.levels.map(\.suggestedMembers) == [820, 140, 33, 7])
    }

    @Test func tiesGoToTheCloserCountAndTheLowerOnATie() throws {
        // 4 members at 100, 6 at 50. A 30 % top share is 3 members: boundary 100 (4 members ≥ 100, 0 ≥ 101).
        let values: [Int64] = Array(repeating: 100, count: 4) + Array(repeating: 50, count: 6)
        #expect(try LevelCalibration.boundaries(values: values, entry: 0, shares: [0.7, 0.3]) == [50, 100])
        #expect(try LevelCalibration.thresholds(values: values, entry: 0, shares: [0.7, 0.3]) == [0, 100])
        // a 50 % top share: 5 members; 50 gives 10 (5 too many), 51 gives 4 (1 too few) → 51.
        #expect(try LevelCalibration.thresholds(values: values, entry: 0, shares: [0.5, 0.5]) == [0, 51])
        // a 70 % top share: 7 members; 50 gives 10 (3 too many), 51 gives 4 (3 too few) → the lower, 50.
        #expect(try LevelCalibration.thresholds(values: values, entry: 0, shares: [0.3, 0.7]) == [0, 50])
        // a 0 % top level is placed above everyone; thresholds stay strictly ascending.
        #expect(try LevelCalibration.thresholds(values: values, entry: 0, shares: [1, 0, 0]) == [0, 101, 102])
        #expect(try LevelCalibration.boundaries(values: values, entry: 0, shares: [1, 0]) == [50, nil])
    }

    @Test func membersBelowTheEntryThresholdAreLeftOut() throws {
        let (members, below) = try LevelCalibration.shares(values: [0, 0, 5, 10, 20], thresholds: [1, 10])
        #expect(members == [1, 2])
        #expect(below == 2)
    }

    func code(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as AnalyticsError { return e.code } catch { return "\(error)" }
    }

    @Test func badInputIsRefused() {
        #expect(code { _ = try LevelCalibration.shares(values: [], thresholds: [0]) } == AnalyticsError.emptyInput)
        #expect(code { _ = try LevelCalibration.shares(values: [1], thresholds: [0, 10, 10]) } == AnalyticsError.invalidOption)
        #expect(code { _ = try LevelCalibration.shares(values: [1], thresholds: [0, 10, 5]) } == AnalyticsError.invalidOption)
        #expect(code { _ = try LevelCalibration.shares(values: [1], thresholds: []) } == AnalyticsError.invalidOption)
        #expect(code { _ = try LevelCalibration.shares(values: [-1], thresholds: [0]) } == AnalyticsError.negativeAmount)
        #expect(code { _ = try LevelCalibration.shares(values: [1], thresholds: [5]) } == AnalyticsError.insufficientData)
        #expect(code { _ = try LevelCalibration.boundaries(values: [1], entry: 0, shares: [0.8, 0.15, 0.05, 0.01]) }
                == AnalyticsError.invalidOption)  // the textbook's 80/15/5/1 sums to 101 %
        #expect(code { _ = try LevelCalibration.boundaries(values: [1], entry: 0, shares: [1.2, -0.2]) }
                == AnalyticsError.invalidOption)
        #expect(code { _ = try LevelCalibration.thresholds(values: [1], entry: 0, shares: [1], roundingUnit: 0) }
                == AnalyticsError.invalidOption)
        #expect(code { _ = try LevelCalibration.calibrate(values: [1], thresholds: [0, 5], targetShares: [1]) }
                == AnalyticsError.invalidOption)
    }
}
