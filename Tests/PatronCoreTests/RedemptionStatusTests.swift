import Foundation
import PatronCore
import Testing

/// The redemption status machine: every status against every event, for every kind of reward.
@Suite struct RedemptionStatusTests {
    /// The allowed moves, written out by hand: anything not listed must be refused.
    static let allowed: [RedemptionStatus: [RedemptionStatus.Event: RedemptionStatus]] = [
        .issued: [.use: .used, .ship: .shipped, .reverse: .reversed],
        .used: [.release: .issued],
        .shipped: [.deliver: .delivered, .reverse: .reversed],
        .delivered: [:],
        .reversed: [:],
    ]

    static let coupon = Reward.Kind.coupon(CouponTerms(value: 1_000, validDays: 30))
    static let kinds: [Reward.Kind] = [coupon, .gift, .pointsAndCash(cash: 100), .event, .lottery([Prize(points: 5, probability: Rate(1, per: 2))])]

    /// Which events a kind of reward takes at all.
    static func takes(_ event: RedemptionStatus.Event, _ kind: Reward.Kind) -> Bool {
        switch (event, kind) {
        case (.use, .coupon), (.release, .coupon), (.ship, .gift), (.deliver, .gift): true
        case (.reverse, .lottery): false
        case (.reverse, _): true
        default: false
        }
    }

    @Test func everyStatusAndEventPairMovesExactlyAsTheTableSays() {
        for status in RedemptionStatus.allCases {
            for event in RedemptionStatus.Event.allCases {
                #expect(status.after(event) == Self.allowed[status]?[event], "\(status) on \(event)")
            }
        }
    }

    @Test func everyTransitionOfEveryKindIsAllowedOrRefusedAsInvalidTransition() throws {
        for kind in Self.kinds {
            for status in RedemptionStatus.allCases {
                for event in RedemptionStatus.Event.allCases {
                    if Self.takes(event, kind), let expected = Self.allowed[status]?[event] {
                        #expect(try status.next(after: event, kind: kind, redemption: 7) == expected)
                    } else {
                        #expect { try status.next(after: event, kind: kind, redemption: 7) } throws: {
                            ($0 as? PatronError)?.code == .invalidTransition && ($0 as? PatronError)?.message.contains("redemption 7") == true
                        }
                    }
                }
            }
        }
    }

    @Test func aLotteryDrawCannotBeReversedFromAnyStatus() {
        let lottery = Reward.Kind.lottery([Prize(points: 5, probability: Rate(1, per: 2))])
        for status in RedemptionStatus.allCases {
            #expect { try status.next(after: .reverse, kind: lottery, redemption: 1) } throws: {
                ($0 as? PatronError)?.message.contains("lottery") == true
            }
        }
    }

    @Test func onlyReversedRedemptionsGiveTheirStockBack() {
        #expect(RedemptionStatus.allCases.filter { !$0.holdsStock } == [.reversed])
    }

    @Test func fulfilmentNamesOnlyShippedAndDelivered() throws {
        #expect(try RedemptionStatus.Event(fulfilment: "shipped") == .ship)
        #expect(try RedemptionStatus.Event(fulfilment: "delivered") == .deliver)
        for text in ["issued", "reversed", "used", "Shipped", ""] {
            #expect { try RedemptionStatus.Event(fulfilment: text) } throws: { ($0 as? PatronError)?.code == .invalidInput }
        }
    }

    @Test func statusesKeepTheirStoredSpelling() {
        #expect(RedemptionStatus.allCases.map(\.rawValue) == ["issued", "used", "shipped", "delivered", "reversed"])
    }
}

/// Coupon codes, lottery outcomes and level overrides: rules that used to sit in the SQL code.
@Suite struct RewardRulesTests {
    @Test func generatedCouponCodesUseTheUnambiguousAlphabetAndPassValidation() throws {
        var generator = SplitMix(seed: 42)
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let code = CouponCode.generate(using: &generator)
            #expect(code.count == 16 && code.allSatisfy { CouponCode.alphabet.contains($0) })
            #expect(!code.contains { "01ILO".contains($0) })
            try CouponCode.validate(code, line: 1)
            seen.insert(code)
        }
        #expect(seen.count == 1_000)
    }

    @Test func uploadedCodesMustBeOneTo64LettersDigitsAndDashes() throws {
        try CouponCode.validate("PARTNER-2026-abc", line: 1)
        try CouponCode.validate(String(repeating: "A", count: 64), line: 1)
        for bad in ["", String(repeating: "A", count: 65), "A B", "A_B", "A\u{0}B", "A;DROP"] {
            #expect { try CouponCode.validate(bad, line: 3) } throws: {
                ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.hasPrefix("code 3") == true
            }
        }
    }

    @Test func aDrawValueGivesThePrizeOfItsSliceAndItsLabel() {
        let coupon = Reward(id: "c5", name: "5 off", kind: .coupon(CouponTerms(value: 500, validDays: 7)), cost: 0)
        let prizes = [Prize(points: 500, probability: Rate(1, per: 4)), Prize(reward: "c5", probability: Rate(1, per: 4))]
        let quarter = LotteryDraw.range / 4
        #expect(LotteryDraw.outcome(for: 0, in: prizes, catalogue: [coupon]) == .points(500))
        #expect(LotteryDraw.outcome(for: quarter - 1, in: prizes, catalogue: [coupon]).label == "500 points")
        #expect(LotteryDraw.outcome(for: quarter, in: prizes, catalogue: [coupon]) == .coupon(rewardId: "c5", terms: CouponTerms(value: 500, validDays: 7)))
        #expect(LotteryDraw.outcome(for: 2 * quarter, in: prizes, catalogue: [coupon]).label == "no prize")
        #expect(LotteryDraw.outcome(for: quarter, in: prizes, catalogue: []) == .nothing)
        var generator = SplitMix(seed: 1)
        for _ in 0..<1_000 { #expect(LotteryDraw.value(using: &generator) < LotteryDraw.range) }
    }

    @Test func remainingStockIsConfiguredMinusTakenNeverBelowZero() {
        let gift = Reward(id: "g", name: "g", kind: .gift, cost: 1, stock: 3)
        #expect(gift.remainingStock(taken: 0) == 3)
        #expect(gift.remainingStock(taken: 2) == 1)
        #expect(gift.remainingStock(taken: 5) == 0)
        #expect(Reward(id: "u", name: "u", kind: .gift, cost: 1).remainingStock(taken: 9) == nil)
    }
}
