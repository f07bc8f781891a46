import Foundation
import PatronCore
import PatronStore

/// Replays a shop's recorded history through programs, in memory, writing nothing: every order is priced by
/// PatronCore's `EarningCalculator` (through `OrderLedger`'s rules for points paid with and returns) and every level
/// moves by `LevelEngine`, at the moments the store recorded — placement, completion, return, cancellation, the end
/// of a level's validity — exactly as the store applies them. Marketing campaigns are not part of a program: the
/// points their order rules gave each order (as recorded, within their budgets) are added to every side unchanged.
struct HistoryReplay: Sendable {
    /// The recorded events, in the order they happened, shared by every side.
    enum Event: Sendable {
        case enroll(member: Int)
        case place(order: Int)
        case complete(order: Int)
        case activate(order: Int)
        case returned(order: Int)
        case cancel(order: Int)
        case credit(index: Int)
        case override(index: Int)

        /// Same-instant events run in this order (an order is placed before it completes, and so on).
        var rank: Int {
            switch self {
            case .enroll: 0
            case .place: 1
            case .complete: 2
            case .activate: 3
            case .returned: 4
            case .cancel: 5
            case .credit: 6
            case .override: 7
            }
        }
    }

    /// Which program prices what: `order(i)` prices order i; `at(t)` reviews levels at instant t; `recorded(i)` is
    /// the version that priced order i for real, whose points-as-payment rate turned the points paid into money.
    struct Programs: Sendable {
        /// The programs, by slot.
        let list: [Program]
        let order: @Sendable (Int) -> Int
        let at: @Sendable (Date) -> Int
        let recorded: @Sendable (Int) -> Int
    }

    /// One program as the replay reads it at every event. A class, so that taking a program for an event retains one
    /// reference: copying the `Program` struct out of an array retained and released each of its fields, a tenth of a
    /// 1,000,000-order compare's CPU.
    final class Slot: Sendable {
        let program: Program
        /// The program's levels, read at every review (taken from `program` there, the whole struct was copied).
        let levels: LevelPolicy?
        let traits: Traits
        let calendar: ShopCalendar

        init(_ program: Program) {
            self.program = program
            levels = program.levels
            traits = Traits(program)
            calendar = program.calendar
        }
    }

    /// What a program's earning rules read, worked out once per program rather than once per order.
    struct Traits: Sendable {
        var usesLevel = false, usesProfile = false, usesFirst = false
        /// The names of the rules with limits.
        var limited: [String] = []

        init(_ program: Program) {
            for rule in program.earning.rules {
                switch rule.kind {
                case .levelMultiplier: usesLevel = true
                case .birthday: usesProfile = true
                case .firstOrderBonus: usesFirst = true
                default: break
                }
                if !rule.conditions.levels.isEmpty { usesLevel = true }
                if !rule.conditions.tags.isEmpty { usesProfile = true }
                if rule.limit.isLimited { limited.append(rule.name) }
            }
        }
    }

    /// What one side of a replay gives.
    struct Result: Sendable {
        /// Each order's points as placed (0 for none).
        var points: [Int64]
        /// Each order's net points: placed − reversed; 0 when cancelled.
        var net: [Int64]
        /// Σ micropoints by rule over the period's orders that were not cancelled.
        var ruleMicro: [String: Int64]
        /// Σ reversals over the period's orders.
        var reversed: Int64
        /// Σ micropoints of marketing campaigns' order rules over the period's orders that were not cancelled (the
        /// same on every side: campaigns are replayed as they ran).
        var campaignMicro: Int64
        /// Each member's level at the end (index into the levels, -1 for none), by member position.
        var finalLevel: [Int]
        /// Members per level (then none) at the end of each month of the period.
        var monthly: [[Int]]
        /// Each member's qualifying value at the end, by member position.
        var finalValue: [Int64]
    }

    let history: ReplayHistory
    /// The member positions of member ids.
    let memberIndex: [Int64: Int]
    /// The orders rebuilt as their storefront sent them (lines, discounts, shipping, tax, channel).
    let orders: [Order]
    /// Every event with its instant, in order.
    let events: [(at: Date, event: Event)]
    /// Each order's member position (-1 for a member the history lacks).
    let memberOf: [Int]
    /// Each order's completion, goods' value as placed and kept after its returns, by order.
    let completedAt: [Date?]
    let amounts: [Int64]
    let keptAfterReturns: [Int64]
    /// Each order's micropoints from marketing campaigns' order rules, as recorded.
    let campaignMicro: [Int64]
    /// Each order's placing, whether it was cancelled and whether any line came back, read per event without copying
    /// the recorded order.
    let placedAt: [Date]
    let wasCancelled: [Bool]
    let hasReturns: [Bool]

    /// The replay of `history`, built on one thread (tests); `prepared(_:)` builds the same on two.
    init(_ history: ReplayHistory) throws {
        try self.init(history, orders: Self.rebuiltOrders(history), events: Self.events(history))
    }

    /// The replay of `history`, its orders rebuilt beside its events sorted: two independent halves, each on a core.
    static func prepared(_ history: ReplayHistory) async throws -> HistoryReplay {
        async let orders = rebuiltOrders(history)
        let events = events(history)
        return try await HistoryReplay(history, orders: orders, events: events)
    }

    private init(_ history: ReplayHistory, orders: [Order], events: [(at: Date, event: Event)]) throws {
        self.history = history
        var memberIndex: [Int64: Int] = [:]
        memberIndex.reserveCapacity(history.members.count)
        for (position, member) in history.members.enumerated() { memberIndex[member.id] = position }
        self.memberIndex = memberIndex
        self.orders = orders
        self.events = events
        memberOf = history.orders.map { memberIndex[$0.memberId] ?? -1 }
        completedAt = history.orders.map(\.completedAt)
        amounts = history.orders.map(\.amount)
        campaignMicro = history.orders.map(\.campaignMicropoints)
        placedAt = history.orders.map(\.placedAt)
        wasCancelled = history.orders.map { $0.status == .cancelled }
        hasReturns = history.orders.map { $0.lines.contains { $0.returnedQuantity > 0 } }
        keptAfterReturns = history.orders.map { order in
            OrderRecord(
                orderId: order.id, memberId: order.memberId, status: order.status, placedAt: order.placedAt, amount: order.amount, points: 0, base: 0,
                programVersion: 0, lines: order.lines
            ).keptAmount
        }
    }

    /// Every order as its storefront sent it.
    private static func rebuiltOrders(_ history: ReplayHistory) throws -> [Order] {
        let buyer = try Identity.customer("replay")
        return history.orders.map { order($0, buyer: buyer) }
    }

    /// Every event of the history, in time order (ties in the order the store applies them).
    private static func events(_ history: ReplayHistory) -> [(at: Date, event: Event)] {
        var events: [(at: Date, event: Event)] = []
        events.reserveCapacity(history.members.count + history.orders.count * 3 + history.credits.count + history.overrides.count)
        for (position, member) in history.members.enumerated() { events.append((member.enrolledAt, .enroll(member: position))) }
        for (index, recorded) in history.orders.enumerated() {
            events.append((recorded.placedAt, .place(order: index)))
            if let completed = recorded.completedAt { events.append((completed, .complete(order: index))) }
            if recorded.status == .active, let activates = recorded.activatesAt { events.append((activates, .activate(order: index))) }
            if recorded.lines.contains(where: { $0.returnedQuantity > 0 }) {
                events.append((recorded.returnedAt ?? recorded.completedAt ?? recorded.placedAt, .returned(order: index)))
            }
            if recorded.status == .cancelled { events.append((recorded.cancelledAt ?? recorded.placedAt, .cancel(order: index))) }
        }
        for (index, credit) in history.credits.enumerated() { events.append((credit.at, .credit(index: index))) }
        for (index, item) in history.overrides.enumerated() { events.append((item.at, .override(index: index))) }
        events.sort { $0.at != $1.at ? $0.at < $1.at : $0.event.rank < $1.event.rank }
        return events
    }

    /// The order its storefront sent, rebuilt from the record: each line's net amount as quantity × unit price − line
    /// discount, the order discount as the lines' net less the goods' value.
    static func order(_ recorded: ReplayHistory.Order, buyer: Identity) -> Order {
        let lines = recorded.lines.map { line -> OrderLine in
            let quantity = Int64(max(line.quantity, 1))
            let unit = (line.netAmount + quantity - 1) / quantity
            return OrderLine(id: line.lineId, sku: line.sku, category: line.category, quantity: line.quantity, unitPrice: unit, discount: unit * quantity - line.netAmount)
        }
        let net = recorded.lines.reduce(Int64(0)) { $0 + $1.netAmount }
        return Order(
            id: recorded.id, member: buyer, lines: lines, shipping: recorded.shipping, tax: recorded.tax,
            discount: max(0, net - recorded.amount), channel: recorded.channel, pointsUsed: recorded.pointsUsed)
    }

    /// Replays every event through `programs`; totals count the orders placed in `period`, and `monthEnds` are the
    /// instants at which the level counts are taken.
    func run(_ programs: Programs, period: Range<Date>, monthEnds: [Date], levelNames: [String]) throws -> Result {
        let memberCount = history.members.count
        var states = Array(repeating: LevelState(), count: memberCount)
        var openOrders = Array(repeating: 0, count: memberCount)
        var ruleDays = Array(repeating: [String: [Int]](), count: memberCount)
        // Per order: placed, returned, cancelled, activated.
        var points = Array(repeating: Int64(0), count: orders.count)
        var net = Array(repeating: Int64(0), count: orders.count)
        let slots = programs.list.map(Slot.init)
        var returned = Array(repeating: false, count: orders.count)
        var cancelled = Array(repeating: false, count: orders.count)
        var activated = Array(repeating: false, count: orders.count)
        // Each member's completed orders (kept amounts) and points credited, with running totals over the window.
        var orderWindow = Array(repeating: QualifyingWindow(), count: memberCount)
        var pointsWindow = Array(repeating: QualifyingWindow(), count: memberCount)
        // Each order's place in its member's order window (-1 before it completes, or when cancelled first).
        var entryOf = Array(repeating: -1, count: orders.count)
        // Few rules: a list searched in order is cheaper than hashing each rule's name for every order.
        var ruleMicro: [(rule: String, micro: Int64)] = []
        var reversed: Int64 = 0
        var campaignTotal: Int64 = 0
        var monthly: [[Int]] = []
        var nextMonth = 0
        var enrolled = Array(repeating: false, count: memberCount)

        // A rolling window's start: `Calendar` month arithmetic and time-zone look-ups cost microseconds, so each local
        // day's is worked out once (the last day asked is kept per program, as reviews come in time order). Where the
        // zone's offset holds all day at both ends, the start moves with the time of day; else it is computed.
        var windowDays: [Int: WindowDay] = [:]
        var lastDay: [WindowDay?] = Array(repeating: nil, count: programs.list.count)
        func windowStart(_ slot: Int, _ policy: LevelPolicy, at instant: Date) -> Date {
            let calendar = slots[slot].calendar
            guard case .rollingMonths = policy.window else { return policy.windowStart(at: instant, calendar: calendar) ?? .distantPast }
            let day: WindowDay
            if let last = lastDay[slot], last.start <= instant, instant < last.end {
                day = last
            } else {
                let local = calendar.localDate(of: instant)
                let key = slot &* 10_000_000 &+ local.dayNumber
                if let cached = windowDays[key] {
                    day = cached
                } else {
                    day = WindowDay(local, policy, slots[slot].program)
                    windowDays[key] = day
                }
                lastDay[slot] = day
            }
            guard day.exact else { return policy.windowStart(at: instant, calendar: calendar) ?? .distantPast }
            return day.since.addingTimeInterval(instant.timeIntervalSince(day.start))
        }
        func value(_ member: Int, _ slot: Int, _ policy: LevelPolicy, at instant: Date) -> (Int64, Bool) {
            let since = windowStart(slot, policy, at: instant)
            // Completed orders that were not cancelled, kept > 0 after their returns, completed after `since`.
            let kept = orderWindow[member].total(after: since)
            switch policy.metric {
            case .spend: return (kept.positive, kept.entries > 0)
            case .orders: return (kept.entries, kept.entries > 0)
            case .points: return (pointsWindow[member].total(after: since).sum, kept.entries > 0)
            }
        }
        func review(_ member: Int, _ trigger: LevelEngine.Trigger, at instant: Date) {
            let slot = programs.at(instant)
            guard let policy = slots[slot].levels else { return }
            let (qualifying, hasOrder) = value(member, slot, policy, at: instant)
            if let change = LevelEngine.evaluate(
                states[member], value: qualifying, hasCompletedOrder: hasOrder, trigger: trigger, at: instant, policy: policy,
                calendar: slots[slot].calendar)
            {
                states[member] = change.state
            } else if trigger == .validityEnded {
                states[member].validUntil = nil
            }
        }
        /// Reviews whose validity ended by `instant` (the daily job reviews each at its own end).
        func catchUp(_ member: Int, to instant: Date) {
            while let until = states[member].validUntil, until <= instant {
                let before = states[member]
                review(member, .validityEnded, at: until)
                if states[member] == before { break }
            }
        }
        func snapshot(at instant: Date) -> [Int] {
            var counts = Array(repeating: 0, count: levelNames.count + 1)
            for member in 0..<memberCount where enrolled[member] {
                catchUp(member, to: instant)
                counts[levelIndex(states[member].effectiveLevel(at: instant), levelNames)] += 1
            }
            return counts
        }

        for (instant, event) in events {
            while nextMonth < monthEnds.count, monthEnds[nextMonth] < instant {
                monthly.append(snapshot(at: monthEnds[nextMonth]))
                nextMonth += 1
            }
            switch event {
            case .enroll(let member):
                enrolled[member] = true
                review(member, .qualifyingEvent, at: instant)
            case .place(let index):
                let member = memberOf[index]
                guard member >= 0 else { continue }
                catchUp(member, to: instant)
                let slot = slots[programs.order(index)]
                let context = earningContext(
                    slot, member: member, state: states[member], isFirst: openOrders[member] == 0, days: ruleDays[member], at: instant)
                var earning: Earning
                if orders[index].pointsUsed > 0 {
                    // The part paid with points is a discount, as the program in force accepted it.
                    let paid = try OrderLedger.earningOrder(orders[index], program: slots[programs.recorded(index)].program)
                    earning = try EarningCalculator.earning(of: paid, under: slot.program, context: context)
                } else {
                    earning = try EarningCalculator.earning(of: orders[index], under: slot.program, context: context)
                }
                // Marketing campaigns are not the program's: their order rules' parts go in as they ran, rounded with
                // the program's own parts once for the order, as the store rounded them.
                let campaign = campaignMicro[index]
                if campaign != 0 {
                    let total = earning.breakdown.reduce(campaign) { $0 + $1.micropoints }
                    earning.points = max(0, Rate.divide(total, times: 1, by: 1_000_000, rounding: slot.program.earning.rounding) ?? 0)
                }
                points[index] = earning.points
                if hasReturns[index] {
                    let recorded = history.orders[index]
                    let record = OrderRecord(
                        orderId: recorded.id, memberId: recorded.memberId, status: .placed, placedAt: instant, amount: recorded.amount,
                        points: earning.points, base: earning.base, programVersion: recorded.programVersion,
                        lines: zip(recorded.lines, earning.lineBases).map { line, base in
                            var line = line
                            line.base = base
                            return line
                        })
                    net[index] = earning.points - OrderLedger.reversal(of: record)
                } else {
                    net[index] = earning.points
                }
                let limited = slot.traits.limited
                if !limited.isEmpty {
                    let day = slot.calendar.localDate(of: instant).dayNumber
                    for part in earning.breakdown where part.note == nil && limited.contains(part.rule) {
                        ruleDays[member][part.rule, default: []].append(day)
                    }
                }
                openOrders[member] += 1
                if period.contains(placedAt[index]), !wasCancelled[index] {
                    for part in earning.breakdown where part.note == nil {
                        if let at = ruleMicro.firstIndex(where: { $0.rule == part.rule }) {
                            ruleMicro[at].micro += part.micropoints
                        } else {
                            ruleMicro.append((part.rule, part.micropoints))
                        }
                    }
                    reversed += earning.points - net[index]
                    campaignTotal += campaign
                }
            case .complete(let index):
                let member = memberOf[index]
                guard member >= 0 else { continue }
                catchUp(member, to: instant)
                if !cancelled[index] {
                    entryOf[index] = orderWindow[member].append(
                        returned[index] ? keptAfterReturns[index] : amounts[index], at: completedAt[index] ?? instant)
                }
                review(member, .qualifyingEvent, at: instant)
            case .activate(let index):
                let member = memberOf[index]
                guard member >= 0 else { continue }
                activated[index] = true
                // Points returned before activation never became active.
                let before = returned[index] ? net[index] : points[index]
                if before != 0 { pointsWindow[member].append(before, at: instant) }
            case .returned(let index):
                let member = memberOf[index]
                guard member >= 0 else { continue }
                catchUp(member, to: instant)
                returned[index] = true
                if entryOf[index] >= 0, !cancelled[index] { orderWindow[member].set(entryOf[index], to: keptAfterReturns[index]) }
                if activated[index], points[index] != net[index] { pointsWindow[member].append(net[index] - points[index], at: instant) }
                review(member, .returned, at: instant)
            case .cancel(let index):
                let member = memberOf[index]
                guard member >= 0 else { continue }
                catchUp(member, to: instant)
                cancelled[index] = true
                if entryOf[index] >= 0 { orderWindow[member].set(entryOf[index], to: 0) }
                net[index] = 0
                openOrders[member] -= 1
                review(member, .returned, at: instant)
            case .credit(let index):
                let credit = history.credits[index]
                guard let member = memberIndex[credit.memberId] else { continue }
                catchUp(member, to: instant)
                pointsWindow[member].append(credit.points, at: instant)
                review(member, .qualifyingEvent, at: instant)
            case .override(let index):
                // A level set by hand holds on every side, as staff set it (no review runs).
                let item = history.overrides[index]
                guard let member = memberIndex[item.memberId] else { continue }
                catchUp(member, to: instant)
                states[member].override = LevelOverride(level: item.level, until: item.until, reason: item.reason)
            }
        }
        while nextMonth < monthEnds.count {
            monthly.append(snapshot(at: monthEnds[nextMonth]))
            nextMonth += 1
        }
        let end = monthEnds.last ?? period.upperBound
        let endSlot = programs.at(end)
        let endPolicy = slots[endSlot].levels
        var finalLevel = Array(repeating: -1, count: memberCount)
        var finalValue = Array(repeating: Int64(0), count: memberCount)
        for member in 0..<memberCount where enrolled[member] {
            catchUp(member, to: end)
            let level = levelIndex(states[member].effectiveLevel(at: end), levelNames)
            finalLevel[member] = level == levelNames.count ? -1 : level
            if let policy = endPolicy { finalValue[member] = value(member, endSlot, policy, at: end).0 }
        }
        return Result(points: points, net: net, ruleMicro: Dictionary(ruleMicro.map { ($0.rule, $0.micro) }, uniquingKeysWith: +), reversed: reversed, campaignMicro: campaignTotal, finalLevel: finalLevel, monthly: monthly, finalValue: finalValue)
    }

    /// What the earning rules know of a member at an instant, computing only what `program`'s rules read (as the store does).
    func earningContext(
        _ slot: Slot, member: Int, state: LevelState, isFirst: Bool, days: [String: [Int]], at instant: Date
    ) -> EarningContext {
        let traits = slot.traits
        var context = EarningContext(at: instant)
        if traits.usesLevel { context.level = state.effectiveLevel(at: instant) }
        if traits.usesProfile {
            let profile = history.members[member]
            context.birthday = profile.birthday
            context.tags = profile.tags
        }
        if traits.usesFirst { context.isFirstOrder = isFirst }
        if !traits.limited.isEmpty {
            let window = RuleUsage.Window(slot.calendar.localDate(of: instant))
            for rule in traits.limited {
                var usage = RuleUsage.none
                for used in days[rule] ?? [] { usage.count(useOn: used, around: window) }
                context.usage[rule] = usage
            }
        }
        return context
    }
}

/// The position of a level name among `names`, or `names.count` for none (or a name the program no longer has).
func levelIndex(_ level: String?, _ names: [String]) -> Int {
    guard let level, let index = names.firstIndex(of: level) else { return names.count }
    return index
}
