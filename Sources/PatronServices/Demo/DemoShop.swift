import Foundation
import PatronCore
import PatronStore

/// Runs a ``DemoSimulation`` through a store, day by day: enrolments (some referred), check-ins and reviews, orders
/// with promotion discounts, app campaign orders and coupons, cancellations, completions and returns, redemptions.
/// The end of each day is the caller's (the command line runs the daily jobs there).
public struct DemoShop: Sendable {
    /// The members and purchases to play.
    public let simulation: DemoSimulation
    /// The program the store runs (for its calendar and rewards).
    public let program: Program

    private struct Product {
        let sku: String
        let category: String
        let price: Int64
    }

    private static let catalogue = [
        Product(sku: "TEA-100", category: "tea", price: 3_900), Product(sku: "TEA-250", category: "tea", price: 8_800),
        Product(sku: "CUP-01", category: "teaware", price: 12_800), Product(sku: "POT-02", category: "teaware", price: 45_900),
        Product(sku: "SNACK-7", category: "snacks", price: 1_500), Product(sku: "GIFT-50", category: "gift-cards", price: 5_000),
        Product(sku: "SET-VIP", category: "teaware", price: 128_800),
    ]
    private static let names = ["Li Wei", "Wang Fang", "Zhang Min", "Chen Jing", "Liu Yang", "Ana Souza", "Tom Berg", "Mia Rossi", "Sam Lee", "Ida Moe"]

    /// A coupon a member holds, to use on a later order.
    private struct HeldCoupon {
        let code: String
        let value: Int64
        let minimumSpend: Int64
        let validUntil: Date
    }

    /// A shop playing `simulation` on `program`.
    public init(simulation: DemoSimulation, program: Program) {
        self.simulation = simulation
        self.program = program
    }

    /// Checks that the shop can run on `program` before anything is written: it enrols members before their first
    /// order, so the program's enrolment must be open.
    /// - Throws: `invalidProgram` naming what the demo needs.
    public static func check(_ program: Program) throws {
        guard program.enrollment == .open else {
            throw PatronError(
                .invalidProgram, "the demo enrols members before they buy, so it needs a program with `enrollment: open`; \(program.name) restricts it")
        }
    }

    /// Plays every day of the simulation into `store`, moving `clock` to the start of each next day and then calling
    /// `endOfDay` with it; `progress` hears the day done (1-based) and the counts so far.
    /// - Throws: the store's error when it refuses something the shop expects to succeed.
    public func run(
        store: any Store, clock: ManualClock, endOfDay: (Date) async throws -> Void, progress: (Int, DemoCounts) -> Void
    ) async throws -> DemoCounts {
        try Self.check(program)
        let P = simulation.parameters
        let calendar = program.calendar
        // The storefront's own choices (lines, channel, coupons …) come from a second stream, so that they never
        // change the members and purchases the simulation drew.
        var random = DemoRandom(seed: P.seed &+ 0x5DEE_CE66)
        let customers = simulation.customers
        var joiners = [[Int]](repeating: [], count: P.days)
        var buying = [[(customer: Int, purchase: DemoPurchase)]](repeating: [], count: P.days)
        for c in customers {
            joiners[c.joinDay].append(c.index)
            for purchase in c.purchases { buying[purchase.day].append((c.index, purchase)) }
        }
        let dailyCheckIn = customers.map { _ in random.chance(P.dailyCheckInShare) }
        let checksIn = program.activities.activities["checkIn"] != nil, reviews = program.activities.activities["review"] != nil
        var memberIds = [Int64?](repeating: nil, count: customers.count)
        var coupons: [Int: HeldCoupon] = [:]
        var scheduled: [Int: [(Date, OrderEvent)]] = [:]
        var counts = DemoCounts()
        var orderNumber = 0
        func at(_ day: Int, second: Int) -> Date {
            calendar.startOfDay(P.firstDay.adding(days: day)).addingTimeInterval(TimeInterval(second))
        }
        func nextOrderId() -> String {
            orderNumber += 1
            return String(format: "O%07d", orderNumber)
        }

        for day in 0..<P.days {
            // Enrolments, at the start of the day, before any of the day's orders.
            for index in joiners[day] {
                let c = customers[index]
                let birthday = LocalDate(
                    year: random.integer(in: 1960...2004), month: random.integer(in: 1...12), day: random.integer(in: 1...28))
                let request = EnrollmentRequest(
                    identities: [try Identity.customer(c.customerId), try Identity(kind: Identity.email, value: "\(c.customerId.lowercased())@example.com")],
                    profile: Profile(name: Self.names[index % Self.names.count], birthday: birthday, consents: ["email": index % 3 != 0]),
                    referredBy: try c.referrer.map { try Identity.customer(DemoCustomer.customerId($0)) })
                memberIds[index] = try await store.enroll(request, key: "demo-enrol:\(c.customerId)", origin: ConsentOrigin(source: .import, actor: "demo")).id
                counts.enrolled += 1
                if c.referrer != nil { counts.referred += 1 }
            }

            // Check-ins and reviews arrive concurrently, as from many phones: the group-commit writer batches them.
            // Only the activities the program rewards are sent (another `--program` may have neither).
            var activities: [(Int64, String)] = []
            for index in customers.indices where customers[index].joinDay <= day {
                guard let member = memberIds[index] else { continue }
                if random.chance(dailyCheckIn[index] ? 0.9 : P.casualCheckInChance), checksIn { activities.append((member, "checkIn")) }
                if random.chance(P.reviewChance), reviews { activities.append((member, "review")) }
            }
            let activityAt = at(day, second: 9 * 3_600)
            let dayText = P.firstDay.adding(days: day).description
            counts.activityPoints += try await withThrowingTaskGroup(of: Int64.self) { group in
                for (member, kind) in activities {
                    group.addTask {
                        do {
                            let outcome = try await store.recordActivity(
                                ActivityRequest(memberId: member, kind: kind, key: "\(kind):\(member):\(dayText)", at: activityAt))
                            return outcome.points + outcome.bonus
                        } catch let error as PatronError where error.code == .limitReached {
                            return 0  // a third review this month earns nothing
                        }
                    }
                }
                return try await group.reduce(0, +)
            }

            // The day's orders, and the completions, cancellations and returns scheduled for it.
            var events = scheduled.removeValue(forKey: day) ?? []
            for (index, purchase) in buying[day] {
                let c = customers[index]
                let placedAt = at(day, second: purchase.second)
                var discount: Int64 = 0
                var couponCode: String?
                if let held = coupons[index], held.validUntil > placedAt, purchase.amount >= held.minimumSpend {
                    discount = held.value
                    couponCode = held.code
                    coupons[index] = nil
                    counts.couponsUsed += 1
                } else if c.motive == .price && random.chance(P.dealChance) {
                    // The promotion takes its percent of the goods' value, so the member still pays the drawn spend.
                    discount = max(1, purchase.amount * Int64(P.promotionPercent) / Int64(100 - P.promotionPercent))
                    counts.promotionOrders += 1
                }
                let app = random.chance(c.motive == .incentive ? P.campaignChance : P.otherAppChance)
                if app { counts.appOrders += 1 }
                let lines = basket(worth: purchase.amount + discount, &random)
                let member = try Identity.customer(c.customerId)
                if random.chance(P.cancelShare) {
                    // A first try, cancelled before the order the member keeps.
                    let id = nextOrderId()
                    let order = Order(id: id, member: member, lines: lines, shipping: P.shipping, channel: app ? "app" : "web")
                    events.append((at(day, second: purchase.second / 3), .placed(order, at: at(day, second: purchase.second / 3))))
                    events.append((at(day, second: purchase.second * 2 / 3), .cancelled(id, at: at(day, second: purchase.second * 2 / 3))))
                    counts.placed += 1
                    counts.cancelled += 1
                }
                let id = nextOrderId()
                let order = Order(
                    id: id, member: member, lines: lines, shipping: P.shipping, discount: discount, channel: app ? "app" : "web", couponCode: couponCode)
                events.append((placedAt, .placed(order, at: placedAt)))
                counts.placed += 1
                let completeDay = day + random.integer(in: 2...5)
                scheduled[completeDay, default: []].append((at(completeDay, second: 15 * 3_600), .completed(id, at: at(completeDay, second: 15 * 3_600))))
                let returnable = lines.filter { $0.sku != "LOOSE" }
                if !returnable.isEmpty && random.chance(P.returnShare) {
                    let returnDay = completeDay + random.integer(in: 3...20)
                    let line = random.pick(returnable)
                    let event = OrderEvent.returned(id, lines: [ReturnedLine(lineId: line.id, quantity: 1)], at: at(returnDay, second: 11 * 3_600), id: "\(id):return")
                    scheduled[returnDay, default: []].append((at(returnDay, second: 11 * 3_600), event))
                    counts.returned += 1
                }
            }
            // Stable by time: a cancellation follows its order even within the same second.
            let ordered = events.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
            for result in await store.apply(ordered, options: ApplyOptions()) {
                if case .failure(let error) = result { throw error }
            }

            // Buyers whose active points cover a reward may redeem one, in the evening; different members' redemptions
            // go to the store concurrently, so the group-commit writer batches them.
            var seen = Set<Int>()
            let redeemers = buying[day].map(\.customer).filter { seen.insert($0).inserted && random.chance(P.redeemChance) }
            let redeemAt = at(day, second: 22 * 3_600)
            let held = Set(coupons.keys)
            let redeemed = try await withThrowingTaskGroup(of: (Int, Reward, Redemption)?.self) { group in
                for index in redeemers {
                    guard let memberId = memberIds[index] else { continue }
                    let customer = customers[index], holdsCoupon = held.contains(index)
                    group.addTask {
                        guard let member = try await store.member(id: memberId),
                            let reward = choose(for: customer, member: member, holdsCoupon: holdsCoupon, at: redeemAt)
                        else { return nil }
                        do {
                            let redemption = try await store.redeem(
                                RedeemRequest(memberId: memberId, rewardId: reward.id, key: "demo-redeem:\(memberId):\(dayText)", at: redeemAt))
                            return (index, reward, redemption)
                        } catch let error as PatronError where [.outOfStock, .limitReached, .notEligible, .insufficientPoints].contains(error.code) {
                            return nil  // sold out, or not for this member after all: they keep their points
                        }
                    }
                }
                var done: [(Int, Reward, Redemption)] = []
                for try await result in group { if let result { done.append(result) } }
                return done.sorted { $0.0 < $1.0 }
            }
            for (index, reward, redemption) in redeemed {
                counts.redemptions += 1
                counts.pointsRedeemed += redemption.points
                if case .coupon(let terms) = reward.kind, let code = redemption.couponCode, let validUntil = redemption.validUntil, let value = terms.value {
                    coupons[index] = HeldCoupon(code: code, value: value, minimumSpend: terms.minimumSpend, validUntil: validUntil)
                }
            }

            clock.set(calendar.startOfDay(P.firstDay.adding(days: day + 1)))
            try await endOfDay(clock.now())
            progress(day + 1, counts)
        }
        return counts
    }

    /// The reward a member picks: deal seekers a coupon, others the dearest reward their active points cover (a coupon
    /// only when they hold none).
    private func choose(for customer: DemoCustomer, member: Member, holdsCoupon: Bool, at instant: Date) -> Reward? {
        let level = member.level.effectiveLevel(at: instant)
        let affordable = program.rewards.filter { reward in
            guard reward.cost <= member.balances.active, reward.levels.isEmpty || level.map(reward.levels.contains) == true else { return false }
            if case .coupon(let terms) = reward.kind { return !holdsCoupon && terms.value != nil }
            return true
        }
        let coupons = affordable.filter { if case .coupon = $0.kind { true } else { false } }
        let pool = customer.motive == .price && !coupons.isEmpty ? coupons : affordable
        return pool.max { $0.cost < $1.cost }
    }

    /// Lines worth exactly `amount`: up to three catalogue products that fit, the rest loose-leaf tea sold by weight.
    private func basket(worth amount: Int64, _ random: inout DemoRandom) -> [OrderLine] {
        var lines: [OrderLine] = []
        var left = amount
        for _ in 0..<random.integer(in: 0...3) {
            let product = random.pick(Self.catalogue)
            guard product.price <= left else { continue }
            lines.append(OrderLine(id: "\(lines.count + 1)", sku: product.sku, category: product.category, quantity: 1, unitPrice: product.price))
            left -= product.price
        }
        if left > 0 || lines.isEmpty {
            lines.append(OrderLine(id: "\(lines.count + 1)", sku: "LOOSE", category: "tea", quantity: 1, unitPrice: left))
        }
        return lines
    }
}
