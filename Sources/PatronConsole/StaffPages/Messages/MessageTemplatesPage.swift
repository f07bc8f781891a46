import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// `/console/messages/templates`: the triggers in force (which kinds go out on which channels), the templates the server
/// loaded (kinds × locales), and a preview of a kind for a chosen member in a chosen locale — rendered by
/// `MessagePreview`, as `patron messages preview` does, writing nothing. `?kind=welcome&member=customer:C1&locale=zh-Hans`
/// asks for one; a member or kind that cannot be found is shown beside its field (400).
enum MessageTemplatesPage {
    static func show(_ request: Request, _ page: StaffPage) async throws -> Response {
        let templates = page.base.kit.configuration.messageTemplates
        // The triggers in force: the programme's `messages:` section when it has one (the table is not read then), else
        // the table `patron messages trigger` sets.
        let plan = try await page.context.store.currentProgram()?.program.messages
        var triggers = try await page.context.store.messageTriggers()
        if let plan {
            triggers = [:]
            for trigger in plan.triggers {
                for channel in trigger.channels where !(triggers[trigger.kind] ?? []).contains(channel) { triggers[trigger.kind, default: []].append(channel) }
            }
        }
        let query = MemberPages.query(request) ?? Form()
        let locales = templates?.locales ?? []
        let rows = MessageKind.allCases.map { kind in
            MessagesPageModels.TemplateRow(
                kind: MessagesPages.label(page, "messages.kind.", kind.rawValue), kindKey: kind.rawValue,
                purpose: MessagesPages.label(page, "messages.purpose.", kind.purpose.rawValue),
                channels: (triggers[kind] ?? []).map { MessagesPages.label(page, "messages.channel.", $0.rawValue) }.joined(separator: ", "),
                cells: locales.map { templates?.kinds(locale: $0).contains(kind) == true ? "✓" : "–" })
        }
        let kindText = query["kind"] ?? ""
        let memberText = (query["member"] ?? "").trimmingCharacters(in: .whitespaces)
        let localeText = query["locale"] ?? ""
        var problems: [MessagesPageModels.FieldProblem] = []
        var preview: MessagesPageModels.Rendered?
        var previewNote: String?
        let asked = !kindText.isEmpty || !memberText.isEmpty
        if asked, let templates {
            let kind = MessageKind(rawValue: kindText)
            if kind == nil {
                problems.append(.init(field: "kind", message: MessagesPages.text(page, "messages.preview.badKind", ["value": kindText])))
            } else if !locales.contains(where: { templates.kinds(locale: $0).contains(kind!) }) {
                problems.append(.init(field: "kind", message: MessagesPages.text(page, "messages.preview.noTemplate", ["kind": kindText])))
            }
            if !localeText.isEmpty && !locales.contains(localeText) {
                problems.append(.init(field: "locale", message: MessagesPages.text(page, "messages.preview.badLocale", ["value": localeText])))
            }
            var member: Member?
            if memberText.isEmpty {
                problems.append(.init(field: "member", message: page.text("messages.preview.memberRequired")))
            } else {
                do {
                    member = try await page.context.store.member(reference: memberText)
                } catch let error as PatronError where error.code == .notFound || error.code == .invalidInput {
                    problems.append(.init(field: "member", message: MessagesPages.text(page, "messages.preview.badMember", ["value": memberText, "why": error.message])))
                }
            }
            if problems.isEmpty, let kind, let member {
                do {
                    let (locale, rendered) = try await MessagePreview.render(
                        kind: kind, member: member.id, locale: localeText.isEmpty ? nil : localeText, facts: "{}", templates: templates,
                        unsubscribe: page.base.kit.configuration.unsubscribeLink, context: page.context)
                    preview = MessagesPages.rendering(rendered)
                    previewNote = MessagesPages.text(
                        page, "messages.preview.note", ["kind": MessagesPages.label(page, "messages.kind.", kind.rawValue), "member": "#\(member.id)", "locale": locale])
                } catch let error as PatronError {
                    problems.append(.init(field: "member", message: error.message))
                }
            }
        }
        let model = MessagesPageModels.Templates(
            configured: templates != nil, folderNote: templates.map { MessagesPages.text(page, "messages.templates.shopLocale", ["locale": $0.defaultLocale]) },
            locales: locales, rows: rows,
            triggerSource: page.text(plan == nil ? "messages.templates.fromTable" : "messages.templates.fromProgram"),
            journeys: (plan?.triggers ?? []).map { journey($0, page) }, hasJourneys: !(plan?.triggers ?? []).isEmpty, rules: plan.map { rules($0, page) } ?? [],
            kindOptions: MessageKind.allCases.filter { kind in locales.contains { templates?.kinds(locale: $0).contains(kind) == true } }.map {
                MessagesPageModels.Option(value: $0.rawValue, label: MessagesPages.label(page, "messages.kind.", $0.rawValue), selected: $0.rawValue == kindText)
            },
            localeOptions: [MessagesPageModels.Option(value: "", label: page.text("messages.preview.membersLocale"), selected: localeText.isEmpty)]
                + locales.map { MessagesPageModels.Option(value: $0, label: $0, selected: $0 == localeText) },
            memberValue: memberText, problems: problems, hasProblems: !problems.isEmpty, preview: preview, previewNote: previewNote)
        return page.render("staff/messages/templates", title: page.text("messages.templates.title"), model, status: problems.isEmpty ? .ok : .badRequest)
    }

    /// A programme trigger as a table row.
    static func journey(_ trigger: MessageTrigger, _ page: StaffPage) -> MessagesPageModels.JourneyRow {
        let f = page.formats
        let detail: String
        switch trigger.cause {
        case .pointsExpiring(let days): detail = MessagesPages.text(page, "messages.journeys.withinDays", ["days": f.number(days)])
        case .inactive(let days): detail = MessagesPages.text(page, "messages.journeys.inactiveDays", ["days": days.map { f.number($0) }.joined(separator: " / ")])
        case .thankYou(let top, let every):
            detail = (top.map { MessagesPages.text(page, "messages.journeys.top", ["percent": f.number($0)]) + " · " } ?? "")
                + MessagesPages.label(page, "messages.journeys.every.", every.rawValue)
        default: detail = ""
        }
        let delay = trigger.delayMinutes == 0
            ? page.text("messages.journeys.atOnce")
            : MessagesPages.text(page, "messages.journeys.after", ["duration": duration(trigger.delayMinutes, page)])
        return MessagesPageModels.JourneyRow(
            id: trigger.id, cause: trigger.cause.name.rawValue + (detail.isEmpty ? "" : " (\(detail))"),
            kind: MessagesPages.label(page, "messages.kind.", trigger.kind.rawValue), purpose: MessagesPages.label(page, "messages.purpose.", trigger.purpose.rawValue),
            delay: delay, segment: trigger.segment ?? "–",
            channels: trigger.channels.map { MessagesPages.label(page, "messages.channel.", $0.rawValue) }.joined(separator: " → "),
            stop: trigger.stopWhen.sorted().map { MessagesPages.label(page, "messages.journeys.stop.", $0.rawValue) }.joined(separator: ", "))
    }

    /// The section's quiet hours and weekly cap, in words.
    static func rules(_ plan: MessagePlan, _ page: StaffPage) -> [String] {
        var rules: [String] = []
        if let quiet = plan.quietHours {
            func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
            rules.append(
                MessagesPages.text(
                    page, "messages.journeys.quiet",
                    ["from": clock(quiet.from), "to": clock(quiet.to),
                     "channels": quiet.channels.sorted().map { MessagesPages.label(page, "messages.channel.", $0.rawValue) }.joined(separator: ", ")]))
        }
        if let cap = plan.marketingPerWeek {
            rules.append(MessagesPages.text(page, "messages.journeys.cap", ["count": page.formats.number(cap)]))
        }
        return rules
    }

    /// `90 min`, `3 h`, `2 d` — the largest whole unit.
    static func duration(_ minutes: Int, _ page: StaffPage) -> String {
        if minutes % 1_440 == 0 { return MessagesPages.text(page, "messages.journeys.days", ["n": page.formats.number(minutes / 1_440)]) }
        if minutes % 60 == 0 { return MessagesPages.text(page, "messages.journeys.hours", ["n": page.formats.number(minutes / 60)]) }
        return MessagesPages.text(page, "messages.journeys.minutes", ["n": page.formats.number(minutes)])
    }
}
