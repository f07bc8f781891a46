import Foundation
import PatronAnalytics
import PatronCore
import PatronStore

/// The win-back follow-up the command line, the API and the console share: the at-risk list with each member's likely
/// cause, offers recorded (audited with their actor), and whether the members came back.
public struct WinBackService: Sendable {
    let context: ServiceContext
    let trail: AuditTrail

    /// Win-back over the context's store and clock.
    public init(context: ServiceContext) {
        self.context = context
        trail = AuditTrail(store: context.store)
    }

    /// The at-risk list as of today (the program's time zone) unless `options` names another day; from `inputs` when
    /// given (a page that also shows the recovery reads the purchases once).
    public func atRisk(
        maxProbabilityAlive: Double = 0.5, minDaysSinceLastOrder: Int = 60, limit: Int = 100, asOfDay: Int? = nil, inputs given: WinBackInputs? = nil
    ) async throws -> WinBackAtRisk {
        let program = try await context.currentProgram().program
        let today = asOfDay ?? program.calendar.localDate(of: context.clock.now()).dayNumber
        let inputs = if let given { given } else { try await self.inputs(program) }
        return try WinBackList.atRisk(
            purchases: inputs.purchases, histories: inputs.histories,
            options: WinBackOptions(asOfDay: today, maxProbabilityAlive: maxProbabilityAlive, minDaysSinceLastOrder: minDaysSinceLastOrder, limit: limit),
            minorUnitsPerMajor: program.currency.minorPerMajor)
    }

    /// Records an offer made to a member (`winback.offer`, audited with the actor). The cause defaults to the one the
    /// member's history points to.
    public func recordOffer(member: Int64, offer: String, cause: WinBackCause?, actor: String) async throws -> WinBackOffer {
        try FreeText.check(actor, field: "actor", maximumLength: 200)
        guard !actor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PatronError(.invalidInput, "actor: an offer needs an actor (who made it)") }
        let text = offer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw PatronError(.invalidInput, "offer: say what was offered, such as coupon:WELCOME10 or call") }
        try FreeText.check(text, field: "offer", maximumLength: 200)
        let program = try await context.currentProgram().program
        var chosen = cause
        if chosen == nil {
            chosen = WinBackCause(try await inputs(program).histories[String(member)] ?? WinBackHistory())
        }
        let now = context.clock.now()
        let recorded = try await context.store.recordWinBackOffer(
            NewWinBackOffer(memberId: member, offer: text, cause: chosen!.rawValue, offeredAt: now, actor: actor))
        try await trail.record("winback.offer", subject: "member:\(member)", actor: actor, before: nil, after: recorded, at: now)
        return recorded
    }

    /// Every offer's outcome and the recovery rates per cause and per offer, as of today; from `inputs` when given.
    public func recovery(windowDays: Int = 90, inputs given: WinBackInputs? = nil) async throws -> WinBackRecovery {
        guard (1...730).contains(windowDays) else { throw PatronError(.invalidInput, "windowDays: must be from 1 to 730") }
        let program = try await context.currentProgram().program
        let today = program.calendar.localDate(of: context.clock.now()).dayNumber
        let inputs = if let given { given } else { try await self.inputs(program) }
        return WinBackRecovery(
            offers: try await context.store.winBackOffers(), purchases: inputs.purchases, calendar: program.calendar, asOfDay: today,
            windowDays: windowDays)
    }

    /// What the list and the recovery are made of, read once: the purchases and each buyer's history.
    public func inputs() async throws -> WinBackInputs {
        try await inputs(context.currentProgram().program)
    }

    /// Purchases by day and each buyer's history: orders, discounted and campaign orders, returns and complaints.
    func inputs(_ program: Program) async throws -> WinBackInputs {
        let records = try await context.store.purchases()
        let campaigns = Set(program.earning.rules.filter { $0.conditions.from != nil || $0.conditions.to != nil }.map(\.name))
        var histories: [String: WinBackHistory] = [:]
        var purchases: [Purchase] = []
        purchases.reserveCapacity(records.count)
        for record in records {
            let customer = String(record.memberId)
            purchases.append(Purchase(customer: customer, day: program.calendar.localDate(of: record.placedAt).dayNumber, amount: record.amount))
            var history = histories[customer] ?? WinBackHistory()
            history.orders += 1
            if record.discount > 0 { history.discountedOrders += 1 }
            if !campaigns.isDisjoint(with: record.rules) { history.campaignOrders += 1 }
            histories[customer] = history
        }
        for signal in try await context.store.careSignals() {
            let customer = String(signal.memberId)
            histories[customer, default: WinBackHistory()].returns = signal.returns
            histories[customer, default: WinBackHistory()].complaints = signal.complaints
        }
        return WinBackInputs(purchases: purchases, histories: histories)
    }
}

/// The purchases (by member id as text, days in the shop's calendar) and each buyer's history that win-back reads.
public struct WinBackInputs: Sendable {
    let purchases: [Purchase]
    let histories: [String: WinBackHistory]
}
