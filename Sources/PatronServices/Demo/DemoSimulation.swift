import Foundation
import PatronAnalytics

/// The demo shop's members and their purchases, drawn from ``DemoParameters``: no store, no program, so the
/// parameter-recovery test can fit them directly. ``DemoShop`` turns them into enrolments, orders and redemptions.
public struct DemoSimulation: Sendable {
    /// What the members were drawn from.
    public let parameters: DemoParameters
    /// Every member in index order.
    public let customers: [DemoCustomer]

    /// Draws the members and their purchases.
    ///
    /// Each member enrols on a day drawn uniformly over the period; a buyer (all but ``DemoParameters/prospectShare``)
    /// makes the first purchase on enrolling, then buys at a rate λ ~ gamma(r, α) with exponential gaps (gamma gaps of
    /// the same mean for buyers of habit) and after each repeat purchase drops out with a chance p ~ beta(a, b). Each
    /// order's spend is gamma(p, ν) with ν ~ gamma(q, γ) per member.
    public init(_ parameters: DemoParameters) {
        self.parameters = parameters
        var random = DemoRandom(seed: parameters.seed)
        let P = parameters
        var customers: [DemoCustomer] = []
        customers.reserveCapacity(P.members)
        for index in 0..<P.members {
            let joinDay = random.integer(in: 0...(P.days - 1))
            let buys = !random.chance(P.prospectShare)
            let draw = random.uniform()
            let motive: DemoMotive =
                draw < P.dealSeekerShare ? .price
                : draw < P.dealSeekerShare + P.campaignChaserShare ? .incentive
                : draw < P.dealSeekerShare + P.campaignChaserShare + P.habitualShare ? .habit : .none
            let advocate = buys && random.chance(P.advocateShare)
            // Rates are per day: gamma(r, α) with α a scale in days is a gamma with rate α.
            let rate = random.gamma(shape: P.r, rate: P.alpha)
            let dropout = random.beta(P.a, P.b)
            let spendRate = random.gamma(shape: P.q, rate: P.gamma)
            var customer = DemoCustomer(
                index: index, joinDay: joinDay, buys: buys, motive: buys ? motive : .none, advocate: advocate, referrer: nil,
                purchaseRate: rate, dropout: dropout, spendRate: spendRate, purchases: [], lapsedDay: nil)
            if buys { Self.purchase(&customer, P, &random) }
            customers.append(customer)
        }
        // Referrals: a referred member names an advocate who enrolled on an earlier day.
        var advocates: [Int] = []
        var byDay = customers.indices.sorted { (customers[$0].joinDay, $0) < (customers[$1].joinDay, $1) }[...]
        for day in 0..<P.days {
            var joined: [Int] = []
            while let next = byDay.first, customers[next].joinDay == day {
                byDay.removeFirst()
                joined.append(next)
            }
            for index in joined where !advocates.isEmpty && random.chance(P.referredShare) {
                customers[index].referrer = random.pick(advocates)
            }
            advocates += joined.filter { customers[$0].advocate }
        }
        self.customers = customers
    }

    private static func purchase(_ customer: inout DemoCustomer, _ P: DemoParameters, _ random: inout DemoRandom) {
        func spend() -> Int64 { max(1, Int64((random.gamma(shape: P.p, rate: customer.spendRate) * 100).rounded())) }
        func add(_ t: Double) {
            let day = Int(t.rounded(.down))
            customer.purchases.append(DemoPurchase(day: day, second: min(86_399, Int((t - Double(day)) * 86_400)), amount: spend()))
        }
        // The first purchase on enrolling, in shop hours.
        var t = Double(customer.joinDay) + Double(random.integer(in: 8 * 3_600...21 * 3_600)) / 86_400
        add(t)
        let rate = customer.purchaseRate
        while true {
            t +=
                customer.motive == .habit
                ? random.gamma(shape: P.habitRegularity, rate: P.habitRegularity * rate) : random.exponential(rate: rate)
            guard t < Double(P.days) else { return }
            add(t)
            if random.chance(customer.dropout) {
                customer.lapsedDay = customer.purchases.last!.day
                return
            }
        }
    }

    /// Every purchase as analytics reads it: customer id, day number in the shop's calendar, amount.
    public var purchases: [Purchase] {
        let base = parameters.firstDay.dayNumber
        return customers.flatMap { c in c.purchases.map { Purchase(customer: c.customerId, day: base + $0.day, amount: $0.amount) } }
    }

    /// The number of purchases.
    public var purchaseCount: Int { customers.reduce(0) { $0 + $1.purchases.count } }
}
