import Foundation
import Mustache

/// What the Messages templates show: every value already formatted in the page's language.
enum MessagesPageModels {
    /// One choice of a filter's `<select>`.
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One message in a list (the queue, or a member's messages).
    struct Row: Sendable {
        let id: String
        let href: String
        let created: String
        let memberId: String
        let memberHref: String
        let kind: String
        let channel: String
        let status: String
        let statusKey: String
        let attempts: String
        let subject: String
        let read: String
        let problem: String?
    }

    /// One line of the counts: a kind (or the total) with a count per status.
    struct CountRow: Sendable {
        let label: String
        let cells: [String]
        let total: String
    }

    /// The counts by kind and status (read from the queue).
    struct Counts: Sendable {
        let statuses: [String]
        let rows: [CountRow]
        let totals: CountRow
        let hasRows: Bool
        let note: String
    }

    /// A query parameter one form carries for the other (a hidden input), so choosing a period keeps the queue's
    /// filters and filtering the queue keeps the period.
    struct Hidden: Sendable {
        let name: String
        let value: String
    }

    /// The results' period and window, as chosen (or as typed, when refused).
    struct ResultsForm: Sendable {
        let options: [Option]
        let month: String
        let from: String
        let to: String
        let window: String
        let maximumWindow: String
        let error: String?
        let hint: String
    }

    /// One kind and journey step of the results (or their total): counts, and rates per message sent.
    struct ResultRow: Sendable {
        let kind: String
        let kindKey: String
        let journey: String
        let step: String
        let queued: String
        let sent: String
        let delivered: String
        let bounced: String
        let suppressed: String
        let opened: String
        let openRate: String
        let clicked: String
        let clickRate: String
        let unsubscribed: String
        let unsubscribeRate: String
        let orders: String
        let orderRate: String
        let revenue: String
    }

    /// The results of one period.
    struct ResultsTable: Sendable {
        /// The instants counted, in the shop's time zone.
        let periodLabel: String
        let rows: [ResultRow]
        let total: ResultRow
        let hasRows: Bool
        let none: String
        let note: String
    }

    /// The Results section: the form, and the table unless the period was refused (or no programme is loaded).
    struct Results: Sendable {
        let form: ResultsForm
        let table: ResultsTable?
        let empty: String?
    }

    /// `/console/messages`.
    struct Queue: Sendable {
        let results: Results
        /// The queue's filters, carried by the results' form.
        let queueHidden: [Hidden]
        /// The results' period, carried by the queue's filter form.
        let resultsHidden: [Hidden]
        let statusOptions: [Option]
        let kindOptions: [Option]
        let channelOptions: [Option]
        let rows: [Row]
        let filterProblem: String?
        let olderHref: String?
        let newestHref: String?
        let counts: Counts
    }

    /// One labelled fact of a message.
    struct Fact: Sendable {
        let label: String
        let value: String
    }

    /// A message's rendered parts (the stored ones, or a preview).
    struct Rendered: Sendable {
        let subject: String
        let text: String
        /// The HTML as text, for the source view (escaped by the template).
        let html: String
        /// The document of the sandboxed frame (`srcdoc`, escaped by the template): the HTML after a policy that loads
        /// no image but `data:` ones, so looking at a message never fetches its open pixel.
        let frame: String
        let hasHTML: Bool
    }

    /// `/console/messages/{id}` and `/console/members/{id}/messages/{message}`.
    struct Detail: Sendable {
        let id: String
        let backHref: String
        let backLabel: String
        let status: String
        let statusKey: String
        let facts: [Fact]
        let rendered: Rendered?
        let notRendered: String?
        let causeFacts: String
        let canRequeue: Bool
        let requeueHref: String
        let refusal: String?
    }

    /// One kind of the templates table.
    struct TemplateRow: Sendable {
        let kind: String
        let kindKey: String
        let purpose: String
        let channels: String
        let cells: [String]
    }

    /// One trigger of the programme's `messages:` section.
    struct JourneyRow: Sendable {
        let id: String
        let cause: String
        let kind: String
        let purpose: String
        let delay: String
        let segment: String
        let channels: String
        let stop: String
    }

    /// One problem with a preview's input, beside its field.
    struct FieldProblem: Sendable {
        let field: String
        let message: String
    }

    /// `/console/messages/templates`.
    struct Templates: Sendable {
        let configured: Bool
        let folderNote: String?
        let locales: [String]
        let rows: [TemplateRow]
        /// Where the triggers come from: the programme's `messages:` section or the trigger table.
        let triggerSource: String
        let journeys: [JourneyRow]
        let hasJourneys: Bool
        let rules: [String]
        let kindOptions: [Option]
        let localeOptions: [Option]
        let memberValue: String
        let problems: [FieldProblem]
        let hasProblems: Bool
        let preview: Rendered?
        let previewNote: String?
    }

    /// The Messages section of the staff member page.
    struct MemberSection: Sendable {
        let rows: [Row]
        let hasRows: Bool
        let note: String?
    }
}

extension MessagesPageModels.MemberSection: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "rows": return rows
        case "hasRows": return hasRows
        case "note": return note
        default: return nil
        }
    }
}
