import Foundation
import PatronCore
import PatronFiles
import PatronStore
import Testing

@Suite struct CampaignFileTests {
    static let vocabulary = CampaignVocabulary(currency: Currency(code: "CNY")!, segments: ["lapsing"], couponRewards: ["welcome-10"])

    static let good = """
        name: win-back-2026-03
        description: Bring lapsing buyers back
        segment: lapsing
        window: { starts: 2026-03-01, ends: 2026-03-31 }
        attributionDays: 14
        holdout: 10%
        budget: { points: 10000, money: "500.00" }
        perMember: { points: 300 }
        actions:
          - grantPoints: 100
          - orderBonus: { points: 50, minimumAmount: "100.00" }
          - reward: welcome-10
          - tag: win-back
          - untag: lapsed
          - message: { template: win-back, channel: email }
        """

    @Test("a complete campaign file reads into its campaign")
    func readsACompleteFile() throws {
        let campaign = try CampaignFile.parse(Self.good, vocabulary: Self.vocabulary)
        #expect(campaign.name == "win-back-2026-03")
        #expect(campaign.segment == "lapsing")
        #expect(campaign.starts == LocalDate(iso: "2026-03-01"))
        #expect(campaign.attributionEnds == LocalDate(iso: "2026-04-14"))
        #expect(campaign.holdoutBasisPoints == 1_000)
        #expect(campaign.pointsBudget == 10_000)
        #expect(campaign.moneyBudget == 50_000)
        #expect(campaign.perMemberPoints == 300)
        #expect(campaign.actions == [
            .grantPoints(100), .orderBonus(50, minimumAmount: 10_000), .reward("welcome-10"), .tag("win-back"), .untag("lapsed"),
            .message(template: "win-back", channel: "email"),
        ])
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try CampaignFile.parse(text, vocabulary: Self.vocabulary)
            return []
        } catch let error as PatronError {
            return error.details.isEmpty ? [error.message] : error.details
        } catch { return ["\(error)"] }
    }

    @Test("an unknown segment, a budget of 0, a window that ends before it starts are refused with path and line")
    func badInputNamesPathAndLine() {
        let text = """
            name: spring
            segment: nobody
            window: { starts: 2026-03-31, ends: 2026-03-01 }
            budget: { points: 0 }
            actions:
              - grantPoints: 100
            """
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix("segment (line 2): no segment is named 'nobody'") })
        #expect(found.contains("window.ends (line 3): the window ends (2026-03-01) before it starts (2026-03-31)"))
        #expect(found.contains("budget.points (line 4): must be a positive whole number of points, not '0'"))
        #expect(found.count == 3)
    }

    @Test("unknown actions and keys, a negative money budget, a holdout over 50 %, an unknown reward are each reported")
    func moreBadInput() {
        let text = """
            name: spring
            segment: lapsing
            window: { starts: 2026-03-01, ends: 2026-03-31 }
            holdout: 60
            budget: { money: "-5.00" }
            colour: red
            actions:
              - sendFlowers: 3
              - reward: teapot
              - orderMultiplier: { multiplier: 1 }
            """
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix("holdout (line 4):") })
        #expect(found.contains { $0.hasPrefix("budget.money (line 5): must be a positive amount") })
        #expect(found.contains { $0.hasPrefix("colour (line 6): unknown key") })
        #expect(found.contains { $0.hasPrefix("actions[0].sendFlowers (line 8): unknown action") })
        #expect(found.contains { $0.hasPrefix("actions[1].reward (line 9): 'teapot' is not a coupon reward") })
        #expect(found.contains { $0.hasPrefix("actions[2].orderMultiplier.multiplier (line 10): must be more than 1") })
    }

    @Test("a campaign without actions or a window is refused")
    func missingParts() {
        let found = problems("name: spring\nsegment: lapsing\n")
        #expect(found.contains { $0.hasPrefix("window") && $0.hasSuffix("is required") })
        #expect(found.contains { $0.hasPrefix("actions") && $0.contains("is required") })
    }

    @Test("text that is not YAML is refused naming the campaign file")
    func notYAML() {
        do {
            _ = try CampaignFile.parse("name: [unclosed\n", vocabulary: Self.vocabulary)
            Issue.record("broken YAML was accepted")
        } catch let error as PatronError {
            #expect(error.code == .invalidInput)
            #expect(error.message == "the campaign file is not valid YAML or JSON")
            #expect(error.details.first?.hasPrefix("line 2") == true)
        } catch { Issue.record("\(error)") }
    }
}
