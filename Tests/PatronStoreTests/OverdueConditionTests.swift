import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The `overdue` segment condition (the win-back test: days since the last order exceed the member's own mean time
/// between orders, times a factor), compiled to SQL and run on SQLite and, with `PATRON_TEST_BACKEND=postgres`,
/// PostgreSQL.
@Suite struct OverdueConditionTests {
    static let vocabulary = SegmentVocabulary(levels: [], currency: Currency(code: "CNY")!, activities: [], labels: [:], stored: [:])

    static func condition(_ yaml: String) throws -> SegmentCondition {
        try SegmentFile.parse("segments:\n  - name: probe\n    where: \(yaml)\n", vocabulary: vocabulary)[0].condition!
    }

    /// Seen on day 35: dan ordered on days 0, 10 and 20 (every 10 days; 15 days since the last); eve on days 0 and 30
    /// (30 days apart; 5 since); fay once, on day 0; gus never.
    @Test("overdue selects members whose time since the last order exceeds factor × their mean gap; fewer than 2 orders never match")
    func selectsMembersPastTheirOwnRhythm() async throws {
        let f = try await Fixture()
        let placed: [(String, String, Int)] = [("D1", "dan", 0), ("D2", "dan", 10), ("D3", "dan", 20), ("E1", "eve", 0), ("E2", "eve", 30), ("F1", "fay", 0)]
        let events = placed.map { OrderEvent.placed(f.order($0.0, $0.1, [5_000]), at: f.day($0.2)) }
        let ids = try await f.store.apply(events, options: ApplyOptions(enrollUnknownMembers: true)).map { try $0.get().memberId }
        let gus = try await f.store.enroll(EnrollmentRequest(identities: [try .customer("gus")]), key: nil).id
        let names = [ids[0]: "dan", ids[3]: "eve", ids[5]: "fay", gus: "gus"]
        func members(_ yaml: String) async throws -> Set<String> {
            Set(try await f.store.evaluateSegment(try Self.condition(yaml), at: f.day(35)).map { names[$0] ?? "\($0)" })
        }
        #expect(try await members("{ overdue: {} }") == ["dan"])
        #expect(try await members("{ overdue: { factor: 1.0 } }") == ["dan"])
        #expect(try await members("{ overdue: { factor: 1.4 } }") == ["dan"])
        #expect(try await members("{ overdue: { factor: 1.6 } }") == [])
        #expect(try await members("{ overdue: { factor: 0.1 } }") == ["dan", "eve"])
        #expect(try await members("{ not: { overdue: { factor: 1 } } }") == ["eve", "fay", "gus"])
        #expect(try await members("{ any: [ { overdue: { factor: 1 } }, { orders: { max: 1 } } ] }") == ["dan", "fay", "gus"])
    }

    @Test("an overdue factor that is not a number from 0.1 to 100, or an unknown key, is refused with its path and line")
    func badFactorIsRefused() throws {
        for (yaml, message) in [
            ("{ overdue: { factor: soon } }", "must be a number from 0.1 to 100"), ("{ overdue: { factor: 0 } }", "must be a number from 0.1 to 100"),
            ("{ overdue: { days: 3 } }", "days"),
        ] {
            do {
                _ = try Self.condition(yaml)
                Issue.record("\(yaml) was accepted")
            } catch let error as PatronError {
                let details = error.details.joined(separator: "\n")
                #expect(details.contains("segments[0].where.overdue"), "\(details)")
                #expect(details.contains("(line 3)"), "\(details)")
                #expect(details.contains(message), "\(details)")
            }
        }
    }

    @Test("overdue is spelled back in the form it is read")
    func spellingRoundTrips() throws {
        let condition = try Self.condition("{ overdue: { factor: 1.5 } }")
        #expect(condition == .overdue(factor: 1.5))
        #expect(try Self.condition(condition.spelled(minorDigits: 2)) == condition)
    }
}

extension OverdueConditionTests {
    @Test("the example win-back segment reads as P(alive) fell or overdue by 1.5 × the member's own gap")
    func exampleWinBackSegmentUsesOverdue() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/campaigns/win-back-segment.yaml").path
        let segments = try SegmentFile.parse(try String(contentsOfFile: path, encoding: .utf8), vocabulary: Self.vocabulary)
        guard case .any(let parts)? = segments.first?.condition else {
            Issue.record("the win-back segment is not an any: condition")
            return
        }
        #expect(parts.count == 2)
        #expect(parts.contains(.overdue(factor: 1.5)))
    }
}
