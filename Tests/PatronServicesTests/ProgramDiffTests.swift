import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing

/// The difference between two program versions, and the program in words.
@Suite struct ProgramDiffTests {
    static let goldClub = try! String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)

    static func diff(_ old: String, _ new: String) throws -> ProgramDiff {
        ProgramDiff(old: (try ProgramFile.parse(old), old), new: (try ProgramFile.parse(new), new))
    }

    @Test func aReplacedLineIsRemovedThenAddedWithBothLineNumbers() throws {
        let new = Self.goldClub.replacingOccurrences(of: "  days: 30", with: "  days: 14")
        let diff = try Self.diff(Self.goldClub, new)
        let changed = diff.lines.filter { $0.kind != .same }
        #expect(changed.map(\.kind) == [.removed, .added])
        #expect(changed.map(\.text) == ["  days: 30", "  days: 14"])
        #expect(changed[0].oldNumber == changed[1].newNumber)
        #expect(diff.lines.count == 2 + 2 * ProgramDiff.context, "only the context around the change is kept")
        #expect(diff.changes == [ProgramDiff.Change(part: .setting, name: "pendingDays", kind: .changed)])
    }

    @Test func theSummaryNamesChangedLevelsRemovedRulesAndAddedRewards() throws {
        let new = Self.goldClub.replacingOccurrences(of: "threshold: \"750.00\"", with: "threshold: \"800.00\"")
            .replacingOccurrences(of: "    - name: welcome\n      firstOrderBonus: 50\n", with: "")
            + "\nrewards:\n  - { id: mug, name: Mug, kind: gift, cost: 500 }\n"
        let changes = try Self.diff(Self.goldClub, new).changes
        #expect(changes.contains(ProgramDiff.Change(part: .level, name: "Gold", kind: .changed)))
        #expect(changes.contains(ProgramDiff.Change(part: .rule, name: "welcome", kind: .removed)))
        #expect(changes.contains(ProgramDiff.Change(part: .reward, name: "mug", kind: .added)))
        #expect(!changes.contains { $0.name == "Silver" || $0.name == "tier boost" }, "unchanged parts are not listed")
    }

    @Test func onlyACommentChangedChangesNoPart() throws {
        let diff = try Self.diff(Self.goldClub, "# a note\n" + Self.goldClub)
        #expect(!diff.identical)
        #expect(diff.changes.isEmpty)
        #expect(try Self.diff(Self.goldClub, Self.goldClub).identical)
    }

    @Test func theExplanationSpeaksBothLanguagesFromTheFile() throws {
        let program = try ProgramFile.parse(try String(contentsOfFile: "examples/programs/textbook.yaml", encoding: .utf8))
        let english = ProgramExplanation(program: program, language: .english)
        let chinese = ProgramExplanation(program: program, language: .simplifiedChinese)
        #expect(english.levels.map(\.name) == chinese.levels.map(\.name))
        #expect(english.levels.last?.name == "至尊VIP会员")
        #expect(english.rules.map(\.number) == Array(1...program.earning.rules.count))
        #expect(english.pendingAndExpiry.hasPrefix("Points stay pending for 7 days"))
        #expect(chinese.pendingAndExpiry.hasPrefix("积分在收货后待生效 7 天"))
        #expect(english.rewards.first { $0.id == "teacup" }?.kind == "gift, shipped")
        #expect(chinese.rewards.first { $0.id == "teacup" }?.kind == "实物礼品，需配送")
        #expect(chinese.rewards.first { $0.id == "coupon-10" }?.limits == "最多每月 2 次")
    }
}
