import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The operations page: jobs run by hand, webhook replay and background order imports.
@Suite struct OperationsPagesTests {
    @Test func runningAJobNeedsConfirmationAndIsRecordedWithItsReport() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let unconfirmed = try await console.post("/console/operations/jobs/expiry/run", as: owner)
            #expect(unconfirmed.status == 400)
            #expect(try await console.store.auditLog(after: 0, limit: 10, subject: "job:expiry").isEmpty)
            let ran = try await console.post("/console/operations/jobs/expiry/run", [("confirm", "yes")], as: owner)
            #expect(ran.status == 303)
            let records = try await console.store.auditLog(after: 0, limit: 10, subject: "job:expiry")
            #expect(records.map(\.actor) == ["staff:owner"])
            let page = try await console.get("/console/operations?lang=en", as: owner)
            #expect(page.status == 200)
            let row = try #require(page.text.components(separatedBy: "<tr").first { $0.contains("id=\"job-expiry\"") })
            #expect(row.contains("staff:owner"))
            #expect(try await console.post("/console/operations/jobs/nonsense/run", [("confirm", "yes")], as: owner).status == 404)
            #expect(try await console.get("/console/operations", as: try await console.browser(.marketer)).status == 403)
        }
    }

    @Test func aDeadDeliveryIsReplayedOnlyWhenConfirmedAndAudited() async throws {
        try await ConsoleHarness.run { console in
            let store = console.store
            _ = try await store.createWebhookSubscription(
                NewWebhookSubscription(url: "https://crm.example/hook", events: [.memberEnrolled], at: console.clock.now()))
            _ = try await store.enroll(EnrollmentRequest(identities: [try .customer("W1")], profile: Profile(name: "Wen")), key: nil)
            #expect(try await store.fanOutWebhookEvents(at: console.clock.now()) == 1)
            let claim = try #require(try await store.claimWebhookDeliveries(at: console.clock.now(), limit: 10, lease: 60).first)
            #expect(try await store.recordWebhookFailed(claim, status: 500, error: "boom", retryAt: nil))
            let dead = try #require(try await store.webhookDeliveries(status: .dead, limit: 10).first)

            let owner = try await console.browser(.owner)
            let page = try await console.get("/console/operations?lang=en", as: owner)
            #expect(page.text.contains("delivery-\(dead.id)") && page.text.contains("boom"))
            let unconfirmed = try await console.post("/console/operations/deliveries/\(dead.id)/replay", as: owner)
            #expect(unconfirmed.status == 400)
            #expect(try await store.webhookDeliveries(status: .dead, limit: 10).count == 1)
            let replayed = try await console.post("/console/operations/deliveries/\(dead.id)/replay", [("confirm", "yes")], as: owner)
            #expect(replayed.status == 303)
            #expect(try await store.webhookDeliveries(status: .dead, limit: 10).isEmpty)
            #expect(try await store.webhookDeliveries(status: .pending, limit: 10).map(\.id) == [dead.id])
            #expect(try await store.auditLog(after: 0, limit: 10, subject: "delivery:\(dead.id)").map(\.actor) == ["staff:owner"])
            let again = try await console.post("/console/operations/deliveries/\(dead.id)/replay", [("confirm", "yes")], as: owner)
            #expect(again.status == 400, "a delivery that is not dead cannot be replayed")
        }
    }

    @Test func anOrderImportRunsInTheBackgroundAndListsEveryRefusedRowWithItsLine() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let csv = "customer,date,amount\nA1,2026-01-05,120.00\nA2,not-a-date,80.00\nA1,2026-02-01,30.00\nA3,2026-02-02,x\n"
            let missing = try await console.post(
                "/console/operations/imports",
                [("orders", csv), ("format", "csv"), ("delimiter", "comma"), ("header", "yes"), ("customer", "customer"), ("date", "date"),
                 ("amount", "amount"), ("dateFormat", "yyyy-MM-dd")], as: owner)
            #expect(missing.status == 400, "an import needs its confirmation")
            let started = try await console.post(
                "/console/operations/imports",
                [("orders", csv), ("fileName", "orders.csv"), ("format", "csv"), ("delimiter", "comma"), ("header", "yes"), ("customer", "customer"),
                 ("date", "date"), ("amount", "amount"), ("dateFormat", "yyyy-MM-dd"), ("confirm", "yes")], as: owner)
            #expect(started.status == 303)
            let location = try #require(started.location)
            #expect(location.hasPrefix("/console/operations/imports/"))
            var finished = false
            for _ in 0..<200 where !finished {
                let status = try await console.get(location + "/status", as: owner)
                #expect(status.status == 200)
                finished = status.text.contains("\"finished\":true")
                if !finished { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(finished)
            let result = try await console.get(location + "?lang=en", as: owner)
            #expect(result.text.contains("import-summary"))
            #expect(result.text.contains("line 3"), "the bad date's row is named by its line")
            #expect(result.text.contains("line 5"), "the bad amount's row is named by its line")
            #expect(!result.text.contains("data-poll"), "a finished import is not polled")
            #expect(try await console.store.member(identity: try .customer("A1")) != nil)
            let audit = try await console.store.auditLog(after: 0, limit: 100, subject: nil).filter { $0.action == "orders.import" }
            #expect(audit.map(\.actor) == ["staff:owner"])
        }
    }

    @Test func anImportWithoutAColumnIsRefusedNamingTheField() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            let answer = try await console.post(
                "/console/operations/imports?lang=en",
                [("orders", "customer,date,amount\nA1,2026-01-05,1.00\n"), ("format", "csv"), ("delimiter", "comma"), ("header", "yes"),
                 ("customer", ""), ("date", "date"), ("amount", "amount"), ("confirm", "yes")], as: owner)
            #expect(answer.status == 400)
            #expect(answer.text.contains("Name the Customer column."))
            #expect(try await console.store.member(identity: try .customer("A1")) == nil)
        }
    }
}
