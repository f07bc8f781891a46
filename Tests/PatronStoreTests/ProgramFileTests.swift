import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

@Suite struct ProgramFileTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try ProgramFile.parse(text)
            return []
        } catch let error as PatronError {
            #expect(error.code == .invalidProgram)
            return error.details
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func theExampleProgramIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (program, _) = try ProgramFile.load(path: root.appendingPathComponent("examples/programs/starter.yaml").path)
        #expect(program.currency.code == "CNY")
        #expect(program.timeZone.identifier == "Asia/Shanghai")
        #expect(program.pendingDays == 14)
        #expect(program.expiry == .afterMonths(6))
        #expect(program.earning.base.excludedCategories == ["gift-cards"])
    }

    @Test func jsonIsAcceptedToo() throws {
        let program = try ProgramFile.parse(
            #"{"name": "J", "currency": "USD", "timeZone": "America/New_York", "earning": {"points": "1.5", "per": "1.00", "rounding": "nearest"}, "expiry": "never", "enrollment": {"type": "restricted", "condition": "firstOrder"}}"#)
        #expect(program.earning.rules.first?.kind == .fixed(points: Rate(15, per: 10), perMinor: 100))
        #expect(program.earning.rounding == .nearest)
        #expect(program.enrollment == .restricted(.firstOrder))
    }

    @Test func everyProblemIsReportedWithItsPath() {
        let found = problems(
            """
            name: Bad
            currency: XYZ
            timeZone: Mars/Olympus
            earning:
              points: -1
              per: "0"
              rounding: up
              base: { includeShipping: maybe, excludeSkus: [a, [b]] }
            pending: { days: 400 }
            expiry: { afterDays: 30, endOfYear: 1 }
            webhooks: []
            """)
        let expected = [
            "currency (line 2): 'XYZ' is not an ISO 4217",
            "timeZone (line 3): 'Mars/Olympus' is not an IANA time zone",
            "earning.points (line 5): must be a number from 0 to 1,000,000",
            "earning.rounding (line 7): must be floor, nearest or ceiling",
            "earning.base.includeShipping (line 8): must be true or false",
            "earning.base.excludeSkus[1] (line 8): must be a single value",
            "pending.days (line 9): must be a whole number from 0 to 365",
            "expiry (line 10): must be 'never' or exactly one of",
            "webhooks (line 11): unknown key",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "missing: \(prefix) in \(found)")
        }
    }

    @Test func missingFieldsAreNamed() {
        let found = problems("name: Only a name")
        // A missing key is reported at the line of the mapping that lacks it.
        #expect(found.contains { $0.hasPrefix("currency (line 1): is required") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("timeZone (line 1): is required") })
        #expect(found.contains { $0.hasPrefix("earning (line 1): is required") })
    }

    @Test func malformedYAMLSaysWhere() {
        do {
            _ = try ProgramFile.parse("name: [unclosed\ncurrency: CNY")
            Issue.record("malformed YAML must be refused")
        } catch let error as PatronError {
            #expect(error.code == .invalidProgram)
            #expect(error.details.first?.contains("line") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func perUsesTheCurrencysMinorUnit() {
        #expect(problems("name: Y\ncurrency: JPY\ntimeZone: Asia/Tokyo\nearning: { points: 1, per: \"1.50\" }").contains { $0.hasPrefix("earning.per") })
    }

    @Test func loadingTheSameTextKeepsTheVersionAndAChangeMakesANewOne() async throws {
        let f = try await Fixture()
        let again = try await f.store.loadProgram(f.program, source: Fixture.shanghaiProgram)
        #expect(again.version == 1 && !again.isNew)
        let changed = Fixture.shanghaiProgram + "\n# a comment is a change of text"
        let next = try await f.store.loadProgram(f.program, source: changed)
        #expect(next.version == 2 && next.isNew)
        #expect(try await f.store.currentProgram()?.version == 2)
    }

    @Test func independentProblemsInEverySectionAreAllReportedWithTheirLines() {
        // Each section has its own mistake; the currency's and the time zone's used to stop the reading, hiding the
        // partners', the transfers' and the levels' coupons.
        let found = problems(
            """
            name: Many
            currency: XYZ
            timeZone: Mars/Olympus
            earning: { points: 1, per: "abc" }
            levels:
              tiers:
                - name: Silver
                  threshold: "0"
                  benefits: { monthlyCoupons: [nope] }
            rewards:
              - { id: r1, kind: gift, cost: -5 }
            partners:
              - { id: p1, paysPerPoint: x, receivesPerPoint: "0.01" }
            transfers: { minimum: 0, feePercent: 200 }
            referral: { referrer: many }
            pending: { days: 400 }
            """)
        let expected = [
            "currency (line 2):", "timeZone (line 3):", "earning.per (line 4):", "levels.tiers[0].benefits.monthlyCoupons (line 6):",
            "rewards[0].cost (line 11):", "partners[0].paysPerPoint (line 13):", "transfers.minimum (line 14):", "transfers.feePercent (line 14):",
            "referral.referrer (line 15):", "pending.days (line 16):",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "missing: \(prefix) in \(found)")
        }
        #expect(found.allSatisfy { $0.contains("(line ") }, "every problem names its line: \(found)")
    }

    @Test func aProgramStringWithANulCharacterIsRefusedNamingItsPath() {
        let found = problems("name: \"Bad\\0name\"\ncurrency: USD\ntimeZone: UTC\nearning: { points: 1, per: \"1.00\" }\n")
        #expect(found.contains { $0.hasPrefix("name (line 1): must not contain a NUL") }, "\(found)")
    }
}
