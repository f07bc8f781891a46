import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

/// The quote the command line and the API share: its lines add up, refused SKUs are left out, coupons and stored
/// members are looked up in one place.
@Suite struct QuoteServiceTests {
    static let at = ISO8601DateFormatter().date(from: "2026-03-01T04:00:00Z")!
    let textbook = try! exampleProgram("textbook.yaml")
    let gold = try! exampleProgram("gold-club.yaml")

    func described(_ level: String?, points: Int64 = 0) -> QuoteRequest.Buyer {
        .described(MemberDescription(level: level), activePoints: points, couponHolder: nil)
    }

    /// The JSON lines of a quote, as a storefront reads them, summed.
    func jsonLinesSum(_ quote: Quote) throws -> (lines: Int64, total: Int64) {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(quote)) as! [String: Any]
        let lines = (object["lines"] as! [[String: Any]]).map { ($0["amount"] as! NSNumber).int64Value }
        return (lines.reduce(0, +), (object["total"] as! NSNumber).int64Value)
    }

    @Test func theReadmeCartShowsShippingAndItsWaiverAndItsLinesAddUpToWhatIsToPay() async throws {
        let cart = Cart(lines: [OrderLine(sku: "TEA-1", quantity: 2, unitPrice: 20_000)], shipping: 1_200, usePoints: 2_000)
        let quote = try await QuoteService(program: textbook, store: nil).quote(QuoteRequest(cart: cart, buyer: described("VIP会员", points: 5_000), at: Self.at))
        // 400.00; 5 % = 20.00 → 380.00; spend 300 save 20 → 360.00; shipping 12.00 waived; 2,000 points pay 20.00 → 340.00.
        #expect(quote.lines.map(\.label) == ["goods", "level discount 5 %", "spend 300.00 save 20.00", "shipping", "free shipping", "2000 points"])
        #expect(quote.lines.map(\.amount) == [40_000, -2_000, -2_000, 1_200, -1_200, -2_000])
        #expect(quote.shipping == 1_200 && quote.total == 34_000)
        #expect(quote.lines.reduce(0) { $0 + $1.amount } == quote.total)
    }

    @Test func theLinesSumToTheTotalOverThousandsOfRandomCarts() async throws {
        var random = SplitMix(seed: 2026)
        let skus = ["TEA-1", "TEA-2", "TEA-RESERVE-2026", "DIAMOND-EDITION", "CUP", "GIFTCARD"]
        var checked = 0
        var refusedSeen = 0
        for program in [textbook, gold] {
            let service = QuoteService(program: program, store: nil)
            let levels: [String?] = [nil] + (program.levels?.levels.map(\.name) ?? [])
            for index in 0..<1_500 {
                let lines = (0..<Int.random(in: 1...5, using: &random)).map { line -> OrderLine in
                    let quantity = Int.random(in: 1...4, using: &random)
                    let price = Int64.random(in: 0...60_000, using: &random)
                    let discount = Bool.random(using: &random) ? Int64.random(in: 0...(price * Int64(quantity)), using: &random) : 0
                    return OrderLine(id: "\(line)", sku: skus.randomElement(using: &random)!, quantity: quantity, unitPrice: price, discount: discount)
                }
                let cart = Cart(
                    lines: lines, shipping: Int64.random(in: 0...3_000, using: &random),
                    usePoints: Bool.random(using: &random) ? Int64.random(in: 0...50_000, using: &random) : nil)
                let level = levels.randomElement(using: &random)!
                let request = QuoteRequest(cart: cart, buyer: described(level, points: Int64.random(in: 0...20_000, using: &random)), at: Self.at)
                let quote: Quote
                do {
                    quote = try await service.quote(request)
                } catch let error as PatronError where error.code == .notEligible {
                    continue  // every line reserved to a higher level, or below a coupon's minimum
                }
                let adjustments = quote.adjustments.reduce(0) { $0 + $1.amount }
                #expect(quote.goods + quote.shipping - adjustments == quote.total, "cart \(index): \(quote)")
                #expect(quote.lines.reduce(0) { $0 + $1.amount } == quote.total, "cart \(index): \(quote.lines)")
                let json = try jsonLinesSum(quote)
                #expect(json.lines == json.total)
                #expect(quote.total >= 0)
                // Goods are exactly the lines the level may buy.
                let allowed = lines.filter { !quote.refusedSKUs.contains($0.sku) }
                #expect(quote.goods == allowed.reduce(0) { $0 + $1.netAmount })
                if !quote.refusedSKUs.isEmpty { refusedSeen += 1 }
                checked += 1
            }
        }
        #expect(checked > 2_000 && refusedSeen > 100)
    }

    @Test func anExclusiveSKUIsLeftOutOfGoodsEarningAndTotalBelowItsLevel() async throws {
        let service = QuoteService(program: textbook, store: nil)
        let tea = OrderLine(id: "1", sku: "TEA-1", quantity: 2, unitPrice: 20_000)
        let reserve = OrderLine(id: "2", sku: "TEA-RESERVE-2026", quantity: 1, unitPrice: 15_000)
        for level in ["普通会员", "VIP会员"] {
            let with = try await service.quote(QuoteRequest(cart: Cart(lines: [tea, reserve], shipping: 1_200), buyer: described(level), at: Self.at))
            let without = try await service.quote(QuoteRequest(cart: Cart(lines: [tea], shipping: 1_200), buyer: described(level), at: Self.at))
            #expect(with.refusedSKUs == ["TEA-RESERVE-2026"])
            #expect(with.goods == 40_000 && with.goods == without.goods)
            #expect(with.total == without.total && with.pointsEarned == without.pointsEarned && with.lines == without.lines)
        }
        // The level it is reserved to buys it.
        let top = try await service.quote(QuoteRequest(cart: Cart(lines: [tea, reserve]), buyer: described("至尊VIP会员"), at: Self.at))
        #expect(top.refusedSKUs.isEmpty && top.goods == 55_000)
        // A cart of nothing else has nothing to quote.
        await #expect { try await service.quote(QuoteRequest(cart: Cart(lines: [reserve]), buyer: described("VIP会员"), at: Self.at)) } throws: {
            ($0 as? PatronError)?.code == .notEligible && ($0 as? PatronError)?.message.contains("TEA-RESERVE-2026") == true
        }
    }

    @Test func aStoredMemberIsQuotedWithTheirLevelBalanceAndCoupon() async throws {
        let f = try await ServicesFixture()
        let ann = try await f.member("ann", points: 500)
        let coupon = try await f.store.redeem(RedeemRequest(memberId: ann.id, rewardId: "coupon-10", key: "c", at: ServicesFixture.now))
        let service = try await QuoteService(context: f.context)
        let cart = Cart(lines: [OrderLine(sku: "TEA", quantity: 1, unitPrice: 10_000), OrderLine(sku: "RESERVE", quantity: 1, unitPrice: 5_000)], shipping: 800,
                        usePoints: 10_000)
        let quote = try await service.quote(
            QuoteRequest(cart: cart, buyer: .member(reference: "customer:ann"), couponCode: coupon.couponCode, at: ServicesFixture.now))
        // RESERVE is VIP's: left out. 100.00 − coupon 10.00 = 90.00; points pay at most 20 % (18.00 = 1,800 points) but
        // Ann holds 400 → 4.00; shipping 8.00 is paid (Member has no free shipping).
        #expect(quote.refusedSKUs == ["RESERVE"])
        #expect(quote.adjustments.map(\.benefit) == ["coupon", "400 points"])
        #expect(quote.maxPayablePoints == 400 && quote.total == 10_000 - 1_000 - 400 + 800)
        #expect(quote.lines.reduce(0) { $0 + $1.amount } == quote.total)
        // By id too, as the API's path may name a member.
        let byId = try await service.quote(
            QuoteRequest(cart: cart, buyer: .member(reference: String(ann.id)), couponCode: coupon.couponCode, at: ServicesFixture.now))
        #expect(byId == quote)
        // Another member cannot use Ann's coupon.
        _ = try await f.member("bo", points: 0)
        await #expect {
            try await service.quote(QuoteRequest(cart: cart, buyer: .member(reference: "customer:bo"), couponCode: coupon.couponCode, at: ServicesFixture.now))
        } throws: { ($0 as? PatronError)?.code == .notEligible }
        // A described member names the coupon's holder.
        let described = try await service.quote(
            QuoteRequest(
                cart: cart, buyer: .described(MemberDescription(level: "Member"), activePoints: 400, couponHolder: "customer:ann"),
                couponCode: coupon.couponCode, at: ServicesFixture.now))
        #expect(described.total == quote.total)

        // Made VIP by hand, Ann gets VIP's benefits and may buy RESERVE, though no earning rule reads the level.
        _ = try await f.store.setLevel(
            LevelOverrideRequest(memberId: ann.id, level: "VIP", until: ServicesFixture.now.addingTimeInterval(86_400), reason: "test", actor: "test",
                                 key: "vip", at: ServicesFixture.now))
        let vip = try await service.quote(QuoteRequest(cart: cart, buyer: .member(reference: "customer:ann"), at: ServicesFixture.now))
        // 150.00; 5 % = 7.50 → 142.50; free shipping from 50.00; 400 points pay 4.00 → 138.50.
        #expect(vip.refusedSKUs.isEmpty && vip.goods == 15_000)
        #expect(vip.lines.map(\.label) == ["goods", "level discount 5 %", "shipping", "free shipping", "400 points"])
        #expect(vip.total == 13_850 && vip.lines.reduce(0) { $0 + $1.amount } == vip.total)
    }

    @Test func aCouponOrAStoredMemberWithoutADatabaseIsInvalidInput() async throws {
        let service = QuoteService(program: textbook, store: nil)
        let cart = Cart(lines: [OrderLine(sku: "TEA-1", quantity: 1, unitPrice: 20_000)])
        await #expect { try await service.quote(QuoteRequest(cart: cart, buyer: .member(reference: "customer:C1"), at: Self.at)) } throws: {
            ($0 as? PatronError)?.code == .invalidInput
        }
        await #expect { try await service.quote(QuoteRequest(cart: cart, buyer: described(nil), couponCode: "ABC", at: Self.at)) } throws: {
            ($0 as? PatronError)?.code == .invalidInput && ($0 as? PatronError)?.message.hasPrefix("coupon:") == true
        }
        await #expect { try await service.quote(QuoteRequest(cart: cart, buyer: described(nil, points: -1), at: Self.at)) } throws: {
            ($0 as? PatronError)?.code == .invalidInput
        }
        await #expect { try await service.quote(QuoteRequest(cart: cart, buyer: described("Gold"), at: Self.at)) } throws: {
            ($0 as? PatronError)?.code == .invalidInput
        }
    }

    @Test func aMissingMemberIsNotFound() async throws {
        let f = try await ServicesFixture()
        let service = try await QuoteService(context: f.context)
        let cart = Cart(lines: [OrderLine(sku: "TEA", quantity: 1, unitPrice: 10_000)])
        await #expect { try await service.quote(QuoteRequest(cart: cart, buyer: .member(reference: "customer:nobody"), at: ServicesFixture.now)) } throws: {
            ($0 as? PatronError)?.code == .notFound
        }
    }
}
