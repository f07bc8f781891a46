import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing

/// The simulation the command line and the API share.
@Suite struct SimulationServiceTests {
    let textbook = try! exampleProgram("textbook.yaml")
    let at = ISO8601DateFormatter().date(from: "2026-05-10T04:00:00Z")!

    @Test func anOrderEarnsWhatTheCalculatorGivesForTheDescribedMember() throws {
        let cart = Cart(lines: [OrderLine(sku: "ORDER", quantity: 1, unitPrice: 30_000)])
        let member = MemberDescription(level: "VIP会员", birthday: LocalDate(year: 1990, month: 5, day: 31), isFirstOrder: true)
        let earning = try SimulationService(program: textbook).order(cart, member: member, at: at)
        // The README's simulation: 300.00 at 1.5, ×1.2 for VIP, the first-order bonus, doubled in the birthday month.
        #expect(earning.points == 1_090 && earning.breakdown.count == 4)
        let order = Order(id: "x", member: try .customer("x"), lines: cart.lines)
        let direct = try EarningCalculator.earning(
            of: order, under: textbook,
            context: EarningContext(at: at, level: "VIP会员", birthday: LocalDate(year: 1990, month: 5, day: 31), isFirstOrder: true))
        #expect(earning == direct)
    }

    @Test func anUnknownLevelOrABadCartIsInvalidInput() {
        let service = SimulationService(program: textbook)
        #expect { try service.order(Cart(lines: [OrderLine(sku: "A", quantity: 1, unitPrice: 100)]), member: MemberDescription(level: "Gold"), at: at) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("Gold") == true
        }
        #expect { try service.order(Cart(lines: []), member: MemberDescription(), at: at) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("lines") == true
        }
        #expect { try service.order(Cart(lines: [OrderLine(sku: "A", quantity: 0, unitPrice: 100)]), member: MemberDescription(), at: at) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("quantity") == true
        }
    }

    @Test func anActivityCreditsItsPointsAndTheStreakBonusOfItsDay() throws {
        let service = SimulationService(program: textbook)
        #expect(try service.activity("checkIn", streak: 7) == ActivitySimulation(activity: "checkIn", points: 5, streakBonus: 20))
        #expect(try service.activity("checkIn", streak: 6).streakBonus == 0)
        #expect(try service.activity("review", streak: 1).points == 10)
        #expect { try service.activity("dance", streak: 1) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.contains("checkIn") == true
        }
        #expect { try service.activity("checkIn", streak: 0) } throws: { ($0 as? PatronError)?.code == .invalidInput }
    }

    @Test func theContextsProgramIsTheOneInForce() async throws {
        let f = try await ServicesFixture()
        let service = try await SimulationService(context: f.context)
        #expect(service.program.name == "Test shop")
    }
}

/// The catalogue shows what is left of each reward's stock, on both databases.
@Suite struct RewardCatalogueTests {
    func remaining(_ catalogue: RewardCatalogue, _ id: String) -> Int? {
        catalogue.entries.first { $0.reward.id == id }!.remaining
    }

    @Test func remainingStockGoesDownWithRedemptionsAndBackWithReversals() async throws {
        let f = try await ServicesFixture()
        let ann = try await f.member("ann", points: 1_000)
        var catalogue = try await RewardCatalogue.load(context: f.context)
        #expect(catalogue.entries.map(\.reward.id) == ["coupon-10", "teapot"])
        #expect(remaining(catalogue, "teapot") == 2 && remaining(catalogue, "coupon-10") == nil)

        let first = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "t1", at: ServicesFixture.now))
        #expect(remaining(try await RewardCatalogue.load(context: f.context), "teapot") == 1)
        _ = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "t2", at: ServicesFixture.now))
        catalogue = try await RewardCatalogue.load(context: f.context)
        #expect(remaining(catalogue, "teapot") == 0)
        #expect(catalogue.entries.first { $0.reward.id == "teapot" }!.reward.stock == 2)  // the configured stock stays
        await #expect { try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "teapot", key: "t3", at: ServicesFixture.now)) } throws: {
            ($0 as? PatronError)?.code == .outOfStock
        }

        // Shipping keeps the unit taken; a reversal gives it back.
        _ = try await f.store.fulfil(redemption: first.id, status: "shipped", at: ServicesFixture.now)
        #expect(remaining(try await RewardCatalogue.load(context: f.context), "teapot") == 0)
        _ = try await f.store.reverseRedemption(ReverseRedemptionRequest(redemptionId: first.id, reason: "lost", key: "r1", at: ServicesFixture.now))
        #expect(remaining(try await RewardCatalogue.load(context: f.context), "teapot") == 1)
        #expect(try await f.store.stockTaken() == ["teapot": 1])
    }

    @Test func aProgramFileAloneKnowsTheStockButNotWhatIsLeft() async throws {
        let program = try ProgramFile.parse(ServicesFixture.program)
        let catalogue = try await RewardCatalogue.load(program: program, store: nil)
        #expect(catalogue.entries.map(\.remaining) == [nil, nil])
        #expect(catalogue.entries.map(\.reward.stock) == [nil, 2])
    }
}
