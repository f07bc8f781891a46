import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// The staff pages about messages. Reading needs `viewMessages` (owner, marketer, analyst, read-only): the results of
/// a chosen period per kind and journey step (`MessageResultsSection`), the queue with filters by status, kind and
/// channel and the counts by status and kind; one message with what it said (the HTML in
/// a sandboxed frame, never run); the triggers and templates in force with a preview (`MessageTemplatesPage`).
/// Sending a dead, failed or bounced message again needs `marketing` (owner, marketer): a confirmed POST that goes
/// through `MessageAdmin.requeue`, audited as `message.requeue` with the staff account. Service agents see a member's
/// messages from the member page (`viewMembers`, `/console/members/{id}/messages/{message}`).
enum MessagesPages {
    /// Messages per page of the queue.
    static let pageLength = 50

    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/messages", .viewMessages) { request, page in try await queue(request, page) }
        routes.staff(.get, "/console/messages/templates", .viewMessages) { request, page in try await MessageTemplatesPage.show(request, page) }
        routes.staff(.get, "/console/messages/{id}", .viewMessages) { _, page in
            try await detail(page, messageID: page.parameter("id"), member: nil, refusal: nil)
        }
        routes.staff(.post, "/console/messages/{id}/requeue", .marketing) { request, page in try await requeue(request, page) }
        routes.staff(.get, "/console/members/{id}/messages/{message}", .viewMembers) { _, page in
            guard let member = page.parameter("id").flatMap({ Int64($0) }) else { return notFound(page) }
            return try await detail(page, messageID: page.parameter("message"), member: member, refusal: nil)
        }
    }

    // MARK: The queue

    static func queue(_ request: Request, _ page: StaffPage) async throws -> Response {
        let query = MemberPages.query(request) ?? Form()
        var problems: [String] = []
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) -> T? where T.RawValue == String {
            guard let text = query[name], !text.isEmpty else { return nil }
            guard let value = T(rawValue: text) else {
                problems.append(
                    MessagesPages.text(page, "messages.queue.badFilter", ["name": name, "value": text, "known": T.allCases.map(\.rawValue).joined(separator: ", ")]))
                return nil
            }
            return value
        }
        let status = choice("status", MessageStatus.self)
        let kind = choice("kind", MessageKind.self)
        let channel = choice("channel", MessageChannel.self)
        var before: Int64?
        if let text = query["before"], !text.isEmpty {
            if let value = Int64(text), value > 0 { before = value } else { problems.append(MessagesPages.text(page, "messages.queue.badBefore", ["value": text])) }
        }
        let filter = MessageFilter(status: status, kind: kind, channel: channel, before: before)
        let messages = problems.isEmpty ? try await page.context.store.messages(matching: filter, limit: pageLength) : []
        var queueHidden: [MessagesPageModels.Hidden] = []
        if let status { queueHidden.append(.init(name: "status", value: status.rawValue)) }
        if let kind { queueHidden.append(.init(name: "kind", value: kind.rawValue)) }
        if let channel { queueHidden.append(.init(name: "channel", value: channel.rawValue)) }
        // The results' period rides along the queue's filters and pages (and the other way round), as given.
        let resultsHidden = MessageResultsSection.parameters.compactMap { name in
            query[name].flatMap { $0.isEmpty ? nil : MessagesPageModels.Hidden(name: name, value: $0) }
        }
        let filterQuery = (queueHidden + resultsHidden).map { "\($0.name)=\(MemberPages.queryValue($0.value))" }
        let older = messages.count == pageLength ? messages.last.map { "/console/messages?" + (filterQuery + ["before=\($0.id)"]).joined(separator: "&") } : nil
        let newest = before == nil ? nil : "/console/messages" + (filterQuery.isEmpty ? "" : "?" + filterQuery.joined(separator: "&"))
        let results = try await MessageResultsSection.build(query, page)
        let model = MessagesPageModels.Queue(
            results: results.model, queueHidden: queueHidden, resultsHidden: resultsHidden,
            statusOptions: options(MessageStatus.allCases.map(\.rawValue), selected: status?.rawValue, prefix: "messages.status.", page),
            kindOptions: options(MessageKind.allCases.map(\.rawValue), selected: kind?.rawValue, prefix: "messages.kind.", page),
            channelOptions: options(MessageChannel.allCases.filter { $0 != .webhook }.map(\.rawValue), selected: channel?.rawValue, prefix: "messages.channel.", page),
            rows: messages.map { row($0, href: "/console/messages/\($0.id)", page) },
            filterProblem: problems.isEmpty ? nil : problems.joined(separator: " "), olderHref: older, newestHref: newest,
            counts: try await counts(page))
        return page.render("staff/messages/index", title: page.text("messages.title"), model, status: problems.isEmpty && !results.refused ? .ok : .badRequest)
    }

    /// The counts by kind and status, from the queue itself.
    static func counts(_ page: StaffPage) async throws -> MessagesPageModels.Counts {
        let counts = try await page.context.store.messageCounts()
        let statuses = MessageStatus.allCases.filter { status in counts.contains { $0.status == status } }
        let kinds = MessageKind.allCases.filter { kind in counts.contains { $0.kind == kind } }
        let f = page.formats
        func line(_ label: String, _ included: (MessageCount) -> Bool) -> MessagesPageModels.CountRow {
            let cells = statuses.map { status in counts.filter { $0.status == status && included($0) }.reduce(0) { $0 + $1.count } }
            return MessagesPageModels.CountRow(label: label, cells: cells.map { $0 == 0 ? "–" : f.number($0) }, total: f.number(cells.reduce(0, +)))
        }
        return MessagesPageModels.Counts(
            statuses: statuses.map { label(page, "messages.status.", $0.rawValue) },
            rows: kinds.map { kind in line(label(page, "messages.kind.", kind.rawValue)) { $0.kind == kind } },
            totals: line(page.text("messages.counts.total")) { _ in true }, hasRows: !kinds.isEmpty, note: page.text("messages.counts.note"))
    }

    // MARK: One message

    static func detail(_ page: StaffPage, messageID: String?, member: Int64?, refusal: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let id = messageID.flatMap({ Int64($0) }), let message = try await page.context.store.message(id: id),
            member == nil || message.memberId == member
        else { return notFound(page) }
        let f = page.formats
        let none = "–"
        func when(_ date: Date?) -> String { date.map(f.instant) ?? none }
        func times(_ first: Date?, _ count: Int) -> String {
            guard let first else { return none }
            return count > 1 ? page.text("messages.field.times", ["when": f.instant(first), "count": f.number(count)]) : f.instant(first)
        }
        var facts = [
            MessagesPageModels.Fact(label: page.text("messages.field.key"), value: message.key.value),
            .init(label: page.text("messages.field.member"), value: "#\(message.memberId)"),
            .init(label: page.text("messages.field.kind"), value: label(page, "messages.kind.", message.kind.rawValue)),
            .init(label: page.text("messages.field.purpose"), value: label(page, "messages.purpose.", message.purpose.rawValue)),
            .init(label: page.text("messages.field.channel"), value: label(page, "messages.channel.", message.channel.rawValue)),
            .init(label: page.text("messages.field.recipient"), value: message.recipient ?? none),
            .init(label: page.text("messages.field.attempts"), value: f.number(message.attempts)),
            .init(label: page.text("messages.field.created"), value: when(message.createdAt)),
            .init(label: page.text("messages.field.due"), value: message.status == .queued ? when(message.dueAt) : none),
            // A queued message's `sentAt` is a deliverer's place under the weekly cap, not a send.
            .init(label: page.text("messages.field.sent"), value: message.status == .sent || message.status == .delivered ? when(message.sentAt) : none),
            .init(label: page.text("messages.field.delivered"), value: when(message.deliveredAt)),
            .init(label: page.text("messages.field.read"), value: when(message.readAt)),
            .init(label: page.text("messages.field.opened"), value: times(message.openedAt, message.openCount)),
            .init(label: page.text("messages.field.clicked"), value: times(message.clickedAt, message.clickCount)),
        ]
        if let provider = message.providerId { facts.append(.init(label: page.text("messages.field.provider"), value: provider)) }
        if let error = message.lastError { facts.append(.init(label: page.text("messages.field.lastError"), value: error)) }
        let rendered = message.subject.map { subject in
            rendering(MessageOutcome.Rendered(subject: subject, text: message.text ?? "", html: message.html ?? ""))
        }
        let requeueable: Set<MessageStatus> = [.dead, .failed, .bounced]
        let back = member.map { (MemberPages.path($0), page.text("messages.backToMember")) } ?? ("/console/messages", page.text("messages.title"))
        let model = MessagesPageModels.Detail(
            id: String(message.id), backHref: back.0, backLabel: back.1, status: label(page, "messages.status.", message.status.rawValue),
            statusKey: message.status.rawValue, facts: facts, rendered: rendered,
            notRendered: rendered == nil ? page.text(message.status == .queued ? "messages.detail.notYet" : "messages.detail.notKept") : nil,
            causeFacts: prettyJSON(message.facts), canRequeue: page.may(.marketing) && requeueable.contains(message.status),
            requeueHref: "/console/messages/\(message.id)/requeue", refusal: refusal)
        return page.render("staff/messages/message", title: "\(page.text("messages.message")) #\(message.id)", model, status: status)
    }

    static func requeue(_ request: Request, _ page: StaffPage) async throws -> Response {
        guard let text = page.parameter("id"), let id = Int64(text) else { return notFound(page) }
        let form = try await page.form(request)
        guard form["confirm"] == "yes" else {
            return try await detail(page, messageID: text, member: nil, refusal: page.text("messages.requeue.confirmRequired"), status: .badRequest)
        }
        do {
            _ = try await MessageAdmin(context: page.context).requeue(id: id, actor: page.actor)
        } catch let error as PatronError where error.code == .notFound {
            return notFound(page)
        } catch let error as PatronError where error.code == .invalidTransition {
            return try await detail(page, messageID: text, member: nil, refusal: error.message, status: .conflict)
        }
        return page.redirect("/console/messages/\(id)", notice: MessagesPages.text(page, "messages.requeue.done", ["id": text]))
    }

    // MARK: Shared pieces

    /// A list row for `message`, linking to `href`.
    static func row(_ message: Message, href: String, _ page: StaffPage) -> MessagesPageModels.Row {
        let subject = (message.subject ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let problem: String? = [.dead, .bounced, .failed, .suppressed].contains(message.status) ? message.lastError : nil
        return MessagesPageModels.Row(
            id: String(message.id), href: href, created: page.formats.instant(message.createdAt), memberId: String(message.memberId),
            memberHref: MemberPages.path(message.memberId), kind: label(page, "messages.kind.", message.kind.rawValue),
            channel: label(page, "messages.channel.", message.channel.rawValue), status: label(page, "messages.status.", message.status.rawValue),
            statusKey: message.status.rawValue, attempts: page.formats.number(message.attempts), subject: subject.isEmpty ? "–" : subject,
            read: message.readAt.map(page.formats.instant) ?? "", problem: problem)
    }

    /// Put first in a framed message, this policy lands in the frame document's head and is enforced beside the page's
    /// own (which the `srcdoc` frame inherits): nothing loads but `data:` images, so no open pixel, remote image or
    /// font is fetched because staff looked. The frame's `sandbox` already stops scripts and forms.
    static let framePolicy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"

    static func rendering(_ rendered: MessageOutcome.Rendered) -> MessagesPageModels.Rendered {
        MessagesPageModels.Rendered(
            subject: rendered.subject, text: rendered.text, html: rendered.html, frame: framePolicy + rendered.html,
            hasHTML: !rendered.html.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// `<select>` choices: "any" first, then `values` labelled by `prefix + value` (the value itself when the strings
    /// have no label for it, e.g. a kind added later).
    static func options(_ values: [String], selected: String?, prefix: String, _ page: StaffPage) -> [MessagesPageModels.Option] {
        [MessagesPageModels.Option(value: "", label: page.text("messages.any"), selected: selected == nil)]
            + values.map { MessagesPageModels.Option(value: $0, label: label(page, prefix, $0), selected: $0 == selected) }
    }

    /// The string `prefix + raw`, or `raw` when there is none.
    static func label(_ page: StaffPage, _ prefix: String, _ raw: String) -> String {
        let key = prefix + raw
        let text = page.text(key)
        return text == key ? raw : text
    }

    /// A JSON object's text indented for reading (the text itself when it is not JSON).
    static func prettyJSON(_ text: String) -> String {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
            let result = String(data: pretty, encoding: .utf8)
        else { return text }
        return result
    }

    /// The string `key` with each `{name}` replaced by its value (values are plain text; templates escape them).
    static func text(_ page: StaffPage, _ key: String, _ values: [String: String]) -> String {
        var result = page.text(key)
        for (name, value) in values { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }

    static func notFound(_ page: StaffPage) -> Response { page.error(.notFound, page.text("messages.noSuchMessage")) }
}
