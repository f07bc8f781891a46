import Foundation
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The member zone's inbox: newest first with unread ones marked and counted in the navigation, opening one reads it
/// (through `MemberInbox.read`, as the API's read does), and a member only ever finds their own inbox messages.
@Suite struct MemberInboxTests {
    /// Three inbox messages for Ann, oldest first, delivered; one for Mei.
    static func inbox(_ console: ConsoleHarness) async throws -> (shop: MessagesTestShop, ann: [Message]) {
        let shop = try await MessagesTestShop.make(console)
        for (n, campaign) in ["spring", "summer"].enumerated() {
            console.clock.advance(seconds: 3_600 * Double(n + 1))
            _ = try await console.store.queueMessage(
                NewMessage(memberId: shop.ann, kind: .campaign, channel: .inbox, cause: campaign, facts: "{\"campaign\":\"\(campaign)\"}", at: console.clock.now()))
        }
        // Campaign messages are marketing: Ann agrees to them in her inbox.
        _ = try await console.store.updateMember(shop.ann, profile: ProfileUpdate(consents: ["inbox": true]), addIdentities: [], key: nil)
        try await MessagesTestShop.deliver(console)
        let ann = try await console.store.memberMessages(member: shop.ann, channel: .inbox, before: nil, limit: 10).reversed()
        return (shop, Array(ann))
    }

    @Test func theInboxListsNewestFirstMarksUnreadAndOpeningOneReadsItAndLowersTheCount() async throws {
        try await ConsoleHarness.run { console in
            let (shop, messages) = try await Self.inbox(console)
            #expect(messages.count == 3)
            let browser = console.memberBrowser(shop.ann)
            let list = try await console.get("/member/inbox", as: browser)
            #expect(list.status == 200)
            let links = list.text.components(separatedBy: "href=\"/member/inbox/").dropFirst().compactMap { Int64($0.prefix { $0.isNumber }) }
            #expect(links == messages.map(\.id).reversed(), "newest first")
            #expect(list.text.components(separatedBy: "<li class=\"unread\">").count - 1 == 3)
            #expect(list.text.contains("id=\"unread-count\" aria-label=\"3 unread\">3</span>"))

            // Every member page carries the count.
            let home = try await console.get("/member/", as: browser)
            #expect(home.text.contains("id=\"unread-count\" aria-label=\"3 unread\">3</span>"))

            let oldest = messages[0]
            let opened = try await console.get("/member/inbox/\(oldest.id)", as: browser)
            #expect(opened.status == 200)
            #expect(opened.text.contains(oldest.subject!))
            #expect(opened.text.contains(">2</span>"), "the count already drops on the message's own page")
            let read = try #require(try await console.store.message(id: oldest.id)?.readAt)
            #expect(read == console.clock.now())

            // Opening it again keeps the first reading.
            console.clock.advance(seconds: 60)
            _ = try await console.get("/member/inbox/\(oldest.id)", as: browser)
            #expect(try await console.store.message(id: oldest.id)?.readAt == read)

            let after = try await console.get("/member/inbox", as: browser)
            #expect(after.text.components(separatedBy: "<li class=\"unread\">").count - 1 == 2)
            #expect(after.text.contains("aria-label=\"2 unread\">2</span>"))
            #expect(try await MemberInbox(context: console.context).unreadCount(member: shop.ann) == 2)
        }
    }

    @Test func aMemberOpensOnlyTheirOwnInboxMessages() async throws {
        try await ConsoleHarness.run { console in
            let (shop, _) = try await Self.inbox(console)
            let mei = try await MessagesTestShop.message(console, member: shop.mei, channel: .inbox)
            let annEmail = try await MessagesTestShop.message(console, member: shop.ann, channel: .email)
            let browser = console.memberBrowser(shop.ann)
            for id in [mei.id, annEmail.id, 999_999] {
                let answer = try await console.get("/member/inbox/\(id)", as: browser)
                #expect(answer.status == 404, "\(id)")
                #expect(!answer.text.contains("林美"))
            }
            #expect(try await console.store.message(id: mei.id)?.readAt == nil, "another member's message is not marked read")
            #expect(try await console.get("/member/inbox/abc", as: browser).status == 404)
            // Other members named in the query change nothing: Ann's inbox, Ann's count.
            let list = try await console.get("/member/inbox?member=\(shop.mei)&id=\(shop.mei)&identity=customer%3AM1", as: browser)
            #expect(list.status == 200)
            #expect(!list.text.contains("href=\"/member/inbox/\(mei.id)\""))
            #expect(list.text.contains("aria-label=\"3 unread\""))
        }
    }

    @Test func anInboxPageAfterTheLastAndAnEmptyInboxSaySo() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let bob = try await console.store.enroll(EnrollmentRequest(identities: [try .customer("B2")]), key: nil)
            let empty = try await console.get("/member/inbox?lang=zh-Hans", as: console.memberBrowser(bob.id))
            #expect(empty.status == 200)
            #expect(empty.text.contains("还没有消息"))
            #expect(!empty.text.contains("id=\"unread-count\""))
            let first = try await MessagesTestShop.message(console, member: shop.ann, channel: .inbox)
            let past = try await console.get("/member/inbox?before=\(first.id)", as: console.memberBrowser(shop.ann))
            #expect(!past.text.contains("href=\"/member/inbox/"))
            #expect(past.text.contains("href=\"/member/inbox\">"), "a way back to the newest")
        }
    }

    @Test(arguments: ["/member/inbox", "/member/inbox/{id}"])
    func theInboxRendersInChineseWithoutMissingStrings(path: String) async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let mine = try await MessagesTestShop.message(console, member: shop.mei, channel: .inbox)
            let page = try await console.get(path.replacingOccurrences(of: "{id}", with: String(mine.id)) + "?lang=zh-Hans", as: console.memberBrowser(shop.mei))
            #expect(page.status == 200)
            #expect(page.text.contains("站内信"))
            #expect(page.text.contains("林美"), "the Chinese template, in the member's locale")
            #expect(!page.text.contains("messages.") && !page.text.contains("member."), "a string key shows on \(path)")
        }
    }

    @Test func theAPIsReadAndTheZonesReadAreOneUseCase() async throws {
        try await ConsoleHarness.run { console in
            let (shop, messages) = try await Self.inbox(console)
            let inbox = MemberInbox(context: console.context)
            // What the API's POST …/read does, for the newest message; the zone then shows it read.
            let read = try await inbox.read(member: shop.ann, id: messages[2].id)
            #expect(read.readAt == console.clock.now())
            let list = try await console.get("/member/inbox", as: console.memberBrowser(shop.ann))
            #expect(list.text.components(separatedBy: "<li class=\"unread\">").count - 1 == 2)
            await #expect(throws: PatronError.self) { _ = try await inbox.read(member: shop.mei, id: messages[0].id) }
            #expect(try await inbox.page(member: shop.ann).unread == 2)
        }
    }

    @Test func readingAnInboxMessageCountsAsItsOpenExactlyOnceWhereverAndHoweverOftenItIsRead() async throws {
        try await ConsoleHarness.run { console in
            let (shop, messages) = try await Self.inbox(console)
            let inbox = MemberInbox(context: console.context)
            let stats = MessageStatsService(context: console.context)
            #expect(try await stats.stats().total.opened == 0, "delivered is not opened")

            // The member zone's page reads the oldest; reading it again there, through the API's use case, and twice at
            // once adds nothing: one open, at the first reading.
            let first = console.clock.now()
            _ = try await console.get("/member/inbox/\(messages[0].id)", as: console.memberBrowser(shop.ann))
            console.clock.advance(seconds: 60)
            _ = try await console.get("/member/inbox/\(messages[0].id)", as: console.memberBrowser(shop.ann))
            _ = try await inbox.read(member: shop.ann, id: messages[0].id)
            async let a = inbox.read(member: shop.ann, id: messages[0].id)
            async let b = inbox.read(member: shop.ann, id: messages[0].id)
            _ = try await (a, b)
            let oldest = try #require(try await console.store.message(id: messages[0].id))
            #expect(oldest.openCount == 1 && oldest.openedAt == first && oldest.readAt == first)

            // Two messages read at once through the API: each counted once.
            async let c = inbox.read(member: shop.ann, id: messages[1].id)
            async let d = inbox.read(member: shop.ann, id: messages[2].id)
            _ = try await (c, d)
            for message in messages[1...] { #expect(try await console.store.message(id: message.id)?.openCount == 1) }

            let counted = try await stats.stats()
            #expect(counted.total.opened == 3)
            let welcome = try #require(counted.rows.first { $0.kind == .welcome })
            let campaigns = try #require(counted.rows.first { $0.kind == .campaign })
            #expect(welcome.opened == 1 && campaigns.opened == 2 && campaigns.openRate == 1)
            // Mei's welcome in her inbox is unread: delivered, not opened.
            #expect(welcome.delivered == 2)
        }
    }

    @Test func theMemberChoosesTheLanguageOfTheirMessagesOnThePreferencesPage() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let browser = console.memberBrowser(shop.ann)
            let before = try await console.get("/member/preferences", as: browser)
            #expect(before.text.contains("<option value=\"\" selected disabled>"), "no language chosen yet")
            #expect(before.text.contains("id=\"language\""))

            let refused = try await console.post("/member/preferences/language", [("locale", "fr")], as: browser)
            #expect(refused.status == 400)
            #expect(refused.text.contains("locale: &#39;fr&#39; is not one of en, zh-Hans"))
            #expect(try await console.store.member(id: shop.ann)?.profile.locale == nil)

            let saved = try await console.post("/member/preferences/language", [("locale", "zh-Hans"), ("member", String(shop.mei))], as: browser)
            #expect(saved.status == 303)
            #expect(try await console.store.member(id: shop.ann)?.profile.locale == "zh-Hans")
            #expect(try await console.store.member(id: shop.mei)?.profile.locale == nil, "only the signed-in member changes")
            let after = try await console.get("/member/preferences", as: browser)
            #expect(after.text.contains("<option value=\"zh-Hans\" lang=\"zh-Hans\" selected>"))
            let audit = try await console.store.auditLog(after: 0, limit: 50, subject: "member:\(shop.ann)").filter { $0.action == "member.locale" }
            #expect(audit.map(\.actor) == ["member:\(shop.ann)"])

            // Her next message is written in Chinese.
            let preview = try await MessagePreview.render(
                kind: .welcome, member: shop.ann, locale: nil, facts: "{}", templates: try MessagesTestShop.templates(), unsubscribe: nil, context: console.context)
            #expect(preview.locale == "zh-Hans")
        }
    }
}
