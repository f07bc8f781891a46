import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The programme pages: the explanation, versions, the diff and the two-step upload.
@Suite struct ProgramPagesTests {
    static let goldClub = try! String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8)

    @Test func theProgrammePageExplainsLevelsRulesAndVersionsInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            let viewer = try await console.browser(.readOnly)
            let english = try await console.get("/console/program?lang=en", as: viewer)
            #expect(english.status == 200)
            for expected in ["Northwind Gold Club", "Diamond", "2000.00 USD", "tier boost", "Corner Bakery", "Points stay pending for 30 days", "not recorded"] {
                #expect(english.text.contains(expected), "missing \(expected)")
            }
            #expect(english.text.range(of: "tier boost")!.lowerBound < english.text.range(of: "big basket")!.lowerBound)
            #expect(!english.text.contains("/console/program/upload"), "a read-only account is not offered the upload")
            let chinese = try await console.get("/console/program?lang=zh-Hans", as: viewer)
            for expected in ["会员等级", "积分在收货后待生效 30 天", "任何人均可免费加入"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }
        }
    }

    @Test func aBrokenUploadShowsEveryProblemWithItsLineAndLoadsNothing() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let broken = Self.goldClub.replacingOccurrences(of: "currency: USD", with: "currency: XYZ")
                .replacingOccurrences(of: "  days: 30", with: "  days: -4")
            let answer = try await console.post("/console/program/upload", [("source", broken)], as: owner)
            #expect(answer.status == 400)
            #expect(answer.text.contains("currency (line 3)"), "the error names the path and line")
            #expect(answer.text.contains("pending.days (line"), "every problem is shown, not only the first")
            #expect(answer.text.contains("XYZ"))
            #expect(try await console.store.programVersions().count == 1)
            // Loading straight away is refused too, with the same errors.
            let load = try await console.post("/console/program/load", [("source", broken), ("confirm", "yes")], as: owner)
            #expect(load.status == 400)
            #expect(try await console.store.programVersions().count == 1)
        }
    }

    @Test func aGoodUploadIsConfirmedWithItsDiffThenLoadedAndAudited() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let changed = Self.goldClub.replacingOccurrences(of: "  days: 30", with: "  days: 14")
                .replacingOccurrences(of: "      threshold: \"750.00\"", with: "      threshold: \"800.00\"")
            let check = try await console.post("/console/program/upload", [("source", changed)], as: owner)
            #expect(check.status == 200)
            #expect(check.text.contains("pendingDays"), "the summary names the changed setting")
            #expect(check.text.contains("Gold"), "the summary names the changed level")
            #expect(check.text.contains("800.00") && check.text.contains("750.00"), "the line diff shows the old and the new line")
            #expect(try await console.store.programVersions().count == 1, "checking loads nothing")

            let unconfirmed = try await console.post("/console/program/load", [("source", changed)], as: owner)
            #expect(unconfirmed.status == 400)
            #expect(unconfirmed.text.contains("confirm-error"))
            #expect(try await console.store.programVersions().count == 1)

            let loaded = try await console.post("/console/program/load", [("source", changed.replacingOccurrences(of: "\n", with: "\r\n")), ("confirm", "yes")], as: owner)
            #expect(loaded.status == 303)
            #expect(try await console.store.currentProgram()?.program.pendingDays == 14)
            #expect(try await console.store.currentProgram()?.source == changed, "a browser's CR LF line ends are stored as the file's LF")
            let audit = try await console.store.auditLog(after: 0, limit: 100, subject: "program:2")
            #expect(audit.map(\.action) == ["program.load"])
            #expect(audit.first?.actor == "staff:owner")
            let page = try await console.get("/console/program", as: owner)
            #expect(page.text.contains("staff:owner"))
            #expect(page.text.contains("/console/program/diff?from=1&amp;to=2"))
        }
    }

    @Test func theDiffPageComparesAnyTwoVersions() async throws {
        try await ConsoleHarness.run { console in
            let changes = ProgramChanges(context: console.context)
            let changed = Self.goldClub.replacingOccurrences(of: "    - name: welcome\n      firstOrderBonus: 50\n", with: "")
            _ = try await changes.load(source: changed, actor: "test")
            let viewer = try await console.browser(.analyst)
            let diff = try await console.get("/console/program/diff?from=1&to=2", as: viewer)
            #expect(diff.status == 200)
            #expect(diff.text.contains("welcome"))
            #expect(diff.text.contains("removed"))
            #expect(diff.text.contains("firstOrderBonus: 50"))
            let missing = try await console.get("/console/program/diff?from=1&to=9", as: viewer)
            #expect(missing.status == 404)
            let version = try await console.get("/console/program/versions/1", as: viewer)
            #expect(version.status == 200 && version.text.contains("firstOrderBonus: 50"))
        }
    }

    @Test func onlyRolesThatMayChangeTheProgrammeCanUpload() async throws {
        try await ConsoleHarness.run { console in
            for role in [StaffRole.marketer, .service, .analyst, .readOnly] {
                let browser = try await console.browser(role)
                let answer = try await console.post("/console/program/load", [("source", Self.goldClub + "\n# x"), ("confirm", "yes")], as: browser)
                #expect(answer.status == 403, "\(role)")
            }
            #expect(try await console.store.programVersions().count == 1)
        }
    }
}
