import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// The changes staff make to a member, each in three steps: the form (`GET …/adjust`), a confirmation page that says
/// what will happen (`POST` without `step=apply`), and the change (`POST` with `step=apply`), then back to the member's
/// page with the outcome. The form carries an idempotency key made when it was drawn, so submitting it twice changes
/// the member once. Bad input shows the form again (400) with each problem beside its field, and writes nothing.
enum MemberChange: String, CaseIterable, Sendable {
    /// Add or remove points, with a reason.
    case adjust
    /// Set the level by hand until a day, with a reason.
    case level
    /// Give a coupon without taking points.
    case coupon
}

enum MemberChangePages {
    struct FormModel: Sendable {
        let title: String
        let memberName: String
        let memberHref: String
        let action: String
        let key: String
        let adjust: AdjustFields?
        let level: LevelFields?
        let coupon: CouponFields?
        let problem: String?
    }

    struct AdjustFields: Sendable {
        let balance: String
        let points: String
        let reason: String
        let pointsError: String?
        let reasonError: String?
    }

    struct LevelFields: Sendable {
        let current: String
        let levels: [Option]
        let until: String
        let reason: String
        let levelError: String?
        let untilError: String?
        let reasonError: String?
        let noLevels: Bool
    }

    struct CouponFields: Sendable {
        let rewards: [Option]
        let rewardError: String?
        let noCoupons: Bool
    }

    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct ConfirmModel: Sendable {
        let title: String
        let memberName: String
        let memberHref: String
        let action: String
        let lines: [MemberFilePage.Pair]
        let hidden: [MemberFilePage.Pair]
        let button: String
        let danger: Bool
    }

    /// The empty form, with a new idempotency key.
    static func form(_ action: MemberChange, _ request: Request, _ page: StaffPage) async throws -> Response {
        guard let member = try await MemberPages.member(page) else { return MemberPages.notFound(page) }
        guard !member.isErased else { return page.error(.conflict, page.text("members.error.erased")) }
        return try await drawForm(action, member, page, values: Form(), problems: [], key: Tokens.random(), status: .ok)
    }

    /// The confirmation (first POST) or the change (`step=apply`).
    static func submit(_ action: MemberChange, _ request: Request, _ page: StaffPage) async throws -> Response {
        guard let member = try await MemberPages.member(page) else { return MemberPages.notFound(page) }
        guard !member.isErased else { return page.error(.conflict, page.text("members.error.erased")) }
        let form = try await page.form(request)
        guard let key = form["key"], isKey(key) else { return page.error(.badRequest, page.text("members.error.noKey")) }
        let actions = MemberActions(context: page.context)
        let problems: [FieldProblem] =
            switch action {
            case .adjust: actions.checkAdjustment(points: form["points"] ?? "", reason: form["reason"] ?? "", balance: member.balances.active).problems
            case .level: try await actions.checkOverride(level: form["level"] ?? "", until: form["until"] ?? "", reason: form["reason"] ?? "").problems
            case .coupon: try await actions.checkGrant(reward: form["reward"] ?? "")
            }
        guard problems.isEmpty else { return try await drawForm(action, member, page, values: form, problems: problems, key: key, status: .badRequest) }
        guard form["step"] == "apply" else { return try await confirm(action, member, page, form: form, key: key) }
        do {
            let notice = try await apply(action, member, page, form: form, key: key)
            return page.redirect(MemberPages.path(member.id), notice: notice)
        } catch let error as FieldProblems {
            return try await drawForm(action, member, page, values: form, problems: error.problems, key: key, status: .badRequest)
        } catch let error as PatronError where error.code == .idempotencyConflict {
            return page.error(.conflict, page.text("members.error.keyReused"))
        }
    }

    /// A key this form made: `Tokens.random()`'s 43 base64url characters (a little latitude either way).
    static func isKey(_ key: String) -> Bool {
        (16...128).contains(key.utf8.count) && key.utf8.allSatisfy { Tokens.isBase64url($0) }
    }

    private static func apply(_ action: MemberChange, _ member: Member, _ page: StaffPage, form: Form, key: String) async throws -> String {
        let actions = MemberActions(context: page.context)
        let f = page.formats
        switch action {
        case .adjust:
            let outcome = try await actions.adjust(member: member.id, points: form["points"] ?? "", reason: form["reason"] ?? "", actor: page.actor, key: key)
            if outcome.replayed { return page.text("members.done.replayed") }
            let points = Int64(form["points"]!.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "+", with: "", options: .anchored)) ?? 0
            return page.text("members.done.adjust").replacingOccurrences(of: "{points}", with: MemberFilePage.signed(points, f))
                .replacingOccurrences(of: "{balance}", with: f.points(outcome.balances.active))
        case .level:
            let before = member.level
            let updated = try await actions.overrideLevel(
                member: member.id, level: form["level"] ?? "", until: form["until"] ?? "", reason: form["reason"] ?? "", actor: page.actor, key: key)
            if updated.level == before { return page.text("members.done.replayed") }
            return page.text("members.done.level").replacingOccurrences(of: "{level}", with: updated.level.override?.level ?? "")
                .replacingOccurrences(of: "{until}", with: updated.level.override.map { f.instant($0.until) } ?? "")
        case .coupon:
            let outcome = try await actions.grantCoupon(member: member.id, reward: form["reward"] ?? "", actor: page.actor, key: key)
            if outcome.replayed { return page.text("members.done.replayed") }
            return page.text("members.done.coupon").replacingOccurrences(of: "{code}", with: outcome.coupon.couponCode ?? "")
                .replacingOccurrences(of: "{until}", with: outcome.coupon.validUntil.map(f.date) ?? "")
        }
    }

    private static func confirm(_ action: MemberChange, _ member: Member, _ page: StaffPage, form: Form, key: String) async throws -> Response {
        let f = page.formats
        let label = { (key: String) in page.text("members.\(key)") }
        var lines: [MemberFilePage.Pair] = [MemberFilePage.Pair(label: label("member"), value: "\(MemberPages.displayName(member, page)) (#\(member.id))")]
        var hidden: [MemberFilePage.Pair] = [MemberFilePage.Pair(label: "key", value: key), MemberFilePage.Pair(label: "step", value: "apply")]
        switch action {
        case .adjust:
            let points = Int64((form["points"] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "+", with: "", options: .anchored)) ?? 0
            let after = member.balances.active + points
            lines += [
                MemberFilePage.Pair(label: label("adjust.points"), value: MemberFilePage.signed(points, f)),
                MemberFilePage.Pair(label: label("balance.active"), value: "\(f.points(member.balances.active)) → \(f.points(after))"),
                MemberFilePage.Pair(label: label("adjust.reason"), value: form["reason"] ?? ""),
            ]
            hidden += [MemberFilePage.Pair(label: "points", value: form["points"] ?? ""), MemberFilePage.Pair(label: "reason", value: form["reason"] ?? "")]
        case .level:
            let day = LocalDate(iso: (form["until"] ?? "").trimmingCharacters(in: .whitespaces))
            lines += [
                MemberFilePage.Pair(label: label("level.current"), value: member.level.effectiveLevel(at: page.context.clock.now()) ?? label("level.none")),
                MemberFilePage.Pair(label: label("level.new"), value: form["level"] ?? ""),
                MemberFilePage.Pair(label: label("level.until"), value: day.map(f.date) ?? ""),
                MemberFilePage.Pair(label: label("adjust.reason"), value: form["reason"] ?? ""),
            ]
            hidden += ["level", "until", "reason"].map { MemberFilePage.Pair(label: $0, value: form[$0] ?? "") }
        case .coupon:
            let reward = try await MemberActions(context: page.context).grantableCoupons().first { $0.id == form["reward"] }
            lines += [MemberFilePage.Pair(label: label("coupon.reward"), value: reward.map { "\($0.name) (\($0.id))" } ?? "")]
            hidden += [MemberFilePage.Pair(label: "reward", value: form["reward"] ?? "")]
        }
        let title = page.text("members.confirm.\(action.rawValue)")
        return page.render(
            "staff/members/confirm", title: title,
            ConfirmModel(
                title: title, memberName: MemberPages.displayName(member, page), memberHref: MemberPages.path(member.id),
                action: MemberPages.path(member.id, action.rawValue), lines: lines, hidden: hidden, button: page.text("members.confirm.button"),
                danger: false))
    }

    private static func drawForm(
        _ action: MemberChange, _ member: Member, _ page: StaffPage, values: Form, problems: [FieldProblem], key: String, status: HTTPResponse.Status
    ) async throws -> Response {
        func problem(_ field: String) -> String? {
            problems.first { $0.field == field }.map { page.text("members.problem.\($0.kind.rawValue)") }
        }
        let actions = MemberActions(context: page.context)
        var adjust: AdjustFields?
        var level: LevelFields?
        var coupon: CouponFields?
        switch action {
        case .adjust:
            adjust = AdjustFields(
                balance: page.formats.points(member.balances.active), points: values["points"] ?? "", reason: values["reason"] ?? "",
                pointsError: problem("points"), reasonError: problem("reason"))
        case .level:
            let names = try await page.context.currentProgram().program.levels?.levels.map(\.name) ?? []
            level = LevelFields(
                current: member.level.effectiveLevel(at: page.context.clock.now()) ?? page.text("members.level.none"),
                levels: names.map { Option(value: $0, label: $0, selected: $0 == values["level"]) }, until: values["until"] ?? "",
                reason: values["reason"] ?? "", levelError: problem("level"), untilError: problem("until"), reasonError: problem("reason"),
                noLevels: names.isEmpty)
        case .coupon:
            let rewards = try await actions.grantableCoupons()
            coupon = CouponFields(
                rewards: rewards.map { Option(value: $0.id, label: "\($0.name) (\($0.id))", selected: $0.id == values["reward"]) },
                rewardError: problem("reward"), noCoupons: rewards.isEmpty)
        }
        let title = page.text("members.action.\(action.rawValue)")
        return page.render(
            "staff/members/change", title: title,
            FormModel(
                title: title, memberName: MemberPages.displayName(member, page), memberHref: MemberPages.path(member.id),
                action: MemberPages.path(member.id, action.rawValue), key: key, adjust: adjust, level: level, coupon: coupon,
                problem: problems.isEmpty ? nil : page.text("members.problem.summary")),
            status: status)
    }
}
