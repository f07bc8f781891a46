import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

/// The program file's `messages:` section: triggers, quiet hours and the weekly cap read as written, and every mistake
/// reported at its path and line, as `patron program validate` prints them.
@Suite struct MessagePlanFileTests {
    static let base = """
        name: Shop
        currency: CNY
        timeZone: Asia/Shanghai
        earning: { points: 1, per: "1.00" }

        """

    func problems(_ section: String) -> [String] {
        do {
            _ = try ProgramFile.parse(Self.base + section)
            Issue.record("the program was accepted")
            return []
        } catch let error as PatronError {
            #expect(error.code == .invalidProgram)
            return error.details
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func theExampleSectionReadsEveryTriggerWithItsDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (program, _) = try ProgramFile.load(path: root.appendingPathComponent("examples/programs/starter-messages.yaml").path)
        let plan = try #require(program.messages)
        #expect(plan.quietHours == QuietHours(from: 21 * 60, to: 8 * 60))
        #expect(plan.marketingPerWeek == 2)
        #expect(plan.triggers.count == 11)
        let winback = try #require(plan.trigger(id: "winback"))
        #expect(winback.cause == .inactive(days: [30, 60, 90]))
        #expect(winback.kind == .inactive && winback.purpose == .marketing)
        #expect(winback.channels == [.email, .sms, .inbox] && winback.stopWhen == [.ordered])
        let review = try #require(plan.trigger(id: "review"))
        #expect(review.cause == .orderDelivered && review.kind == .orderDelivered && review.delayMinutes == 3 * 1_440)
        #expect(plan.trigger(id: "thanks")?.cause == .thankYou(topPercent: 5, every: .quarter))
        #expect(plan.trigger(id: "expiring")?.cause == .pointsExpiring(withinDays: 14))
        #expect(plan.trigger(id: "welcome")?.purpose == .transactional)
    }

    @Test func aTriggerMayNameItsKindPurposeSegmentAndDelay() throws {
        let program = try ProgramFile.parse(
            Self.base + """
                messages:
                  triggers:
                    - { id: vip-review, on: orderDelivered, kind: campaign, purpose: marketing, segment: vip, delay: 1d12h, channels: [push] }
                """)
        let trigger = try #require(program.messages?.triggers.first)
        #expect(trigger.kind == .campaign && trigger.purpose == .marketing && trigger.segment == "vip")
        #expect(trigger.delayMinutes == 36 * 60 && trigger.channels == [.push] && trigger.stopWhen.isEmpty)
    }

    @Test func everyMistakeIsReportedAtItsLine() {
        let found = problems(
            """
            messages:
              quietHours: { from: "25:00", to: "08:00" }
              frequencyCap: { marketingPerWeek: 0 }
              triggers:
                - { id: welcome, on: joined, channels: [email] }
                - { id: welcome, on: enrolled, channels: [fax, email, email] }
                - { id: "bad id!", on: inactive, days: [60, 30], channels: [sms] }
                - { id: exp, on: pointsExpiring, channels: [inbox], days: [3] }
                - { id: thanks, on: thankYou, channels: [inbox] }
                - { id: late, on: birthday, delay: 2w, channels: [] , stopWhen: [bored] }
            """)
        let expected = [
            "messages.quietHours.from (line 6): must be a time of day as HH:mm",
            "messages.frequencyCap.marketingPerWeek (line 7): must be a whole number from 1 to 100",
            "messages.triggers[0].on (line 9): 'joined' is not a cause",
            "messages.triggers[1].channels[0] (line 10): 'fax' is not a message channel",
            "messages.triggers[1].channels[2] (line 10): email is listed twice",
            "messages.triggers[2].id (line 11): must be 1 to 32 letters",
            "messages.triggers[2].days[1] (line 11): must be more than the step before (60)",
            "messages.triggers[3].days (line 12): belongs to on: inactive, not on: pointsExpiring",
            "messages.triggers[3].withinDays (line 12): is required",
            "messages.triggers[4].topPercent (line 13): is required unless the trigger names a segment",
            "messages.triggers[5].delay (line 14): must be a delay such as",
            "messages.triggers[5].channels (line 14): must name at least one channel",
            "messages.triggers[5].stopWhen[0] (line 14): 'bored' is not a stop condition",
        ]
        for line in expected {
            #expect(found.contains { $0.hasPrefix(line) }, "missing: \(line)\nfound:\n\(found.joined(separator: "\n"))")
        }
    }

    @Test func aTriggerNamedTwiceIsRefused() {
        let found = problems(
            """
            messages:
              triggers:
                - { id: hello, on: enrolled, channels: [email] }
                - { id: hello, on: firstOrder, channels: [inbox] }
            """)
        #expect(found == ["messages.triggers[1].id (line 8): 'hello' names another trigger too"])
    }
}
