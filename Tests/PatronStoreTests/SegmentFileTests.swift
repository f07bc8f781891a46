import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// Reading segment files: the documented spelling, and every problem reported with its path and line, nothing read.
@Suite struct SegmentFileTests {
    static var vocabulary: SegmentVocabulary {
        var vocabulary = SegmentStoreTests.vocabulary
        vocabulary.stored = ["vips": SegmentDefinition(name: "vips", kind: .dynamic, condition: .level(["VIP"]))]
        return vocabulary
    }

    /// The problems a file has, as "path (line N): message".
    func problems(_ text: String, vocabulary: SegmentVocabulary = SegmentFileTests.vocabulary) -> [String] {
        do {
            _ = try SegmentFile.parse(text, vocabulary: vocabulary)
            return []
        } catch let error as PatronError {
            return [error.message] + error.details
        } catch {
            return ["\(error)"]
        }
    }

    @Test func aFileInTheDocumentedSpellingReadsIntoDefinitions() throws {
        let text = """
            segments:
              - name: lapsing
                description: Gone quiet
                where:
                  all:
                    - level: [Member, VIP]
                    - daysSinceLastOrder: { min: 90 }
                    - spend: { days: 365, min: "500.00" }
                    - not: { tag: staff }
                    - any: [{ consent: email }, { identity: social:wechat }]
                    - pAlive: { max: 0.4, maxAge: 36h }
              - name: fair
                type: static
            """
        let definitions = try SegmentFile.parse(text, vocabulary: Self.vocabulary)
        #expect(definitions.map(\.name) == ["lapsing", "fair"])
        #expect(definitions[1].kind == .static && definitions[1].condition == nil)
        #expect(
            definitions[0].condition
                == .all([
                    .level(["Member", "VIP"]), .daysSinceLastOrder(SegmentRange(min: 90)), .spend(days: 365, SegmentRange(min: 50_000)),
                    .not(.tag(["staff"])), .any([.consent("email"), .identity("social:wechat")]),
                    .score(.pAlive, SegmentRange(max: 0.4), maxAgeHours: 36),
                ]))
    }

    @Test func aConditionsSpellingReadsBackToTheSameCondition() throws {
        for (yaml, _) in SegmentStoreTests.cases {
            let text = "segments:\n  - name: probe\n    where: \(yaml)\n"
            let condition = try #require(try SegmentFile.parse(text, vocabulary: Self.vocabulary)[0].condition)
            let again = "segments:\n  - name: probe\n    where: \(condition.spelled(minorDigits: 2))\n"
            #expect(try SegmentFile.parse(again, vocabulary: Self.vocabulary)[0].condition == condition, "\(yaml)")
        }
    }

    static let badFiles: [(String, String)] = [
        ("segments:\n  - name: a\n    where: { ordrs: { min: 1 } }\n", "segments[0].where.ordrs (line 3): unknown condition 'ordrs'"),
        ("segments:\n  - name: a\n    where:\n      activePoints: { min: many }\n", "segments[0].where.activePoints.min (line 4): must be a whole number"),
        ("segments:\n  - name: a\n    where: { level: Gold }\n", "segments[0].where.level (line 3): 'Gold' is not a level; the program has Member, VIP"),
        ("segments:\n  - name: a\n    where: { segment: a }\n", "segments[0].where.segment (line 3): segment 'a' refers to itself"),
        (
            "segments:\n  - name: a\n    where: { segment: b }\n  - name: b\n    where: { segment: a }\n",
            "segments[0].where.segment (line 3): refers back to itself: a → b → a"
        ),
        ("segments:\n  - name: a\n    where: { segment: nobody }\n", "segments[0].where.segment (line 3): no segment is named 'nobody'"),
        ("segments:\n  - name: a\n    where: { level: VIP, tag: x }\n", "segments[0].where (line 3): has 2 keys (level, tag); combine conditions with all: or any:"),
        ("segments:\n  - name: a\n", "segments[0].where (line 2): is required for a dynamic segment"),
        ("segments:\n  - name: a b\n    where: { tag: x }\n", "segments[0].name (line 2): 'a b' is not a segment name"),
        ("segments:\n  - name: a\n    type: static\n    where: { tag: x }\n", "segments[0].where (line 4): a static segment has no condition"),
        ("segments:\n  - name: a\n    where: { orders: { days: 0, min: 1 } }\n", "segments[0].where.orders.days (line 3): must be a whole number from 1 to 3650"),
        ("segments:\n  - name: a\n    where: { orders: { } }\n", "segments[0].where.orders (line 3): give min and/or max"),
        ("segments:\n  - name: a\n    where: { orders: { min: 5, max: 2 } }\n", "segments[0].where.orders.max (line 3): must not be below min"),
        ("segments:\n  - name: a\n    where: { spend: { min: \"1.234\" } }\n", "segments[0].where.spend.min (line 3): must be an amount in CNY"),
        ("segments:\n  - name: a\n    where: { birthdayMonth: [1, 13] }\n", "segments[0].where.birthdayMonth[1] (line 3): must be a month from 1 to 12"),
        ("segments:\n  - name: a\n    where: { rfmSegment: heroes }\n", "segments[0].where.rfmSegment (line 3): 'heroes' is not a rfmSegment value"),
        ("segments:\n  - name: a\n    where: { rfmCell: \"561\" }\n", "segments[0].where.rfmCell (line 3): '561' is not an RFM cell"),
        ("segments:\n  - name: a\n    where: { pAlive: { min: 1.5 } }\n", "segments[0].where.pAlive (line 3): P(alive) lies from 0 to 1"),
        ("segments:\n  - name: a\n    where: { pAlive: { min: 0.5, maxAge: soon } }\n", "segments[0].where.pAlive.maxAge (line 3): must be hours or days"),
        ("segments:\n  - name: a\n    where: { lastActivity: { kind: dance, max: 3 } }\n", "segments[0].where.lastActivity.kind (line 3): 'dance' is not an activity"),
        ("segments:\n  - name: a\n    where: { identity: fax }\n", "segments[0].where.identity (line 3): 'fax' is not an identity kind"),
        ("segments:\n  - name: a\n    where: { all: [] }\n", "segments[0].where.all (line 3): must list at least one condition"),
        ("segments:\n  - name: a\n    where: { all: { tag: x } }\n", "segments[0].where.all (line 3): must be a list of conditions"),
        ("segments:\n  - name: a\n    where: { tag: x }\n  - name: a\n    where: { tag: y }\n", "segments[1].name (line 4): 'a' is also the name of segments[0]"),
        ("segments:\n  - name: a\n    colour: red\n    where: { tag: x }\n", "segments[0].colour (line 3): unknown key"),
        ("segments: {}\n", "segments (line 1): must be a list of segments"),
        ("segments: [\n", "the segments file is not valid YAML or JSON"),
    ]

    @Test(arguments: SegmentFileTests.badFiles)
    func aBadFileIsRefusedNamingThePathAndLine(_ text: String, _ expected: String) {
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func everyProblemOfAFileIsReportedAtOnce() {
        let found = problems("segments:\n  - name: a\n    where: { level: Gold }\n  - name: b\n    where: { ordrs: 1 }\n")
        #expect(found.count == 3)
        #expect(found[0] == "the segments have 2 problems")
    }

    @Test func aCycleThroughAStoredSegmentIsFound() {
        var vocabulary = Self.vocabulary
        vocabulary.stored["old"] = SegmentDefinition(name: "old", kind: .dynamic, condition: .segment("new"))
        let found = problems("segments:\n  - name: new\n    where: { segment: old }\n", vocabulary: vocabulary)
        #expect(found.dropFirst() == ["segments[0].where.segment (line 3): refers back to itself: new → old → new"])
    }

    @Test func aProgramFilesSegmentsSectionIsReadAndTheProgramStillLoads() throws {
        let text = SegmentStoreTests.program + "\nsegments:\n  - name: reviewers\n    where: { lastActivity: { kind: review, max: 30 } }\n"
        _ = try ProgramFile.parse(text)
        let definitions = try SegmentFile.parseAny(text, vocabulary: Self.vocabulary)
        #expect(definitions.map(\.name) == ["reviewers"])
    }
}
