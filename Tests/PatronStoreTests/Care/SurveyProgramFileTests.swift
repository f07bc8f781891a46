import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The program file's `care.surveys` section, and the NPS arithmetic.
@Suite struct SurveyProgramFileTests {
    static let head = """
        name: Survey shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }

        """

    @Test("care.surveys sets the sample, the per-member limit and the window; without it surveys are off")
    func surveysSectionIsRead() throws {
        let program = try ProgramFile.parse(Self.head + "care:\n  surveys: { samplePercent: 35, oncePerDays: 60, withinDays: 7 }\n")
        #expect(program.care.surveys == SurveyPolicy(samplePercent: 35, oncePerDays: 60, withinDays: 7))
        let defaults = try ProgramFile.parse(Self.head + "care:\n  surveys: {}\n")
        #expect(defaults.care.surveys == SurveyPolicy(samplePercent: 20, oncePerDays: 90, withinDays: 14))
        #expect(try ProgramFile.parse(Self.head).care.surveys == nil)
    }

    @Test("a sample over 100 %, a negative limit and an unknown key are each named with path and line")
    func badSurveysAreReported() {
        let text = Self.head + """
            care:
              surveys:
                samplePercent: 120
                oncePerDays: -1
                colour: red
            """
        do {
            _ = try ProgramFile.parse(text)
            Issue.record("the bad section was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidProgram)
            #expect(error.details.contains { $0.hasPrefix("care.surveys.samplePercent (line 7)") })
            #expect(error.details.contains { $0.hasPrefix("care.surveys.oncePerDays (line 8)") })
            #expect(error.details.contains { $0.hasPrefix("care.surveys.colour (line 9)") })
            #expect(error.details.count == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("NPS is the share of promoters (9–10) minus the share of detractors (0–6), passives (7–8) only dilute")
    func npsArithmetic() {
        #expect(NPSTally().score == nil)
        #expect(NPSTally(scores: [10, 9, 8, 7, 6, 0]).score == 0)
        #expect(NPSTally(scores: [10, 10, 10, 6]).score == 50)
        #expect(NPSTally(scores: [9, 7, 7, 7]).score == 25)
        #expect(NPSTally(scores: [0, 6, 5]).score == -100)
        #expect((0...10).map { NPSCategory(score: $0) } == Array(repeating: .detractor, count: 7) + [.passive, .passive, .promoter, .promoter])
    }

    @Test("the sample hash is fixed: the same order lands in the same bucket on every machine")
    func sampleBucketsAreStable() {
        // Worked out by hand from FNV-1a("survey.nps", id) and the SplitMix64 finaliser.
        #expect(["A-1", "A-2", "order-42"].map { SurveySampling.bucket(order: $0) } == [2_131, 5_998, 1_081])
        #expect(SurveyPolicy(samplePercent: 22).samples(order: "A-1"))
        #expect(!SurveyPolicy(samplePercent: 21).samples(order: "A-1"))
        let share = Double((0..<10_000).filter { SurveySampling.bucket(order: "o\($0)") < 2_000 }.count) / 10_000
        #expect(abs(share - 0.2) < 0.02)
    }
}
