import Foundation
import PatronCore
import PatronStore
import Testing

/// `/v1/care/tickets…` and `/v1/care/compensations…`: a member's ticket opened through the shop, the agent's thread,
/// compensation capped for `service` keys and decided by `supervisor` keys, each change audited with the key's name.
@Suite struct CareTicketRouteTests {
    @Test("a storefront opens a member's ticket; an agent notes, assigns, compensates within the cap and resolves it")
    func ticketLifecycle() async throws {
        try await TestAPI.run { api in
            let member = try await api.enroll("C-1")
            let opened = try await api.call(
                .post, "/v1/care/tickets", as: "storefront",
                json: #"{"member": "customer:C-1", "category": "delivery", "subject": "Parcel late", "body": "a week", "channel": "web"}"#)
            #expect(opened.status == 201, "\(opened.text)")
            #expect(opened.object["source"] as? String == "member")
            #expect(opened.object["memberId"] as? Int == Int(member))
            let id = try #require(opened.object["id"] as? Int)
            #expect(try await api.call(.get, "/v1/care/tickets", as: "storefront").status == 403)

            let noted = try await api.call(.post, "/v1/care/tickets/\(id)/notes", as: "service", json: #"{"text": "On its way", "visibility": "toMember"}"#)
            #expect(noted.status == 200, "\(noted.text)")
            #expect(noted.object["firstResponseAt"] != nil)
            #expect(try await api.call(.post, "/v1/care/tickets/\(id)/assignee", as: "service", json: #"{"assignee": "ana"}"#).object["assignee"] as? String == "ana")

            let granted = try await api.call(.post, "/v1/care/tickets/\(id)/compensations", as: "service", json: #"{"points": 300, "note": "late", "key": "k1"}"#)
            #expect(granted.status == 200, "\(granted.text)")
            #expect((granted.object["compensation"] as? [String: Any])?["status"] as? String == "granted")
            let pending = try await api.call(.post, "/v1/care/tickets/\(id)/compensations", as: "service", json: #"{"points": 300, "note": "more", "key": "k2"}"#)
            let pendingId = try #require((pending.object["compensation"] as? [String: Any])?["id"] as? Int)
            #expect((pending.object["compensation"] as? [String: Any])?["status"] as? String == "pending")
            #expect(try await api.call(.get, "/v1/care/compensations/pending", as: "service").status == 403)
            #expect(try await api.call(.get, "/v1/care/compensations/pending", as: "supervisor").array.count == 1)
            let decided = try await api.call(.post, "/v1/care/compensations/\(pendingId)/decision", as: "supervisor", json: #"{"approve": true, "note": "ok"}"#)
            #expect(decided.status == 200, "\(decided.text)")
            #expect(decided.object["status"] as? String == "granted")
            #expect(try await api.store.member(id: member)?.balances.active == 600)

            let wrong = try await api.call(.post, "/v1/care/tickets/\(id)/status", as: "service", json: #"{"status": "closed"}"#)
            #expect(wrong.status == 200)
            let refused = try await api.call(.post, "/v1/care/tickets/\(id)/status", as: "service", json: #"{"status": "waiting"}"#)
            #expect(refused.status == 422 && refused.errorCode == "invalid_transition")

            let file = try await api.call(.get, "/v1/care/tickets/\(id)", as: "supervisor")
            #expect(file.status == 200, "\(file.text)")
            #expect((file.object["events"] as? [Any])?.count == 8)
            #expect((file.object["compensations"] as? [Any])?.count == 2)
            let list = try await api.call(.get, "/v1/care/tickets?status=closed&member=customer:C-1", as: "service")
            #expect(list.array.count == 1)

            let audit = try await api.store.auditLog(after: 0, limit: 50, subject: "ticket:\(id)")
            #expect(audit.map(\.action) == ["ticket.open", "ticket.note", "ticket.assign", "ticket.compensate", "ticket.compensate", "ticket.compensation.approve", "ticket.status"])
            #expect(audit[3].actor.contains("test-service") && audit[5].actor.contains("test-supervisor"))
        }
    }

    @Test("bad input is 400 naming the field, and opens nothing")
    func badInput() async throws {
        try await TestAPI.run { api in
            _ = try await api.enroll("C-1")
            let unknown = try await api.call(.post, "/v1/care/tickets", as: "service", json: #"{"member": "customer:C-1", "category": "shipping", "subject": "x"}"#)
            #expect(unknown.status == 400, "\(unknown.text)")
            #expect(unknown.text.contains("category"))
            let both = try await api.call(.post, "/v1/care/tickets", as: "service", json: #"{"member": "customer:C-1", "category": "price", "subject": "x", "colour": "red"}"#)
            #expect(both.status == 400)
            #expect(try await api.store.tickets(TicketQuery()).isEmpty)
        }
    }
}
