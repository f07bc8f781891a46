import Foundation
import PatronCore
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// Open pixels and signed redirect links: what the deliverer puts in an e-mail, what a member's mail client fetches,
/// what is counted, and the statistics that read the counts — on SQLite, or PostgreSQL when asked.
@Suite(.serialized) struct MessageTrackingTests {
    let clock = ManualClock(ServicesFixture.now)
    let fixture: ServicesFixture
    let context: ServiceContext
    let tracking: MessageTracking

    init() async throws {
        fixture = try await ServicesFixture()
        context = ServiceContext(store: fixture.store, clock: clock)
        tracking = try MessageTracking(secret: Data(repeating: 9, count: 32), base: "https://loyalty.shop.example/")
    }

    @Test func aLinkIsFollowedOnlyToTheURLItsTokenSigned() throws {
        let url = "https://shop.example/tea?utm=mail&x=1"
        let link = tracking.clickURL(message: 42, url: url)
        let components = try #require(URLComponents(string: link))
        #expect(components.host == "loyalty.shop.example" && components.path.hasPrefix("/track/click/42."))
        let token = String(components.path.dropFirst("/track/click/".count))
        #expect(components.queryItems?.first { $0.name == "url" }?.value == url)
        #expect(try tracking.verifyClick(token, url: url) == 42)
        // Another URL, another message's id, a pixel's token, a bare id: refused.
        #expect(throws: PatronError.self) { try tracking.verifyClick(token, url: "https://evil.example/") }
        #expect(throws: PatronError.self) { try tracking.verifyClick(token, url: url + "&y=2") }
        #expect(throws: PatronError.self) { try tracking.verifyClick("43." + token.split(separator: ".")[1], url: url) }
        #expect(throws: PatronError.self) { try tracking.verifyClick(tracking.openToken(message: 42), url: url) }
        #expect(throws: PatronError.self) { try tracking.verifyClick("42", url: url) }
        // A link signed with another secret is refused too.
        let other = try MessageTracking(secret: Data(repeating: 8, count: 32), base: "https://loyalty.shop.example")
        #expect(throws: PatronError.self) { try tracking.verifyClick(other.clickToken(message: 42, url: url), url: url) }
        // A non-web URL is never followed, even when signed.
        #expect(throws: PatronError.self) { try tracking.verifyClick(tracking.clickToken(message: 42, url: "javascript:alert(1)"), url: "javascript:alert(1)") }
        #expect(try tracking.verifyOpen(tracking.openToken(message: 42)) == 42)
        #expect(throws: PatronError.self) { try tracking.verifyOpen(tracking.clickToken(message: 42, url: url)) }
        #expect(throws: PatronError.self) { try MessageTracking(secret: Data(repeating: 1, count: 31), base: "https://a.example") }
        #expect(throws: PatronError.self) { try MessageTracking(secret: Data(repeating: 1, count: 32), base: "ftp://a.example") }
    }

    @Test func theHTMLsWebLinksAreRewrittenTheUnsubscribeLinkIsKeptAndThePixelGoesBeforeTheBodysEnd() throws {
        let unsubscribe = "https://shop.example/unsubscribe?token=1.email.abc"
        let html = """
            <html><body><a href="https://shop.example/a?x=1&amp;y=2">Tea</a> <A HREF='http://b.example/'>B</A>
            <a href="mailto:help@shop.example">Mail</a> <a href="\(unsubscribe)">Stop</a></body></html>
            """
        let tracked = tracking.track(.init(subject: "Hi", text: "Tea: https://shop.example/a", html: html), message: 7, keep: [unsubscribe])
        #expect(tracked.subject == "Hi" && tracked.text == "Tea: https://shop.example/a")
        let expectedA = HTMLText.escape(tracking.clickURL(message: 7, url: "https://shop.example/a?x=1&y=2"))
        #expect(tracked.html.contains("href=\"\(expectedA)\""))
        #expect(tracked.html.contains("HREF='\(HTMLText.escape(tracking.clickURL(message: 7, url: "http://b.example/")))'"))
        #expect(tracked.html.contains("href=\"mailto:help@shop.example\"") && tracked.html.contains("href=\"\(unsubscribe)\""))
        let pixel = "<img src=\"\(tracking.openURL(message: 7))\" width=\"1\" height=\"1\""
        #expect(tracked.html.contains(pixel + " alt=\"\" style=\"display:block;border:0\"></body>"))
        // Rewriting is not done twice over.
        #expect(tracking.track(.init(subject: "", text: "", html: tracked.html), message: 7, keep: [unsubscribe]).html.components(separatedBy: "/track/click/").count == 3)
        #expect(TrackedLinks.unescape("a&amp;b&#39;c&#x2F;d&lt;&unknown;") == "a&b'c/d<&unknown;")
    }

    @Test func aDeliveredEmailCarriesThePixelAndOpensClicksAndOrdersAreCounted() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .welcome, channels: [.email], actor: "ops@shop")
        let ann = try await fixture.store.enroll(
            EnrollmentRequest(identities: [try .customer("ann"), try Identity(kind: "email", value: "ann@example.com")], profile: Profile(name: "Ann", consents: ["email": true])),
            key: "enroll-ann")
        let sink = try LoopbackPeer("smtp_sink.py")
        let email = EmailSender(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: "loyalty@shop.example"), clock: clock)
        let deliverer = MessageDeliverer(
            context: context, templates: try MessageTemplates(folder: MessageTemplatesTests.examples, defaultLocale: "en"), senders: [.email: email],
            unsubscribe: nil, configuration: MessageDeliveryConfiguration(ratePerSecond: [:]), tracking: tracking)
        #expect(try await deliverer.deliverAll().sent == 1)
        await email.close()
        let sent = try #require(try await fixture.store.messages(status: .sent, limit: 1).first)
        let received = try #require(try sink.files(endingWith: ".eml").first)
        let html = try #require(part("text/html", in: received))
        #expect(html.contains(tracking.openURL(message: sent.id)))

        clock.advance(seconds: 3_600)
        #expect(try await tracking.open(token: tracking.openToken(message: sent.id), context: context) == sent.id)
        clock.advance(seconds: 60)
        #expect(try await tracking.open(token: tracking.openToken(message: sent.id), context: context) == sent.id)
        #expect(try await tracking.open(token: "\(sent.id).AAAA", context: context) == nil)  // counts nothing
        #expect(try await tracking.click(token: tracking.clickToken(message: sent.id, url: "https://shop.example/"), url: "https://shop.example/", context: context)
            == "https://shop.example/")
        await #expect(throws: PatronError.self) {
            try await tracking.click(token: tracking.clickToken(message: sent.id, url: "https://shop.example/"), url: "https://evil.example/", context: context)
        }

        // Ann withdraws her e-mail consent an hour after the message: attributed to it (the last e-mail before).
        _ = try await fixture.store.updateMember(ann.id, profile: ProfileUpdate(consents: ["email": false]), addIdentities: [], key: nil)

        // An order two days later is attributed to the welcome; one ten days later is not (7-day window).
        for (index, days) in [2, 10].enumerated() {
            clock.advance(days: days - (index == 0 ? 0 : 2))
            let order = Order(id: "o-\(index)", member: try .customer("ann"), lines: [OrderLine(id: "1", sku: "S", quantity: 1, unitPrice: 12_000)])
            _ = try await fixture.store.apply([.placed(order, at: clock.now())], options: ApplyOptions())[0].get()
        }
        let stats = try await MessageStatsService(context: context).stats()
        let welcome = try #require(stats.rows.first { $0.kind == .welcome })
        #expect(welcome.messages == 1 && welcome.sent == 1 && welcome.opened == 1 && welcome.clicked == 1)
        #expect(welcome.orders == 1 && welcome.revenue == 12_000 && welcome.unsubscribed == 1)
        #expect(try await MessageStatsService(context: context).stats(windowDays: 11).total.orders == 2)
        await #expect(throws: PatronError.self) { try await MessageStatsService(context: context).stats(windowDays: 0) }
        await #expect(throws: PatronError.self) { try await MessageStatsService(context: context).stats(since: LocalDate(iso: "2030-01-01")) }

        let counted = try await fixture.store.messageActivity(since: ServicesFixture.now, until: clock.now())
        #expect(counted.messages.map(\.id) == [sent.id] && counted.orders.count == 2)
        #expect(ann.id == sent.memberId)
        #expect(try await fixture.store.recordMessageOpen(id: 999_999, at: clock.now()) == false)
    }
}
