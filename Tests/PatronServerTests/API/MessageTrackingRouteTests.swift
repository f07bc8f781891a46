import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronServer

/// `/track/open/{token}` and `/track/click/{token}` (public: a member's mail client calls them without a key) and
/// `/v1/messages/stats`.
@Suite struct MessageTrackingRouteTests {
    static let tracking = try! MessageTracking(secret: Data(repeating: 5, count: 32), base: "https://loyalty.shop.example")

    static func encoded(_ url: String) -> String { MessageTracking.queryEncoded(url) }

    @Test func thePixelIsAGIFForAnyTokenAndCountsOnlySignedOnes() async throws {
        try await TestAPI.run(configure: { $0.tracking = Self.tracking }) { api in
            let ann = try await api.enroll("ann")
            let (message, _) = try await api.store.queueMessage(NewMessage(memberId: ann, kind: .welcome, channel: .email, cause: "enrolled", at: api.clock.now()))
            let pixel = try await api.call(.get, "/track/open/\(Self.tracking.openToken(message: message.id))", as: nil)
            #expect(pixel.status == 200 && pixel.text.hasPrefix("GIF89a"))
            #expect(pixel.headers[.contentType] == "image/gif" && pixel.headers[.cacheControl]?.contains("no-store") == true)
            // The pixel's own Cache-Control and the security headers' are one field, not two.
            #expect(pixel.headers[values: .cacheControl] == ["no-store"], "\(pixel.headers)")
            let forged = try await api.call(.get, "/track/open/\(message.id).AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", as: nil)
            #expect(forged.status == 200 && forged.text.hasPrefix("GIF89a"))
            let activity = try await api.store.messageActivity(since: api.clock.now().addingTimeInterval(-60), until: api.clock.now())
            #expect(activity.messages.map(\.opened) == [true])
        }
    }

    @Test func aLinkRedirectsOnlyToTheURLItsTokenSigned() async throws {
        try await TestAPI.run(configure: { $0.tracking = Self.tracking }) { api in
            let ann = try await api.enroll("ann")
            let (message, _) = try await api.store.queueMessage(NewMessage(memberId: ann, kind: .welcome, channel: .email, cause: "enrolled", at: api.clock.now()))
            let url = "https://shop.example/tea?utm=mail&x=1"
            let token = Self.tracking.clickToken(message: message.id, url: url)
            let followed = try await api.call(.get, "/track/click/\(token)?url=\(Self.encoded(url))", as: nil)
            #expect(followed.status == 302 && followed.headers[.location] == url, "\(followed.status) \(followed.text)")

            for (label, uri) in [
                ("another URL", "/track/click/\(token)?url=\(Self.encoded("https://evil.example/"))"),
                ("a URL with more", "/track/click/\(token)?url=\(Self.encoded(url + "&next=https://evil.example"))"),
                ("a pixel's token", "/track/click/\(Self.tracking.openToken(message: message.id))?url=\(Self.encoded(url))"),
                ("no signature", "/track/click/\(message.id)?url=\(Self.encoded(url))"),
            ] {
                let refused = try await api.call(.get, uri, as: nil)
                #expect(refused.status == 400 && refused.errorCode == "invalid_input" && refused.headers[.location] == nil, "\(label): \(refused.status) \(refused.text)")
            }
            #expect(try await api.call(.get, "/track/click/\(token)", as: nil).status == 400)  // no url
            let activity = try await api.store.messageActivity(since: api.clock.now().addingTimeInterval(-60), until: api.clock.now())
            #expect(activity.messages.map(\.clicked) == [true])
        }
    }

    @Test func withoutTrackingThePixelCountsNothingAndLinksAreNotFollowed() async throws {
        try await TestAPI.run { api in
            let link = Self.tracking.clickToken(message: 1, url: "https://shop.example/")
            let answer = try await api.call(.get, "/track/click/\(link)?url=\(Self.encoded("https://shop.example/"))", as: nil)
            #expect(answer.status == 404 && answer.headers[.location] == nil)
            #expect(try await api.call(.get, "/track/open/\(Self.tracking.openToken(message: 1))", as: nil).status == 200)
        }
    }

    @Test func theStatsCountPerKindForAdminAndAnalyticsKeys() async throws {
        try await TestAPI.run(configure: { $0.tracking = Self.tracking }) { api in
            let ann = try await api.enroll("ann")
            let now = api.clock.now()
            let (message, _) = try await api.store.queueMessage(NewMessage(memberId: ann, kind: .welcome, channel: .inbox, cause: "enrolled", at: now))
            let claim = try #require(try await api.store.claimMessages(at: now, limit: 1, lease: 60).first)
            let rendered = MessageOutcome.Rendered(subject: "Hi", text: "Hi", html: "<p>Hi</p>")
            #expect(try await api.store.recordMessageOutcome(claim, .sent(rendered, recipient: String(ann), providerId: nil, delivered: true), at: now))
            #expect(try await api.call(.get, "/track/open/\(Self.tracking.openToken(message: message.id))", as: nil).status == 200)

            let stats = try await api.call(.get, "/v1/messages/stats?window_days=3", as: "analytics")
            #expect(stats.status == 200, "\(stats.text)")
            let rows = stats.object["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 1 && rows.first?["kind"] as? String == "welcome")
            #expect(rows.first?["sent"] as? Int == 1 && rows.first?["delivered"] as? Int == 1 && rows.first?["opened"] as? Int == 1)
            #expect(stats.object["windowDays"] as? Int == 3 && stats.object["attribution"] as? String == "last-touch")
            #expect((stats.object["total"] as? [String: Any])?["messages"] as? Int == 1)
            #expect(try await api.call(.get, "/v1/messages/stats", as: "storefront").status == 403)
            #expect(try await api.call(.get, "/v1/messages/stats?window_days=91").status == 400)
            #expect(try await api.call(.get, "/v1/messages/stats?since=2026-13-01").status == 400)
            #expect(try await api.call(.get, "/v1/messages/stats?since=2099-01-01").status == 400)
            #expect(try await api.call(.get, "/v1/messages/stats?until=yesterday").status == 400)
            // A period that ends two days before the message counts nothing.
            let day = DateFormatter()
            day.locale = Locale(identifier: "en_US_POSIX")
            day.timeZone = TimeZone(identifier: "UTC")
            day.dateFormat = "yyyy-MM-dd"
            let earlier = try await api.call(
                .get, "/v1/messages/stats?since=\(day.string(from: now.addingTimeInterval(-10 * 86_400)))&until=\(day.string(from: now.addingTimeInterval(-2 * 86_400)))",
                as: "analytics")
            #expect(earlier.status == 200 && (earlier.object["total"] as? [String: Any])?["messages"] as? Int == 0, "\(earlier.text)")
            #expect(try await api.call(.get, "/v1/messages/stats?since=2026-02-10&until=2026-02-01").status == 400)
        }
    }
}
