import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// Markup in what a message says — a member's name rendered into subject and text, a cause's facts, a template's own
/// `<script>` — is shown as text on every Messages page (staff and member zone), and a message's HTML only ever goes
/// into a sandboxed frame's `srcdoc`, escaped.
@Suite struct MessagesEscapingTests {
    static let script = EscapingTests.script
    static let attribute = EscapingTests.attribute

    /// Templates whose HTML carries a script of its own and whose subject and text print the member's name and the
    /// campaign's name raw.
    static func hostileTemplates() throws -> MessageTemplates {
        let files = [
            "welcome.subject.mustache": "Hello {{member.name}}",
            "welcome.text.mustache": "Dear {{member.name}}, <script>alert('text')</script>",
            "welcome.html.mustache": "<p>{{member.name}}</p><script>alert('template')</script><img src=x onerror=alert('img')>",
            "campaign.subject.mustache": "{{campaign.name}}",
            "campaign.text.mustache": "{{campaign.name}}",
            "campaign.html.mustache": "<p>{{campaign.name}}</p>",
        ]
        return try MessageTemplates(files: ["en": files], defaultLocale: "en")
    }

    @Test func markupInMessagesIsTextOnEveryMessagesPage() async throws {
        try await ConsoleHarness.run(configure: { $0.messageTemplates = try? Self.hostileTemplates() }) { console in
            _ = try await MessageAdmin(context: console.context).setTrigger(kind: .welcome, channels: [.inbox, .email], actor: "test")
            let member = try await console.store.enroll(
                EnrollmentRequest(
                    identities: [try .customer("X1"), try Identity(kind: "email", value: "x@example.com")],
                    profile: Profile(name: Self.script + Self.attribute, consents: ["inbox": true])), key: nil)
            _ = try await console.store.queueMessage(
                NewMessage(
                    memberId: member.id, kind: .campaign, channel: .inbox, cause: "xss",
                    facts: "{\"campaign\": \"\(Self.script)\", \"note\": \"\\\"><img src=x onerror=alert('xss')>\"}",
                    at: console.clock.now()))
            _ = try await MessageDeliverer(
                context: console.context, templates: try Self.hostileTemplates(), senders: [.inbox: InboxSender()], unsubscribe: nil,
                configuration: MessageDeliveryConfiguration(maxAttempts: 1, ratePerSecond: [:])
            ).deliverAll()
            let messages = try await console.store.messages(member: member.id, before: nil, limit: 10)
            #expect(messages.count == 3)
            let inbox = messages.filter { $0.channel == .inbox && $0.status == .delivered }
            #expect(inbox.count == 2)
            #expect(inbox.contains { $0.html?.contains("<script>alert('template')</script>") == true }, "the stored HTML keeps the template's script")

            let owner = try await console.browser(.owner)
            var staffPaths = ["/console/messages", "/console/members/\(member.id)", "/console/messages/templates?kind=welcome&member=\(member.id)"]
            staffPaths += messages.map { "/console/messages/\($0.id)" }
            staffPaths += messages.map { "/console/members/\(member.id)/messages/\($0.id)" }
            for path in staffPaths {
                for language in ["en", "zh-Hans"] {
                    let page = try await console.get(path + (path.contains("?") ? "&" : "?") + "lang=\(language)", as: owner)
                    #expect(page.status == 200, "\(path)")
                    EscapingTests.assertEscaped(page.text, "\(path) (\(language))")
                    #expect(!page.text.contains("<script>alert('template')"), "\(path)")
                    #expect(!page.text.contains("<script>alert('text')"), "\(path)")
                }
            }
            let welcome = try #require(inbox.first { $0.kind == .welcome })
            let detail = try await console.get("/console/messages/\(welcome.id)", as: owner)
            // The HTML is in the frame's srcdoc (escaped, after the no-image policy) and in the source view, escaped.
            #expect(detail.text.contains("sandbox=\"\""))
            #expect(detail.text.contains("&lt;script&gt;alert(&#39;template&#39;)&lt;/script&gt;"))
            #expect(detail.text.contains("&lt;p&gt;&amp;lt;script&amp;gt;alert"), "the name, escaped by the template, then by the page")

            let zone = console.memberBrowser(member.id)
            for path in ["/member/inbox", "/member/"] + inbox.map({ "/member/inbox/\($0.id)" }) {
                for language in ["en", "zh-Hans"] {
                    let page = try await console.get(path + "?lang=\(language)", as: zone)
                    #expect(page.status == 200, "\(path)")
                    EscapingTests.assertEscaped(page.text, "\(path) (\(language))")
                    #expect(!page.text.contains("<script>alert('text')"), "\(path)")
                }
            }
        }
    }
}
