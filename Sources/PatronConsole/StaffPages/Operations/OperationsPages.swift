import Foundation
import Hummingbird
import PatronCore
import PatronServices
import PatronStore

/// `/console/operations` (operate): background jobs and their last runs, run one now (confirmed, `job.run`);
/// webhook subscriptions and recent deliveries, replay a dead one (confirmed, `webhook.replay`); order imports that
/// run in the background with their progress (`orders.import` when done).
enum OperationsPages {
    /// How many recent deliveries the page lists.
    static let deliveryLimit = 50

    static func register(on routes: ConsoleRoutes) {
        let imports = ImportRuns()
        routes.staff(.get, "/console/operations", .operate) { _, page in
            try await render(page, imports: imports, form: OperationsModels.ImportForm(), status: .ok)
        }
        routes.staff(.post, "/console/operations/jobs/{job}/run", .operate) { request, page in
            guard let job = page.parameter("job").flatMap(BackgroundJob.init(rawValue:)) else {
                return page.error(.notFound, page.text("ops.jobs.unknown"))
            }
            let form = try await page.form(request)
            guard form["confirm"] == "yes" else {
                return try await render(
                    page, imports: imports, form: OperationsModels.ImportForm(), jobError: (job, page.text("ops.confirmRequired")), status: .badRequest)
            }
            let report = try await JobRuns(context: page.context).run(job, actor: page.actor)
            let notice = page.text("ops.jobs.ran").replacingOccurrences(of: "{job}", with: page.text("ops.jobs.\(job.rawValue)"))
                .replacingOccurrences(of: "{items}", with: page.formats.number(report.items))
                .replacingOccurrences(of: "{points}", with: page.formats.points(report.points))
            return page.redirect("/console/operations#jobs", notice: notice)
        }
        routes.staff(.post, "/console/operations/deliveries/{id}/replay", .operate) { request, page in
            guard let id = page.parameter("id").flatMap(Int64.init) else { return page.error(.notFound, page.text("ops.webhooks.unknown")) }
            let form = try await page.form(request)
            guard form["confirm"] == "yes" else {
                return try await render(
                    page, imports: imports, form: OperationsModels.ImportForm(), deliveryError: (id, page.text("ops.confirmRequired")), status: .badRequest)
            }
            do {
                _ = try await AdminActions(store: page.context.store).replayWebhookDelivery(id: id, actor: page.actor, at: page.context.clock.now())
            } catch let error as PatronError where error.code != .storage {
                return try await render(
                    page, imports: imports, form: OperationsModels.ImportForm(), deliveryError: (id, error.message), status: .badRequest)
            }
            return page.redirect(
                "/console/operations#webhooks", notice: page.text("ops.webhooks.replayed").replacingOccurrences(of: "{id}", with: "\(id)"))
        }
        routes.staff(.post, "/console/operations/imports", .operate) { request, page in
            let form = try await page.form(request)
            var model = importForm(form, page: page)
            let source: OrderImporter.Source
            do {
                source = try importSource(form, page: page)
            } catch let error as PatronError {
                model.errors.append(error.message)
                return try await render(page, imports: imports, form: model, status: .badRequest)
            }
            if model.text.allSatisfy(\.isWhitespace) { model.errors.append(page.text("ops.imports.empty")) }
            if form["confirm"] != "yes" { model.errors.append(page.text("ops.confirmRequired")) }
            if try await page.context.store.currentProgram() == nil { model.errors.append(page.text("ops.program.none")) }
            guard model.errors.isEmpty else { return try await render(page, imports: imports, form: model, status: .badRequest) }
            let id = await imports.start(
                model.text, fileName: model.fileName.isEmpty ? page.text("ops.imports.pasted") : model.fileName, source: source,
                context: page.context, actor: page.actor)
            return page.redirect("/console/operations/imports/\(id)")
        }
        routes.staff(.get, "/console/operations/imports/{id}", .operate) { _, page in
            guard let id = page.parameter("id"), let status = await imports.status(id) else {
                return page.error(.notFound, page.text("ops.imports.unknown"))
            }
            return page.render("staff/operations/import", title: page.text("ops.imports.title"), importPage(status, page: page))
        }
        routes.staff(.get, "/console/operations/imports/{id}/status", .operate) { _, page in
            guard let id = page.parameter("id"), let status = await imports.status(id) else {
                return page.error(.notFound, page.text("ops.imports.unknown"))
            }
            let json = #"{"percent":\#(status.percent),"rowsDone":\#(status.rowsDone),"rows":\#(status.rows),"finished":\#(status.finished)}"#
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }

    static func render(
        _ page: StaffPage, imports: ImportRuns, form: OperationsModels.ImportForm, jobError: (BackgroundJob, String)? = nil,
        deliveryError: (Int64, String)? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        let runs = JobRuns(context: page.context)
        var jobs: [OperationsModels.JobRow] = []
        for job in BackgroundJob.allCases {
            let recent = try await runs.recent(job)
            jobs.append(
                OperationsModels.JobRow(
                    job: job.rawValue, label: page.text("ops.jobs.\(job.rawValue)"),
                    runs: recent.map { run in
                        OperationsModels.JobRunRow(
                            at: page.formats.instant(run.at), actor: run.actor, items: run.report.map { page.formats.number($0.items) } ?? "",
                            points: run.report.map { page.formats.points($0.points) } ?? "")
                    }, error: jobError?.0 == job ? jobError?.1 : nil))
        }
        let store = page.context.store
        let subscriptions = try await store.webhookSubscriptions().map { subscription in
            OperationsModels.SubscriptionRow(
                id: subscription.id, url: subscription.url, events: subscription.events.map(\.rawValue).joined(separator: ", "),
                active: subscription.active, created: page.formats.instant(subscription.createdAt))
        }
        func row(_ delivery: WebhookDelivery) -> OperationsModels.DeliveryRow {
            OperationsModels.DeliveryRow(
                id: delivery.id, subscription: delivery.subscriptionId, event: delivery.eventId, kind: delivery.kind.rawValue,
                status: page.text("ops.webhooks.status.\(delivery.status.rawValue)"), statusClass: delivery.status.rawValue, attempts: delivery.attempts,
                lastStatus: delivery.lastStatus.map(String.init) ?? "", lastError: delivery.lastError ?? "", created: page.formats.instant(delivery.createdAt),
                next: delivery.status == .pending ? delivery.nextAttemptAt.map(page.formats.instant) ?? "" : delivery.deliveredAt.map(page.formats.instant) ?? "",
                error: deliveryError?.0 == delivery.id ? deliveryError?.1 : nil)
        }
        let deliveries = try await store.webhookDeliveries(status: nil, limit: deliveryLimit).map(row)
        let dead = try await store.webhookDeliveries(status: .dead, limit: deliveryLimit).map(row)
        let importRows = await imports.all().map { run in
            OperationsModels.ImportRow(
                id: run.id, fileName: run.fileName, actor: run.actor, started: page.formats.instant(run.startedAt),
                state: run.failure != nil ? page.text("ops.imports.failed")
                    : run.finished ? page.text("ops.imports.done") : "\(run.percent) %")
        }
        var form = form
        form.delimiters = OrderFileFormat.Delimiter.allCases.map {
            OperationsModels.Choice(value: $0.rawValue, label: page.text("ops.imports.delimiter.\($0.rawValue)"), selected: $0.rawValue == (form.delimiters.first { $0.selected }?.value ?? "comma"))
        }
        return page.render(
            "staff/operations/index", title: page.text("ops.operations.title"),
            OperationsModels.Page(jobs: jobs, subscriptions: subscriptions, deliveries: deliveries, dead: dead, imports: importRows, importForm: form),
            status: status)
    }

    /// The form as sent, to show again.
    static func importForm(_ form: Form, page: StaffPage) -> OperationsModels.ImportForm {
        var model = OperationsModels.ImportForm()
        model.fileName = String((form["fileName"] ?? "").prefix(200))
        model.text = (form["orders"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        model.jsonLines = form["format"] == "jsonl"
        let delimiter = form["delimiter"] ?? "comma"
        model.delimiters = [OperationsModels.Choice(value: delimiter, label: delimiter, selected: true)]
        model.hasHeader = form["header"] == "yes"
        model.customer = form["customer"] ?? ""
        model.orderId = form["orderId"] ?? ""
        model.date = form["date"] ?? ""
        model.dateFormat = form["dateFormat"] ?? ""
        model.amount = form["amount"] ?? ""
        model.minorUnits = form["amountUnit"] == "minor"
        return model
    }

    /// The importer's source from the form; an error names the field.
    static func importSource(_ form: Form, page: StaffPage) throws -> OrderImporter.Source {
        switch form["format"] ?? "csv" {
        case "jsonl": return .jsonLines
        case "csv":
            guard let delimiter = OrderFileFormat.Delimiter(rawValue: form["delimiter"] ?? "comma") else {
                throw PatronError(.invalidInput, page.text("ops.imports.badDelimiter"))
            }
            func column(_ field: String) throws -> OrderFileFormat.Column {
                let text = (form[field] ?? "").trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { throw PatronError(.invalidInput, page.text("ops.imports.needsColumn").replacingOccurrences(of: "{field}", with: page.text("ops.imports.\(field)"))) }
                return OrderFileFormat.Column(text)
            }
            let orderId = (form["orderId"] ?? "").trimmingCharacters(in: .whitespaces)
            let dateFormat = (form["dateFormat"] ?? "").trimmingCharacters(in: .whitespaces)
            return .delimited(
                OrderFileFormat(
                    delimiter: delimiter, hasHeader: form["header"] == "yes", customer: try column("customer"),
                    orderId: orderId.isEmpty ? nil : OrderFileFormat.Column(orderId), date: try column("date"),
                    dateFormat: dateFormat.isEmpty ? "yyyy-MM-dd" : dateFormat, amount: try column("amount"),
                    amountUnit: form["amountUnit"] == "minor" ? .minor : .major))
        default:
            throw PatronError(.invalidInput, page.text("ops.imports.badFormat"))
        }
    }

    static func importPage(_ status: ImportRuns.Status, page: StaffPage) -> OperationsModels.ImportPage {
        OperationsModels.ImportPage(
            id: status.id, fileName: status.fileName, actor: status.actor, started: page.formats.instant(status.startedAt), finished: status.finished,
            percent: status.percent, rowsDone: page.formats.number(status.rowsDone), rows: page.formats.number(status.rows), failure: status.failure,
            summary: status.summary.map { summary in
                OperationsModels.ImportSummary(
                    rows: page.formats.number(summary.rows), imported: page.formats.number(summary.imported),
                    alreadyPresent: page.formats.number(summary.alreadyPresent), enrolled: page.formats.number(summary.enrolled),
                    refused: page.formats.number(summary.problems.count), problems: summary.problems, everyRowRefused: summary.everyRowRefused)
            })
    }
}
