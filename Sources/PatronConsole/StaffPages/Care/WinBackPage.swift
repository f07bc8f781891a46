import Foundation
import Hummingbird
import PatronAnalytics
import PatronCore
import PatronServices
import PatronStore

/// `/console/care/winback`: the at-risk list of `WinBackService.atRisk` (the same as `patron care winback list`) —
/// repeat buyers whose BG/NBD P(alive) is low and whose last order is old, ranked by 12-month CLV, with expected
/// purchases, days since the last order and the likely cause in words — and the recovery of the offers made (per cause
/// and per offer, within the 90-day window, `WinBackService.recovery`). Roles with `care` record an offer from the page
/// (`POST /console/care/winback/offers`, confirmed, through `WinBackService.recordOffer`, audited as `winback.offer`
/// with the signed-in account). Reading needs `viewCare`.
enum WinBackPage {
    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/care/winback", .viewCare) { request, page in try await show(request, page, offer: nil) }
        routes.staff(.post, "/console/care/winback/offers", .care) { request, page in try await record(request, page) }
    }

    /// The list's limits, read from the query (defaults as the command line's, 20 members).
    struct Limits: Sendable, Equatable {
        var maxAlive = 0.5
        var minDays = 60
        var limit = 20

        /// The limits of `maxAlive` (0–1), `minDays` (0–3650) and `limit` (1–500); a value that is not one is an error
        /// naming its field.
        static func parse(maxAlive: String?, minDays: String?, limit: String?) throws -> Limits {
            var limits = Limits()
            func text(_ value: String?) -> String? {
                guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
                return value
            }
            if let value = text(maxAlive) {
                guard let number = Double(value), (0...1).contains(number) else { throw PatronError(.invalidInput, "maxAlive: '\(value)' is not a number from 0 to 1") }
                limits.maxAlive = number
            }
            if let value = text(minDays) {
                guard let number = Int(value), (0...3_650).contains(number) else {
                    throw PatronError(.invalidInput, "minDays: '\(value)' is not a whole number of days from 0 to 3650")
                }
                limits.minDays = number
            }
            if let value = text(limit) {
                guard let number = Int(value), (1...500).contains(number) else { throw PatronError(.invalidInput, "limit: '\(value)' is not a whole number from 1 to 500") }
                limits.limit = number
            }
            return limits
        }
    }

    /// A refused offer, shown again: what was sent and what is wrong.
    struct OfferForm: Sendable {
        var member: String
        var offer: String
        var cause: String
        var problem: String?
    }

    static func show(_ request: Request, _ page: StaffPage, offer: OfferForm?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let query = request.uri.queryParameters
        let title = page.text("care.wb.title")
        guard let program = try await page.context.store.currentProgram()?.program else { return page.error(.notFound, page.text("care.noProgram")) }
        let service = WinBackService(context: page.context)
        var listError: String?
        var list: WinBackAtRisk?
        var limits = Limits()
        var pageStatus = status
        do {
            limits = try Limits.parse(maxAlive: query.get("maxAlive"), minDays: query.get("minDays"), limit: query.get("limit"))
        } catch let error as PatronError where error.code == .invalidInput {
            listError = error.message
            if status == .ok { pageStatus = .badRequest }
        }
        let inputs = try await service.inputs()
        if listError == nil {
            do {
                list = try await service.atRisk(
                    maxProbabilityAlive: limits.maxAlive, minDaysSinceLastOrder: limits.minDays, limit: limits.limit, inputs: inputs)
            } catch let error as PatronError where error.code == .invalidInput {
                listError = error.message  // no purchases yet: the page says so and shows the rest
            } catch let error as AnalyticsError {
                listError = error.message  // too few purchases to fit the model
            }
        }
        let recovery = try await service.recovery(inputs: inputs)
        let names = try await page.context.store.memberNames(
            ids: Set((list?.candidates.compactMap { Int64($0.customer) } ?? []) + recovery.outcomes.suffix(WinBackModel.outcomeCount).map(\.memberId)))
        let prefill = offer ?? OfferForm(member: query.get("member") ?? "", offer: "", cause: "", problem: nil)
        let model = WinBackModel(
            page: page, program: program, limits: limits, list: list, listError: listError, recovery: recovery, names: names, form: prefill)
        return page.render("staff/care/winback", title: title, model, status: pageStatus)
    }

    static func record(_ request: Request, _ page: StaffPage) async throws -> Response {
        let form = try await page.form(request)
        let sent = OfferForm(member: form["member"] ?? "", offer: form["offer"] ?? "", cause: form["cause"] ?? "", problem: nil)
        func refused(_ message: String, _ status: HTTPResponse.Status) async throws -> Response {
            var shown = sent
            shown.problem = message
            return try await show(request, page, offer: shown, status: status)
        }
        guard form["confirm"] == "yes" else { return try await refused(page.text("care.confirmRequired"), .badRequest) }
        let memberText = sent.member.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "#"))
        guard let member = Int64(memberText), member > 0 else {
            return try await refused("member: '\(sent.member)' is not a member id (a whole number such as 42)", .badRequest)
        }
        var cause: WinBackCause?
        if !sent.cause.isEmpty {
            guard let known = WinBackCause(rawValue: sent.cause) else {
                return try await refused("cause: use one of \(WinBackCause.allCases.map(\.rawValue).joined(separator: ", "))", .badRequest)
            }
            cause = known
        }
        do {
            let recorded = try await WinBackService(context: page.context).recordOffer(member: member, offer: sent.offer, cause: cause, actor: page.actor)
            let notice = page.text(
                "care.wb.offer.done",
                ["id": String(recorded.id), "member": String(recorded.memberId), "cause": page.text("care.wb.cause.\(recorded.cause)")])
            return page.redirect("/console/care/winback", notice: notice)
        } catch let error as PatronError where [.invalidInput, .notFound].contains(error.code) {
            return try await refused(error.message, error.code == .notFound ? .notFound : .badRequest)
        }
    }
}

/// What `staff/care/winback` shows, every value formatted in the page's language.
struct WinBackModel: Sendable {
    /// How many recorded offers the page lists, newest first.
    static let outcomeCount = 20

    /// One member at risk.
    struct Candidate: Sendable {
        let rank: Int
        let memberId: String
        let memberHref: String
        let member: String
        let clv: String
        let alive: String
        let expected: String
        let lastOrder: String
        let days: String
        let orders: String
        let spend: String
        let causeKey: String
        let cause: String
        let why: String
        let offerHref: String
    }

    /// Recovery of one cause or offer.
    struct RecoveryRow: Sendable {
        let key: String
        let offers: String
        let decided: String
        let recovered: String
        let rate: String
        let spend: String
    }

    /// One offer and what became of it.
    struct Outcome: Sendable {
        let offeredOn: String
        let memberHref: String
        let member: String
        let offer: String
        let cause: String
        let result: String
        let resultKey: String
    }

    typealias Option = CarePageModels.Option

    let tabs: [CarePageModels.Tab]
    let maxAlive: String
    let minDays: String
    let limit: String
    let listError: String?
    let summary: String?
    let causeCounts: [Option]
    let candidates: [Candidate]
    let hasCandidates: Bool
    let canAct: Bool
    let formMember: String
    let formOffer: String
    let causes: [Option]
    let problem: String?
    let windowTitle: String
    let overall: RecoveryRow
    let byCause: [RecoveryRow]
    let byOffer: [RecoveryRow]
    let hasOffers: Bool
    let outcomes: [Outcome]
    let timeZone: String

    init(
        page: StaffPage, program: Program, limits: WinBackPage.Limits, list: WinBackAtRisk?, listError: String?, recovery: WinBackRecovery,
        names: [Int64: String], form: WinBackPage.OfferForm
    ) {
        let f = page.formats
        let perMajor = Double(program.currency.minorPerMajor)
        func member(_ id: String) -> String { "#\(id)" + (Int64(id).flatMap { names[$0] }.map { " " + $0 } ?? "") }
        func day(_ iso: String) -> String { LocalDate(iso: iso).map(f.date) ?? iso }
        tabs = CarePageModels.tabs(page, current: "winback")
        maxAlive = String(limits.maxAlive)
        minDays = String(limits.minDays)
        limit = String(limits.limit)
        self.listError = listError
        summary = list.map { list in
            page.text("care.wb.summary", ["atRisk": f.number(list.atRisk), "customers": f.number(list.customers), "day": day(list.asOf)])
        }
        causeCounts = WinBackCause.allCases.map { cause in
            Option(value: f.number(list?.causes[cause.rawValue] ?? 0), label: page.text("care.wb.cause.\(cause.rawValue)"), selected: false)
        }
        candidates = (list?.candidates ?? []).enumerated().map { index, c in
            let h = c.history
            let why: String
            switch c.cause {
            case .complaint: why = page.text("care.wb.why.complaint", ["count": f.number(h.complaints)])
            case .returns: why = page.text("care.wb.why.returns", ["count": f.number(h.returns)])
            case .price: why = page.text("care.wb.why.price", ["count": f.number(h.discountedOrders), "orders": f.number(h.orders)])
            case .incentive: why = page.text("care.wb.why.incentive", ["count": f.number(h.campaignOrders), "orders": f.number(h.orders)])
            case .unknown: why = page.text("care.wb.why.unknown")
            }
            return Candidate(
                rank: index + 1, memberId: c.customer, memberHref: "/console/members/\(c.customer)", member: member(c.customer),
                clv: f.money(Int64((c.clv * perMajor).rounded())), alive: f.percent(c.probabilityAlive, digits: 0),
                expected: f.decimal(c.expectedPurchases, digits: 2), lastOrder: day(c.lastOrder), days: f.number(c.daysSinceLastOrder),
                orders: f.number(c.orders), spend: f.money(c.spend), causeKey: c.cause.rawValue, cause: page.text("care.wb.cause.\(c.cause.rawValue)"),
                why: why + " " + page.text("care.wb.suggest.\(c.cause.rawValue)"),
                offerHref: "/console/care/winback?member=\(c.customer)#record-offer")
        }
        hasCandidates = !candidates.isEmpty
        canAct = page.may(.care)
        formMember = form.member
        formOffer = form.offer
        causes = [Option(value: "", label: page.text("care.wb.offer.causeFromHistory"), selected: form.cause.isEmpty)]
            + WinBackCause.allCases.map { Option(value: $0.rawValue, label: page.text("care.wb.cause.\($0.rawValue)"), selected: form.cause == $0.rawValue) }
        problem = form.problem
        func row(_ r: WinBackRecoveryRow, key: String) -> RecoveryRow {
            RecoveryRow(
                key: key, offers: f.number(r.offers), decided: f.number(r.decided), recovered: f.number(r.recovered),
                rate: r.rate.map { f.percent($0) } ?? "–", spend: f.money(r.spend))
        }
        windowTitle = page.text("care.wb.recovery.title", ["days": f.number(recovery.windowDays)])
        overall = row(recovery.overall, key: page.text("care.wb.recovery.all"))
        byCause = recovery.byCause.map { row($0, key: WinBackCause(rawValue: $0.key).map { page.text("care.wb.cause.\($0.rawValue)") } ?? $0.key) }
        byOffer = recovery.byOffer.map { row($0, key: $0.key) }
        hasOffers = !recovery.outcomes.isEmpty
        outcomes = recovery.outcomes.suffix(Self.outcomeCount).reversed().map { o in
            let result: String, key: String
            if o.cameBack {
                key = "back"
                result = page.text("care.wb.outcome.back", ["days": f.number(o.daysToReturn ?? 0), "orders": f.number(o.orders), "spend": f.money(o.spend)])
            } else if o.windowEnded {
                key = "lost"
                result = page.text("care.wb.outcome.lost")
            } else {
                key = "open"
                result = page.text("care.wb.outcome.open")
            }
            return Outcome(
                offeredOn: day(o.offeredOn), memberHref: "/console/members/\(o.memberId)", member: member(String(o.memberId)), offer: o.offer,
                cause: WinBackCause(rawValue: o.cause).map { page.text("care.wb.cause.\($0.rawValue)") } ?? o.cause, result: result, resultKey: key)
        }
        timeZone = f.timeZone.identifier
    }
}
