import Foundation
import PatronCore
import PatronStore
import Testing

/// `/v1/members/{member}/messages`: the inbox a storefront shows, newest first with the unread count, and marking read.
@Suite struct MessageRouteTests {
    @Test func theInboxListsDeliveredMessagesNewestFirstAndMarksThemRead() async throws {
        try await TestAPI.run { api in
            let ann = try await api.enroll("ann")
            let bo = try await api.enroll("bo")
            let now = api.clock.now()
            var ids: [Int64] = []
            for cause in ["one", "two"] {
                let (message, _) = try await api.store.queueMessage(NewMessage(memberId: ann, kind: .campaign, channel: .inbox, cause: cause, at: now))
                let claim = try #require(try await api.store.claimMessages(at: now, limit: 1, lease: 60).first)
                let rendered = MessageOutcome.Rendered(subject: "Hello \(cause)", text: "text \(cause)", html: "<p>\(cause)</p>")
                #expect(try await api.store.recordMessageOutcome(claim, .sent(rendered, recipient: String(ann), providerId: nil, delivered: true), at: now))
                ids.append(message.id)
            }
            let page = try await api.call(.get, "/v1/members/\(ann)/messages", as: "storefront")
            #expect(page.status == 200, "\(page.text)")
            let messages = page.object["messages"] as? [[String: Any]] ?? []
            #expect(messages.compactMap { $0["subject"] as? String } == ["Hello two", "Hello one"])
            #expect(page.object["unread"] as? Int == 2)

            let read = try await api.call(.post, "/v1/members/customer:ann/messages/\(ids[0])/read", as: "storefront")
            #expect(read.status == 200, "\(read.text)")
            #expect(read.object["read"] as? Bool == true)
            #expect(try await api.call(.get, "/v1/members/\(ann)/messages?limit=1&before=\(ids[1])").object["unread"] as? Int == 0)

            let someoneElses = try await api.call(.post, "/v1/members/\(bo)/messages/\(ids[0])/read")
            #expect(someoneElses.status == 404)
            #expect(try await api.call(.get, "/v1/members/\(ann)/messages", as: "analytics").status == 403)
            #expect(try await api.call(.get, "/v1/members/\(ann)/messages?limit=0").status == 400)
        }
    }
}
