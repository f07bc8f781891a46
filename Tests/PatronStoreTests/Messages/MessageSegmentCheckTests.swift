import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// A message trigger's segment must exist when the program is loaded: a misspelt name is refused at its path and line
/// and nothing is written, instead of every message being suppressed at send time. On SQLite, or PostgreSQL when asked.
@Suite struct MessageSegmentCheckTests {
    static func program(segment: String, extra: String = "") -> String {
        """
        name: Test shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }
        messages:
          triggers:
            - { id: welcome, on: enrolled, channels: [inbox] }
            - { id: vip-thanks, on: thankYou, segment: \(segment), every: year, channels: [inbox] }
        \(extra)
        """
    }

    func refusal(_ store: SQLStore, _ source: String) async throws -> PatronError? {
        do {
            _ = try await store.loadProgram(try ProgramFile.parse(source), source: source)
            return nil
        } catch let error as PatronError {
            return error
        }
    }

    @Test func aTriggerNamingASegmentThatDoesNotExistIsRefusedAtItsLineAndNothingIsLoaded() async throws {
        let fixture = try await Fixture()
        let refused = try #require(try await refusal(fixture.store, Self.program(segment: "vip")))
        #expect(refused.code == .invalidProgram && refused.message == "the program has 1 problem")
        #expect(
            refused.details == [
                "messages.triggers[1].segment (line 8): segment 'vip' does not exist; there are no segments yet "
                    + "(create it with `patron segments load`, or define it in this file's segments: section)"
            ])
        #expect(try await fixture.store.currentProgram()?.version == 1, "nothing was loaded")

        // Once the segment exists the same text loads; a misspelling names the segments there are.
        _ = try await fixture.store.saveSegments(
            [SegmentDefinition(name: "vip", kind: .static, condition: nil), SegmentDefinition(name: "lapsed", kind: .static, condition: nil)], actor: "test",
            at: Fixture.start)
        let misspelt = try #require(try await refusal(fixture.store, Self.program(segment: "vpi")))
        #expect(misspelt.details.first?.hasPrefix("messages.triggers[1].segment (line 8): segment 'vpi' does not exist; the segments are lapsed, vip") == true)
        #expect(try await refusal(fixture.store, Self.program(segment: "vip")) == nil)
        #expect(try await fixture.store.currentProgram()?.version == 2)
    }

    @Test func aSegmentTheProgramFileDefinesItselfCountsAsKnown() async throws {
        let fixture = try await Fixture()
        let source = Self.program(segment: "gold", extra: "segments:\n  - { name: gold, type: static }\n")
        #expect(try await refusal(fixture.store, source) == nil)
        let references = try ProgramFile.segmentReferences(source)
        #expect(references.used == [SegmentReference(path: "messages.triggers[1].segment", line: 8, name: "gold", trigger: "vip-thanks")])
        #expect(references.defined == ["gold"])
    }
}
