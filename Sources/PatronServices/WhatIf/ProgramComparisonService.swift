import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronStore

/// What-if: replays the store's orders of a period through the current program (the versions that were in force)
/// and through a draft, with the engine that earns points for real, and compares them. Writes nothing. The command
/// line's `patron program compare`, the API's `POST /v1/program/compare` and the console share it.
public struct ProgramComparisonService: Sendable {
    /// How to compare.
    public struct Options: Sendable {
        /// Months of orders up to the last one.
        public var months: Int
        /// The value of a point in major units (`0.01`); the program's points-as-payment rate when `nil`.
        public var pointValue: String?
        /// The expected redemption rate, 0…1; observed from the ledger (or the typical rate for the program's age) when `nil`.
        public var redemptionRate: Double?

        /// Makes options.
        public init(months: Int = 12, pointValue: String? = nil, redemptionRate: Double? = nil) {
            self.months = months
            self.pointValue = pointValue
            self.redemptionRate = redemptionRate
        }
    }

    /// The store and the clock.
    public let context: ServiceContext

    /// A comparison over `context`'s store.
    public init(context: ServiceContext) {
        self.context = context
    }

    /// The current program with its level thresholds replaced by `text` (`399,688,888`): one per level, or one per
    /// level above the first (which keeps its own). Amounts for a spend metric, whole numbers otherwise.
    public static func withThresholds(_ program: Program, _ text: String) throws -> Program {
        guard var policy = program.levels else { throw PatronError(.invalidInput, "--levels: \(program.name) has no levels") }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let count = policy.levels.count
        guard parts.count == count || parts.count == count - 1 else {
            throw PatronError(
                .invalidInput, "--levels: \(program.name) has \(count) levels; give \(count - 1) thresholds (the levels above the first) or \(count), not \(parts.count)")
        }
        var thresholds: [Int64] = []
        for (index, part) in parts.enumerated() {
            let value = policy.metric == .spend ? DecimalText.scaled(part, digits: program.currency.minorDigits) : Int64(part)
            guard let value, value >= 0 else {
                let kind = policy.metric == .spend ? "an amount in \(program.currency.code) such as 399 or 399.00" : "a whole number"
                throw PatronError(.invalidInput, "--levels: threshold \(index + 1) must be \(kind), not '\(part)'")
            }
            if let last = thresholds.last, value <= last {
                throw PatronError(.invalidInput, "--levels: threshold \(index + 1) (\(part)) must be greater than the one before it")
            }
            thresholds.append(value)
        }
        let offset = count - thresholds.count
        if offset == 1, let first = thresholds.first, first <= policy.levels[0].threshold {
            throw PatronError(.invalidInput, "--levels: threshold 1 (\(parts[0])) must be greater than \(policy.levels[0].name)'s")
        }
        for (index, value) in thresholds.enumerated() { policy.levels[index + offset].threshold = value }
        var draft = program
        draft.levels = policy
        return draft
    }

    /// Replays the last `options.months` months of orders through the current program and through `draft`.
    public func compare(draft: Program, options: Options = Options()) async throws -> ProgramComparison {
        guard (1...120).contains(options.months) else { throw PatronError(.invalidInput, "months: must be 1 to 120, not \(options.months)") }
        if let rate = options.redemptionRate, !(rate.isFinite && (0...1).contains(rate)) {
            throw PatronError(.invalidInput, "redemption rate: must be from 0 to 1 (0.3 for 30 %), not \(rate)")
        }
        let current = try await context.currentProgram().program
        guard draft.currency == current.currency else {
            throw PatronError(.invalidInput, "the draft's currency \(draft.currency.code) is not the program's \(current.currency.code); its orders cannot be replayed")
        }
        let store = context.store
        let history = try await store.replayHistory(credits: true)
        guard let last = history.orders.map(\.placedAt).max() else {
            throw PatronError(.invalidInput, "the store has no orders to replay")
        }
        return try await Self.compare(
            history: history, current: current, draft: draft, last: last, options: options, ledger: history.quarterHours, outstanding: history.outstanding)
    }

    /// The comparison itself, from what the store gave: pure, so tests and the benchmark call it directly.
    static func compare(
        history: ReplayHistory, current: Program, draft: Program, last: Date, options: Options, ledger: [LedgerQuarterHour], outstanding: Int64
    ) async throws -> ProgramComparison {
        let calendar = current.calendar
        let end = calendar.startOfDay(calendar.localDate(of: last).adding(days: 1))
        let start = calendar.adding(months: -options.months, to: end)
        let period = start..<end
        var monthEnds: [Date] = []
        var monthLabels: [String] = []
        var day = calendar.localDate(of: start)
        day = LocalDate(year: day.year, month: day.month, day: 1)!.adding(months: 1)
        while calendar.startOfDay(day) < end {
            monthEnds.append(calendar.startOfDay(day))
            monthLabels.append(Self.month(day.adding(days: -1)))
            day = day.adding(months: 1)
        }
        monthEnds.append(end)
        monthLabels.append(Self.month(calendar.localDate(of: last)))

        // The versions, as they were loaded.
        var versions: [Int: Program] = [:]
        var notes: [String] = []
        for version in history.versions {
            do { versions[version.version] = try ProgramFile.parse(version.source) } catch {
                notes.append("version \(version.version) no longer reads as a program; the current program stands in for it")
            }
        }
        // Slots: the current program, the draft, then each version that reads.
        var list = [current, draft]
        var slotOf: [Int: Int] = [:]
        var loaded: [(Date, Int)] = []
        for version in history.versions {
            guard let program = versions[version.version] else { continue }
            slotOf[version.version] = list.count
            loaded.append((version.loadedAt, list.count))
            list.append(program)
        }
        let slots = slotOf, versionsLoaded = loaded
        let orders = history.orders
        let versionOf = orders.map { slots[$0.programVersion] ?? 0 }
        let recorded: @Sendable (Int) -> Int = { versionOf[$0] }
        let inForce: @Sendable (Date) -> Int = { instant in versionsLoaded.last { $0.0 <= instant }?.1 ?? versionsLoaded.first?.1 ?? 0 }
        let currentPrograms = HistoryReplay.Programs(list: list, order: recorded, at: inForce, recorded: recorded)
        let draftPrograms = HistoryReplay.Programs(
            list: list, order: { orders[$0].placedAt >= start ? 1 : versionOf[$0] }, at: { $0 >= start ? 1 : inForce($0) }, recorded: recorded)

        var names = current.levels?.levels.map(\.name) ?? []
        for level in draft.levels?.levels ?? [] where !names.contains(level.name) { names.append(level.name) }
        let replay = try await HistoryReplay.prepared(history)
        // The two replays share nothing but the history: each runs on its own core.
        let levelNames = names, ends = monthEnds
        // The members' RFM segments need only the history: worked out beside the replays.
        let endDay = calendar.localDate(of: last).dayNumber
        async let segmentsRun = Self.segments(history: history, replay: replay, period: period, calendar: calendar, endDay: endDay)
        async let currentRun = replay.run(currentPrograms, period: period, monthEnds: ends, levelNames: levelNames)
        async let draftRun = replay.run(draftPrograms, period: period, monthEnds: ends, levelNames: levelNames)
        let a = try await currentRun
        let b = try await draftRun

        // The period's orders, the ledger check and the members' change.
        let inPeriod = orders.indices.filter { period.contains(orders[$0].placedAt) }
        var ledgerPoints: Int64 = 0, replayPoints: Int64 = 0, differing = 0, examples: [String] = []
        var sales: Int64 = 0
        // Each member's points under each side, by member position (orders of members the history lacks by id).
        var memberA = Array(repeating: Int64(0), count: history.members.count), memberB = memberA
        var buyer = Array(repeating: false, count: history.members.count)
        var strayA: [Int64: Int64] = [:], strayB: [Int64: Int64] = [:]
        let customer = history.members.map { String($0.id) }
        for index in inPeriod {
            let order = orders[index]
            ledgerPoints += order.ledgerPoints
            replayPoints += a.net[index]
            if a.net[index] != order.ledgerPoints {
                differing += 1
                if examples.count < 5 { examples.append(order.id) }
            }
            let member = replay.memberOf[index]
            if member >= 0 {
                memberA[member] += a.net[index]
                memberB[member] += b.net[index]
                buyer[member] = true
            } else {
                strayA[order.memberId, default: 0] += a.net[index]
                strayB[order.memberId, default: 0] += b.net[index]
            }
            guard order.status != .cancelled else { continue }
            sales += replay.keptAfterReturns[index]
        }
        let check = ProgramComparison.LedgerCheck(
            orders: inPeriod.count, ledgerPoints: ledgerPoints, replayPoints: replayPoints, differingOrders: differing, examples: examples)
        let netA = inPeriod.reduce(Int64(0)) { $0 + a.net[$1] }
        let netB = inPeriod.reduce(Int64(0)) { $0 + b.net[$1] }
        let other = history.credits.filter { period.contains($0.at) }.reduce(Int64(0)) { $0 + $1.points }

        // Economics: the redemption rate from the ledger (or given), the point value from each program (or given).
        var months: [String: LedgerPeriod] = [:]
        for hour in ledger {
            let key = Self.month(calendar.localDate(of: hour.start))
            var item = months[key] ?? LedgerPeriod(period: key, sales: 0, issued: 0, redeemed: 0, expired: 0)
            item.issued += hour.issued
            item.redeemed += hour.redeemed
            item.expired += hour.expired
            months[key] = item
        }
        let rate: Double, rateSource: String, rateCode: String
        if let periods = Optional(months.values.sorted { $0.period < $1.period }), !periods.isEmpty,
            let report = try? ProgramEconomics.compute(
                EconomicsInput(periods: periods, outstandingPoints: max(0, outstanding), pointValue: 1, operationsShare: 0),
                options: EconomicsOptions(redemptionRate: options.redemptionRate))
        {
            (rate, rateSource, rateCode) = (report.redemption.expectedRate, report.redemption.explanation, report.redemption.source.rawValue)
        } else if let given = options.redemptionRate {
            (rate, rateSource, rateCode) = (given, "the rate given", RedemptionRateSource.given.rawValue)
        } else {
            (rate, rateSource, rateCode) = (0.3, "the typical rate of a programme in its first year, because the ledger is empty", RedemptionRateSource.defaultYearOne.rawValue)
        }
        func pointValue(_ program: Program) throws -> Double {
            if let given = options.pointValue {
                guard let value = DecimalText.scaled(given, digits: 6), value > 0 else {
                    throw PatronError(.invalidInput, "point value: must be a positive amount such as 0.01, not '\(given)'")
                }
                return Double(value) / 1_000_000 * Double(program.currency.minorPerMajor)
            }
            if let payment = program.pointsAsPayment, payment.points > 0 { return Double(payment.perMinor) / Double(payment.points) }
            return Double(program.currency.minorPerMajor) / 100
        }
        func side(_ label: String, _ program: Program, _ net: Int64, _ result: HistoryReplay.Result) throws -> ProgramComparison.Side {
            let value = try pointValue(program)
            let issued = net + other
            let cost = Double(issued) * value * rate
            let left = max(0, outstanding + net - ledgerPoints)
            var counts = Array(repeating: 0, count: names.count + 1)
            for level in result.finalLevel.indices where history.members[level].enrolledAt < end {
                counts[result.finalLevel[level] < 0 ? names.count : result.finalLevel[level]] += 1
            }
            return ProgramComparison.Side(
                label: label, orderPoints: net, otherPoints: other, issued: issued, pointValue: value, expectedCost: cost,
                costShareOfSales: sales > 0 ? cost / Double(sales) : nil, outstandingAtEnd: left, liabilityAtEnd: Double(left) * value * rate,
                breakagePoints: Int64((Double(issued) * (1 - rate)).rounded()), levelCounts: counts)
        }
        let usedVersions = Set(inPeriod.map { orders[$0].programVersion }).sorted()
        let currentLabel = usedVersions.count <= 1
            ? "\(current.name) (version \(usedVersions.first.map(String.init) ?? "–"))"
            : "\(current.name) (versions \(usedVersions.map(String.init).joined(separator: ", ")))"
        let sideA = try side(currentLabel, current, netA, a)
        let sideB = try side(draft.name, draft, netB, b)

        // Rules, the largest change first; then the reversals of returns and the per-order rounding.
        var rules: [ProgramComparison.RuleRow] = []
        let ruleNames = Set(a.ruleMicro.keys).union(b.ruleMicro.keys)
        func points(_ micro: Int64?) -> Int64 { Rate.divide(micro ?? 0, times: 1, by: 1_000_000, rounding: .nearest) ?? 0 }
        for name in ruleNames { rules.append(.init(rule: name, current: points(a.ruleMicro[name]), draft: points(b.ruleMicro[name]))) }
        rules.sort { abs($0.change) != abs($1.change) ? abs($0.change) > abs($1.change) : $0.rule < $1.rule }
        if a.campaignMicro != 0 || b.campaignMicro != 0 {
            rules.append(.init(rule: ProgramComparison.RuleRow.campaigns, current: points(a.campaignMicro), draft: points(b.campaignMicro)))
        }
        let placedA = inPeriod.reduce(Int64(0)) { orders[$1].status == .cancelled ? $0 : $0 + a.points[$1] }
        let placedB = inPeriod.reduce(Int64(0)) { orders[$1].status == .cancelled ? $0 : $0 + b.points[$1] }
        rules.append(.init(rule: "returns", current: -a.reversed, draft: -b.reversed))
        rules.append(.init(
            rule: "rounding", current: placedA - rules.dropLast().reduce(0) { $0 + $1.current },
            draft: placedB - rules.dropLast().reduce(0) { $0 + $1.draft }))

        // Levels: thresholds, shares at the end, and the thresholds that would hold the intended shares.
        let rails = draft.guardRails ?? current.guardRails
        let members = history.members.indices.filter { history.members[$0].enrolledAt < end }
        var levels: [ProgramComparison.LevelRow] = []
        let values = members.map { b.finalValue[$0] }.sorted(by: >)
        for (index, name) in names.enumerated() {
            let intended = rails?.levelShares[name].map { $0.doubleValue / 100 }
            var threshold: Int64?
            let above = names[index...].map { rails?.levelShares[$0] }
            if index > 0, !values.isEmpty, above.allSatisfy({ $0 != nil }) {
                let share = above.reduce(0.0) { $0 + $1!.doubleValue / 100 }
                let rank = min(values.count, max(1, Int((share * Double(values.count)).rounded(.up))))
                threshold = values[rank - 1]
            }
            levels.append(.init(
                level: name, currentThreshold: current.levels?.level(named: name)?.threshold, draftThreshold: draft.levels?.level(named: name)?.threshold,
                currentMembers: sideA.levelCounts[index], draftMembers: sideB.levelCounts[index], intendedShare: intended,
                thresholdForIntendedShare: threshold))
        }
        var movedUp = 0, movedDown = 0
        for member in members {
            let (x, y) = (a.finalLevel[member], b.finalLevel[member])
            if y > x { movedUp += 1 } else if y < x { movedDown += 1 }
        }
        var drift: [ProgramComparison.Month] = []
        for (index, label) in monthLabels.enumerated() where index < a.monthly.count && index < b.monthly.count {
            drift.append(ProgramComparison.Month(month: label, current: a.monthly[index], draft: b.monthly[index]))
        }

        // Who gains and who loses: by band of change, by level at the end, by RFM segment.
        let segments = await segmentsRun
        var bands: [String: [Int64]] = [:], byLevel: [String: [Int64]] = [:], bySegment: [String: [Int64]] = [:]
        func count(before: Int64, after: Int64, level: Int, customer: String) {
            let change = after - before
            bands[Self.band(change, of: before), default: []].append(change)
            byLevel[level < 0 ? "no level" : names[level], default: []].append(change)
            bySegment[segments[customer] ?? "no purchases", default: []].append(change)
        }
        for member in buyer.indices where buyer[member] {
            count(before: memberA[member], after: memberB[member], level: a.finalLevel[member], customer: customer[member])
        }
        for (member, before) in strayA { count(before: before, after: strayB[member] ?? 0, level: -1, customer: String(member)) }
        func groups(_ map: [String: [Int64]], order: [String]) -> [ProgramComparison.ChangeGroup] {
            order.compactMap { name in
                guard let changes = map[name] else { return nil }
                let total = changes.reduce(0, +)
                return .init(
                    group: name, members: changes.count, gainers: changes.filter { $0 > 0 }.count, losers: changes.filter { $0 < 0 }.count,
                    totalChange: total, meanChange: Double(total) / Double(changes.count))
            }
        }
        let segmentOrder = RFMSegment.allCases.map(\.rawValue) + ["no purchases"]

        // The guard-rails, in words.
        var warnings: [ProgramComparison.Warning] = []
        if let limit = rails?.costShareOfSales?.doubleValue, let share = sideB.costShareOfSales, share * 100 > limit {
            warnings.append(.init(
                rail: "costShareOfSales", actual: share, limit: limit / 100,
                message: "The draft's expected cost is \(Self.percent(share)) of sales, above the budget of \(Self.number(limit)) % (guardRails.costShareOfSales)."))
        }
        let memberTotal = max(1, sideB.levelCounts.reduce(0, +))
        for row in levels {
            let share = Double(row.draftMembers) / Double(memberTotal)
            if let intended = row.intendedShare, share > intended {
                warnings.append(.init(
                    rail: "levelShares", level: row.level, actual: share, limit: intended,
                    message: "\(row.level) would hold \(Self.percent(share)) of the members, more than the \(Self.percent(intended)) intended (guardRails.levelShares)."))
            }
        }
        if let limit = rails?.liabilityGrowth?.doubleValue, sideA.liabilityAtEnd > 0 {
            let growth = (sideB.liabilityAtEnd - sideA.liabilityAtEnd) / sideA.liabilityAtEnd
            if growth * 100 > limit {
                warnings.append(.init(
                    rail: "liabilityGrowth", actual: growth, limit: limit / 100,
                    message: "The points liability at the end would be \(Self.percent(growth)) above the current program's, beyond the \(Self.number(limit)) % limit (guardRails.liabilityGrowth)."))
            }
        }
        let readsChannel = [current, draft].contains { $0.earning.rules.contains { !$0.conditions.channels.isEmpty } }
        let noChannel = inPeriod.filter { orders[$0].channel == nil }.count
        if readsChannel, noChannel > 0 {
            notes.append("\(noChannel) orders of the period record no channel (placed before Patron kept it, or sent without one): rules for a channel do not apply to them")
        }
        let changeBands = groups(bands, order: Self.bands)
        let changeByLevel = groups(byLevel, order: names + ["no level"])
        let changeBySegment = groups(bySegment, order: segmentOrder)
        return ProgramComparison(
            currency: current.currency.code, minorPerMajor: current.currency.minorPerMajor, from: calendar.localDate(of: start).description,
            to: calendar.localDate(of: last).description, orders: inPeriod.count, sales: sales, redemptionRate: rate, redemptionRateSource: rateSource,
            redemptionRateSourceCode: rateCode,
            current: sideA, draft: sideB, rules: rules, levels: levels,
            levelMetric: (draft.levels ?? current.levels)?.metric.rawValue, drift: drift, movedUp: movedUp, movedDown: movedDown,
            changeBands: changeBands, changeByLevel: changeByLevel, changeBySegment: changeBySegment, ledgerCheck: check, warnings: warnings, notes: notes)
    }

    /// The bands of a member's change, from the largest loss to the largest gain.
    static let bands = ["loses over 50 %", "loses 10–50 %", "loses under 10 %", "unchanged", "gains under 10 %", "gains 10–50 %", "gains over 50 %"]

    /// Each buyer's RFM segment at `endDay`, from the period's orders that were not cancelled (their goods' value kept
    /// after returns), by customer id as the comparison names them.
    static func segments(history: ReplayHistory, replay: HistoryReplay, period: Range<Date>, calendar: ShopCalendar, endDay: Int) -> [String: String] {
        var purchases: [Purchase] = []
        for (index, order) in history.orders.enumerated() where period.contains(order.placedAt) && order.status != .cancelled {
            let member = replay.memberOf[index]
            purchases.append(
                Purchase(
                    customer: member >= 0 ? String(history.members[member].id) : String(order.memberId), day: calendar.localDate(of: order.placedAt).dayNumber,
                    amount: max(0, replay.keptAfterReturns[index])))
        }
        var segments: [String: String] = [:]
        if let rfm = try? RFMAnalysis.run(purchases: purchases, asOfDay: endDay) {
            for score in rfm.customers { segments[score.customer] = score.segment.rawValue }
        }
        return segments
    }

    /// The band of `change` on `base` points.
    static func band(_ change: Int64, of base: Int64) -> String {
        guard change != 0 else { return bands[3] }
        let share = base > 0 ? Double(abs(change)) / Double(base) : .infinity
        let size = share > 0.5 ? 2 : share >= 0.1 ? 1 : 0
        return change < 0 ? bands[2 - size] : bands[4 + size]
    }

    static func month(_ day: LocalDate) -> String { String(format: "%04d-%02d", day.year, day.month) }
    static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
    static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
