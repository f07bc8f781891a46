import Foundation
import PatronServices
import PatronStore

/// What the operations pages show, already formatted.
enum OperationsModels {
    struct Page: Sendable {
        let jobs: [JobRow]
        let subscriptions: [SubscriptionRow]
        let deliveries: [DeliveryRow]
        let dead: [DeliveryRow]
        let imports: [ImportRow]
        let importForm: ImportForm
    }

    struct JobRow: Sendable {
        let job: String
        let label: String
        let runs: [JobRunRow]
        let error: String?
    }

    struct JobRunRow: Sendable {
        let at: String
        let actor: String
        let items: String
        let points: String
    }

    struct SubscriptionRow: Sendable {
        let id: Int64
        let url: String
        let events: String
        let active: Bool
        let created: String
    }

    struct DeliveryRow: Sendable {
        let id: Int64
        let subscription: Int64
        let event: Int64
        let kind: String
        let status: String
        let statusClass: String
        let attempts: Int
        let lastStatus: String
        let lastError: String
        let created: String
        let next: String
        let error: String?
    }

    struct ImportRow: Sendable {
        let id: String
        let fileName: String
        let actor: String
        let started: String
        let state: String
    }

    /// The import form with what was sent and what was wrong.
    struct ImportForm: Sendable {
        var fileName = ""
        var text = ""
        var jsonLines = false
        var delimiters: [Choice] = []
        var hasHeader = true
        var customer = "customer"
        var orderId = ""
        var date = "date"
        var dateFormat = "yyyy-MM-dd"
        var amount = "amount"
        var minorUnits = false
        var errors: [String] = []
    }

    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// `/console/operations/imports/{id}`.
    struct ImportPage: Sendable {
        let id: String
        let fileName: String
        let actor: String
        let started: String
        let finished: Bool
        let percent: Int
        let rowsDone: String
        let rows: String
        let failure: String?
        let summary: ImportSummary?
    }

    struct ImportSummary: Sendable {
        let rows: String
        let imported: String
        let alreadyPresent: String
        let enrolled: String
        let refused: String
        let problems: [String]
        let everyRowRefused: Bool
    }
}
