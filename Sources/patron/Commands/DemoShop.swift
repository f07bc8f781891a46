import Foundation
import PatronCore

/// The demo's simulated shop: members with 80/20-shaped buying rates, orders of a few lines, cancellations and
/// partial returns, all drawn from a seeded generator so every run is the same.
struct DemoShop {
    /// What the simulation sent.
    struct Counts {
        var placed = 0
        var cancelled = 0
        var returned = 0
        var activityPoints: Int64 = 0

        mutating func add(_ events: [OrderEvent]) {
            for event in events {
                switch event.kind {
                case .placed: placed += 1
                case .cancelled: cancelled += 1
                case .returned: returned += 1
                case .completed: break
                }
            }
        }
    }

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

    private var random: SplitMix
    private let calendar: ShopCalendar
    private let firstDay: LocalDate
    private var joinDay: [Int]
    private var rate: [Double]
    private var scheduled: [Int: [OrderEvent]] = [:]
    private var orderCount = 0

    init(members: Int, seed: UInt64, calendar: ShopCalendar, firstDay: LocalDate) {
        random = SplitMix(seed: seed)
        self.calendar = calendar
        self.firstDay = firstDay
        joinDay = []
        rate = []
        for _ in 0..<members {
            joinDay.append(Int.random(in: 0..<300, using: &random))
            // Orders a year: most members buy once or twice, a few buy every other week.
            let u = Double.random(in: 0.0001..<1, using: &random)
            rate.append(min(30, 0.8 * pow(u, -0.9)))
        }
    }

    /// Members who join on a day.
    mutating func enrollments(on day: Int) -> [(index: Int, request: EnrollmentRequest)] {
        joinDay.indices.filter { joinDay[$0] == day }.map { index in
            let customer = String(format: "C%06d", index + 1)
            let birthday = LocalDate(year: Int.random(in: 1960...2004, using: &random), month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...28, using: &random))
            return (index, EnrollmentRequest(
                identities: [try! Identity.customer(customer), try! Identity(kind: Identity.email, value: "\(customer.lowercased())@example.com")],
                profile: Profile(name: Self.names[index % Self.names.count], birthday: birthday, consents: ["email": index % 3 != 0])))
        }
    }

    /// Members (by index) who check in or write a review on a day: a few habitual check-in keepers and occasional others.
    mutating func activities(on day: Int) -> [(member: Int, kind: String)] {
        var result: [(Int, String)] = []
        for index in joinDay.indices where joinDay[index] <= day {
            let habitual = index % 25 == 0
            if Double.random(in: 0..<1, using: &random) < (habitual ? 0.9 : 0.01) { result.append((index, "checkIn")) }
            if Double.random(in: 0..<1, using: &random) < 0.002 { result.append((index, "review")) }
        }
        return result
    }

    /// The events of a day: new orders, and the completions, cancellations and returns scheduled for it.
    mutating func events(on day: Int) -> [OrderEvent] {
        var events = scheduled.removeValue(forKey: day) ?? []
        for index in joinDay.indices where joinDay[index] <= day && Double.random(in: 0..<1, using: &random) < rate[index] / 365 {
            events.append(contentsOf: placeOrder(for: index, on: day))
        }
        return events.sorted { $0.occurredAt < $1.occurredAt }
    }

    private mutating func placeOrder(for member: Int, on day: Int) -> [OrderEvent] {
        orderCount += 1
        let id = String(format: "O%07d", orderCount)
        let lineCount = Int.random(in: 1...3, using: &random)
        let lines = (0..<lineCount).map { index -> OrderLine in
            let product = Self.catalogue[Int.random(in: 0..<Self.catalogue.count, using: &random)]
            return OrderLine(id: "\(index + 1)", sku: product.sku, category: product.category, quantity: Int.random(in: 1...3, using: &random), unitPrice: product.price)
        }
        let order = Order(id: id, member: try! Identity.customer(String(format: "C%06d", member + 1)), lines: lines, shipping: 1_000)
        let placedAt = at(day, hour: Int.random(in: 8...22, using: &random))
        let fate = Double.random(in: 0..<1, using: &random)
        if fate < 0.04 {
            schedule(.cancelled(id, at: at(day + 1, hour: 10)), on: day + 1)
        } else {
            let completeDay = day + Int.random(in: 2...5, using: &random)
            schedule(.completed(id, at: at(completeDay, hour: 15)), on: completeDay)
            if fate < 0.10 {
                let returnDay = completeDay + Int.random(in: 3...20, using: &random)
                let line = lines[Int.random(in: 0..<lines.count, using: &random)]
                schedule(.returned(id, lines: [ReturnedLine(lineId: line.id, quantity: 1)], at: at(returnDay, hour: 11), id: "\(id):return"), on: returnDay)
            }
        }
        return [.placed(order, at: placedAt)]
    }

    private mutating func schedule(_ event: OrderEvent, on day: Int) {
        scheduled[day, default: []].append(event)
    }

    private func at(_ day: Int, hour: Int) -> Date {
        calendar.startOfDay(firstDay.adding(days: day)).addingTimeInterval(TimeInterval(hour * 3600))
    }
}
