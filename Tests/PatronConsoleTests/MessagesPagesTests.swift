import Foundation
import HTTPTypes
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The staff Messages pages over HTTP: the queue and its filters, the counts, one message, requeueing a dead message
/// (confirmed, audited), the templates and a preview, the member page's section, and who may do what. On SQLite, and
/// on PostgreSQL with `PATRON_TEST_BACKEND=postgres`.
@Suite struct MessagesPagesTests {
    /// What each role gets from each Messages route (the registry-wide test checks 403 against the permissions; this
    /// table says the intent in one place).
    static let matrix: [(method: HTTPRequest.Method, path: String, allowed: Set<StaffRole>)] = [
        (.get, "/console/messages", [.owner, .marketer, .analyst, .readOnly]),
        (.get, "/console/messages/templates", [.owner, .marketer, .analyst, .readOnly]),
        (.get, "/console/messages/{message}", [.owner, .marketer, .analyst, .readOnly]),
        (.post, "/console/messages/{message}/requeue", [.owner, .marketer]),
        (.get, "/console/members/{member}/messages/{message}", Set(StaffRole.allCases)),
        (.get, "/console/members/{member}", Set(StaffRole.allCases)),
    ]

    @Test func eachRoleGetsWhatTheMessagesMatrixSays() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let dead = try await MessagesTestShop.message(console, member: shop.ann, channel: .email)
            for (method, template, allowed) in Self.matrix {
                let path = template.replacingOccurrences(of: "{message}", with: String(dead.id)).replacingOccurrences(of: "{member}", with: String(shop.ann))
                for role in StaffRole.allCases {
                    let browser = try await console.browser(role)
                    let answer = method == .get ? try await console.get(path, as: browser) : try await console.post(path, [("confirm", "yes")], as: browser)
                    if allowed.contains(role) {
                        // A page opens; an action is let through (done, or refused for the message's state: 303 or 409).
                        #expect(method == .get ? answer.status == 200 : [303, 409].contains(answer.status), "\(role) \(method) \(path): \(answer.status)")
                    } else {
                        #expect(answer.status == 403, "\(role) \(method) \(path): \(answer.status)")
                    }
                }
            }
            // The navigation offers Messages exactly to the roles that may open it.
            for role in StaffRole.allCases {
                let page = try await console.get("/console/members", as: try await console.browser(role))
                #expect(page.text.contains("href=\"/console/messages\"") == role.may(.viewMessages), "\(role)")
            }
        }
    }

    @Test func theQueueFiltersByStatusKindAndChannelAndCountsByKindAndStatus() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let analyst = try await console.browser(.analyst)
            let all = try await console.get("/console/messages", as: analyst)
            #expect(all.status == 200)
            #expect(Self.rows(all.text).count == 6)

            let dead = try await console.get("/console/messages?status=dead", as: analyst)
            let deadRows = Self.rows(dead.text)
            #expect(deadRows.count == 2)
            for member in [shop.ann, shop.mei] {
                let id = try await MessagesTestShop.message(console, member: member, channel: .email).id
                #expect(deadRows.contains(id))
            }
            #expect(dead.text.contains("no sender is configured for email"), "the dead message's last problem is shown")

            let inbox = try await console.get("/console/messages?channel=inbox&kind=welcome", as: analyst)
            #expect(Set(Self.rows(inbox.text)) == Set([
                try await MessagesTestShop.message(console, member: shop.ann, channel: .inbox).id,
                try await MessagesTestShop.message(console, member: shop.mei, channel: .inbox).id,
            ]))
            #expect(Self.rows(try await console.get("/console/messages?kind=birthday", as: analyst).text).isEmpty)
            #expect(Self.rows(try await console.get("/console/messages?status=bounced&channel=sms", as: analyst).text).count == 2)

            // Counts: welcome × (delivered 2, bounced 2, dead 2), 6 in all.
            let counts = try #require(Self.section(all.text, id: "counts"))
            #expect(counts.contains("Welcome"))
            #expect(counts.contains("<strong>6</strong>"))
            #expect(counts.contains(">2</td>"))

            // A filter that names nothing known is refused with the parameter and what it may be, and lists nothing.
            let bad = try await console.get("/console/messages?status=lost&channel=fax", as: analyst)
            #expect(bad.status == 400)
            #expect(bad.text.contains("status: &#39;lost&#39; is not known"))
            #expect(bad.text.contains("channel: &#39;fax&#39; is not known"))
            #expect(Self.rows(bad.text).isEmpty)
            #expect(try await console.get("/console/messages?before=x", as: analyst).status == 400)
        }
    }

    @Test func theQueuePagesBackByMessageIdKeepingItsFilters() async throws {
        try await ConsoleHarness.run { console in
            _ = try await MessagesTestShop.make(console)
            let member = try await console.store.enroll(EnrollmentRequest(identities: [try .customer("P1")]), key: nil)
            for n in 0..<(MessagesPages.pageLength + 5) {
                _ = try await console.store.queueMessage(
                    NewMessage(memberId: member.id, kind: .campaign, channel: .inbox, cause: "spring-\(n)", at: console.clock.now()))
            }
            let owner = try await console.browser(.owner)
            let first = try await console.get("/console/messages?kind=campaign", as: owner)
            let firstRows = Self.rows(first.text)
            #expect(firstRows.count == MessagesPages.pageLength)
            #expect(firstRows == firstRows.sorted(by: >), "newest first")
            let older = try #require(first.text.range(of: "/console/messages?kind=campaign&amp;before=\(firstRows.last!)"))
            #expect(!older.isEmpty)
            let second = try await console.get("/console/messages?kind=campaign&before=\(firstRows.last!)", as: owner)
            let secondRows = Self.rows(second.text)
            #expect(secondRows.count == 5)
            #expect(secondRows.allSatisfy { $0 < firstRows.last! })
        }
    }

    @Test func theResultsShowAPeriodsSentDeliveredOpenedAndAttributedOrdersPerKindInTheShopsTimeAndBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            // Ann reads her welcome in the inbox (an open); a day later she orders: attributed to it (last touch, 7 days).
            let inbox = try await MessagesTestShop.message(console, member: shop.ann, channel: .inbox)
            _ = try await MemberInbox(context: console.context).read(member: shop.ann, id: inbox.id)
            console.clock.advance(days: 1)
            let order = Order(id: "A-1", member: try .customer("A1"), lines: [OrderLine(sku: "TEA", quantity: 1, unitPrice: 12_000)])
            _ = try await console.store.apply([.placed(order, at: console.clock.now())], options: ApplyOptions())[0].get()

            let analyst = try await console.browser(.analyst)
            let page = try await console.get("/console/messages?lang=en", as: analyst)
            #expect(page.status == 200)
            let results = try #require(Self.section(page.text, id: "results"))
            // The welcome: 6 queued, 2 sent (the inbox ones, delivered), 2 bounced (SMS), 1 opened, one order of $120.00.
            let welcome = try #require(Self.row(results, className: "result-welcome"))
            let cells = Self.cells(welcome)
            #expect(cells.count == 13)
            #expect(Array(cells[0...7]) == ["Welcome", "", "", "6", "2", "2", "2", "0"], "\(cells)")
            #expect(Array(cells[8...12]) == ["1 (50.0%)", "0 (0.0%)", "0 (0.0%)", "1 (50.0%)", "$120.00"], "\(cells)")
            // The figures are the service's (`patron messages stats`), and the period is the shop's days and time.
            let stats = try await MessageStatsService(context: console.context).stats(since: LocalDate(iso: "2026-02-02"), through: LocalDate(iso: "2026-03-03"))
            #expect(stats.total.sent == 2 && stats.total.opened == 1 && stats.total.orders == 1 && stats.total.revenue == 12_000)
            #expect(page.text.contains("Messages queued from 2 Feb 2026, 00:00 to 3 Mar 2026, 05:00 (shop"))
            #expect(page.text.contains("s time, America/New_York)</strong>"))
            #expect(Self.row(results, className: "total")?.contains("<strong>$120.00</strong>") == true)

            let chinese = try await console.get("/console/messages?lang=zh-Hans", as: analyst)
            #expect(chinese.status == 200)
            for expected in ["效果", "欢迎", "已打开", "归因窗口（天）", "2026年2月2日 00:00 至 2026年3月3日 05:00 排队的消息（店铺时间，America/New_York）", "全部消息"] {
                #expect(chinese.text.contains(expected), "missing \(expected)")
            }

            // Another period: a month without messages says so; a range after today and a bad window are refused (400),
            // with the queue still shown.
            let february = try await console.get("/console/messages?lang=en&period=month&month=2026-02", as: analyst)
            #expect(february.status == 200 && february.text.contains("id=\"results-none\"") && Self.rows(february.text).count == 6)
            let future = try await console.get("/console/messages?lang=en&period=custom&from=2026-04-01&to=2026-04-30", as: analyst)
            #expect(future.status == 400 && future.text.contains("id=\"results-error\"") && future.text.contains("after today"))
            let backwards = try await console.get("/console/messages?lang=en&period=custom&from=2026-03-02&to=2026-03-01", as: analyst)
            #expect(backwards.status == 400 && backwards.text.contains("from: 2026-03-02 is after to: 2026-03-01"))
            let window = try await console.get("/console/messages?lang=en&window=0", as: analyst)
            #expect(window.status == 400 && window.text.contains("is not a whole number of days from 1 to 90"))
            #expect(Self.rows(window.text).count == 6)
            // A one-day window leaves the order (a day after the message) unattributed.
            let narrow = try await console.get("/console/messages?lang=en&window=1", as: analyst)
            let narrowResults = try #require(Self.section(narrow.text, id: "results"))
            let narrowWelcome = Self.cells(try #require(Self.row(narrowResults, className: "result-welcome")))
            #expect(narrowWelcome[11] == "0 (0.0%)" && narrowWelcome[12] == "$0.00")

            // The period rides along the queue's filters and the filters along the period.
            let both = try await console.get("/console/messages?lang=en&period=90&window=3&kind=welcome", as: analyst)
            #expect(both.text.contains("<input type=\"hidden\" name=\"period\" value=\"90\">"))
            #expect(both.text.contains("<input type=\"hidden\" name=\"window\" value=\"3\">"))
            #expect(both.text.contains("<input type=\"hidden\" name=\"kind\" value=\"welcome\">"))
        }
    }

    /// The cells of a table row, tags removed.
    static func cells(_ row: String) -> [String] {
        row.components(separatedBy: "<td").dropFirst().map { cell in
            let text = String(cell.drop { $0 != ">" }.dropFirst()).components(separatedBy: "</td>")[0]
            return text.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The table row whose class is `className`.
    static func row(_ html: String, className: String) -> String? {
        guard let start = html.range(of: "<tr class=\"\(className)\"") else { return nil }
        let rest = html[start.lowerBound...]
        return rest.range(of: "</tr>").map { String(rest[..<$0.upperBound]) }
    }

    @Test func aMessageShowsWhatItSaidWithTheHTMLInASandboxedFrame() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let inbox = try await MessagesTestShop.message(console, member: shop.mei, channel: .inbox)
            let page = try await console.get("/console/messages/\(inbox.id)", as: try await console.browser(.readOnly))
            #expect(page.status == 200)
            let subject = try #require(inbox.subject)
            #expect(page.text.contains(subject))
            #expect(page.text.contains("<iframe class=\"message-html\" id=\"rendered-html\" sandbox=\"\""))
            #expect(page.text.contains("srcdoc=\"&lt;meta http-equiv=&quot;Content-Security-Policy&quot;"))
            #expect(!page.text.contains("<h1>欢迎"), "the message's HTML is not part of the page")
            #expect(page.text.contains(inbox.key.value))
            #expect(!page.text.contains("id=\"requeue\""), "read-only staff cannot send it again, and a delivered message is not sent again")
            #expect(!page.text.contains("×)"), "not opened or clicked yet")

            // Opened three times and clicked once: the first time of each, and how often when more than once.
            for _ in 0..<3 { _ = try await console.store.recordMessageOpen(id: inbox.id, at: console.clock.now()) }
            _ = try await console.store.recordMessageClick(id: inbox.id, at: console.clock.now())
            let tracked = try await console.get("/console/messages/\(inbox.id)?lang=en", as: try await console.browser(.readOnly))
            #expect(tracked.text.components(separatedBy: "(3×)").count == 2, "the opens, counted once")
            #expect(!tracked.text.contains("(1×)"), "one click shows its time alone")
            let trackedChinese = try await console.get("/console/messages/\(inbox.id)?lang=zh-Hans", as: try await console.browser(.readOnly))
            #expect(trackedChinese.text.contains("（3 次）"))

            let dead = try await MessagesTestShop.message(console, member: shop.ann, channel: .email)
            let deadPage = try await console.get("/console/messages/\(dead.id)", as: try await console.browser(.analyst))
            #expect(deadPage.text.contains("no sender is configured for email"))
            #expect(deadPage.text.contains("id=\"not-rendered\""))
            #expect(!deadPage.text.contains("id=\"requeue\""), "an analyst views, and does not act")
            #expect(try await console.get("/console/messages/\(dead.id)", as: try await console.browser(.marketer)).text.contains("id=\"requeue\""))
            #expect(try await console.get("/console/messages/999999", as: try await console.browser(.owner)).status == 404)
            #expect(try await console.get("/console/messages/abc", as: try await console.browser(.owner)).status == 404)
        }
    }

    @Test func requeueingADeadMessageNeedsTheConfirmationAndIsAuditedWithTheStaffAccount() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let dead = try await MessagesTestShop.message(console, member: shop.ann, channel: .email)
            #expect(dead.status == .dead)
            let marketer = try await console.browser(.marketer)

            let unconfirmed = try await console.post("/console/messages/\(dead.id)/requeue", as: marketer)
            #expect(unconfirmed.status == 400)
            #expect(unconfirmed.text.contains("id=\"requeue-refused\""))
            #expect(try await console.store.message(id: dead.id)?.status == .dead)

            let noToken = try await console.post("/console/messages/\(dead.id)/requeue", [("confirm", "yes")], as: marketer, csrf: .some(nil))
            #expect(noToken.status == 403)
            #expect(try await console.store.message(id: dead.id)?.status == .dead)

            let done = try await console.post("/console/messages/\(dead.id)/requeue", [("confirm", "yes")], as: marketer)
            #expect(done.status == 303)
            #expect(done.location == "/console/messages/\(dead.id)")
            let after = try #require(try await console.store.message(id: dead.id))
            #expect(after.status == .queued && after.attempts == 0)
            let audit = try await console.store.auditLog(after: 0, limit: 50, subject: "message:\(dead.id)")
            #expect(audit.map(\.action) == ["message.requeue"])
            #expect(audit.first?.actor == "staff:marketer")
            #expect(audit.first?.before == "\"dead\"" || audit.first?.before == "dead")

            // A queued (or delivered) message is not sent again: refused with the reason, nothing changes.
            let again = try await console.post("/console/messages/\(dead.id)/requeue", [("confirm", "yes")], as: marketer)
            #expect(again.status == 409)
            #expect(again.text.contains("only dead, failed or bounced messages are sent again"))
            #expect(try await console.store.auditLog(after: 0, limit: 50, subject: "message:\(dead.id)").count == 1)

            // A bounced SMS: requeued, and its number is no longer suppressed.
            let bounced = try await MessagesTestShop.message(console, member: shop.mei, channel: .sms)
            #expect(bounced.status == .bounced)
            #expect(try await console.store.isSuppressed(channel: .sms, address: "+8613800000002"))
            #expect(try await console.post("/console/messages/\(bounced.id)/requeue", [("confirm", "yes")], as: try await console.browser(.owner)).status == 303)
            #expect(try await console.store.isSuppressed(channel: .sms, address: "+8613800000002") == false)
        }
    }

    @Test func theMemberPageListsTheMembersMessagesForAServiceAgent() async throws {
        try await ConsoleHarness.run { console in
            let shop = try await MessagesTestShop.make(console)
            let service = try await console.browser(.service)
            let page = try await console.get("/console/members/\(shop.mei)", as: service)
            #expect(page.status == 200)
            let section = try #require(Self.section(page.text, id: "member-messages"))
            let mine = try await console.store.messages(member: shop.mei, before: nil, limit: 10)
            #expect(mine.count == 3)
            for message in mine { #expect(section.contains("href=\"/console/members/\(shop.mei)/messages/\(message.id)\"")) }
            let annInbox = try await MessagesTestShop.message(console, member: shop.ann, channel: .inbox)
            #expect(!section.contains("/messages/\(annInbox.id)\""), "another member's message is not listed")

            let inbox = try #require(mine.first { $0.channel == .inbox })
            let opened = try await console.get("/console/members/\(shop.mei)/messages/\(inbox.id)", as: service)
            #expect(opened.status == 200)
            #expect(opened.text.contains(inbox.subject!))
            #expect(!opened.text.contains("id=\"requeue\""))
            // Another member's message under this member's path is not found.
            #expect(try await console.get("/console/members/\(shop.mei)/messages/\(annInbox.id)", as: service).status == 404)
            #expect(try await console.get("/console/messages/\(inbox.id)", as: service).status == 403)
        }
    }

    @Test func theTemplatesPageListsKindsByLocaleAndPreviewsForAMemberInALocale() async throws {
        try await ConsoleHarness.run(configure: { $0.messageTemplates = try? MessagesTestShop.templates() }) { console in
            let shop = try await MessagesTestShop.make(console)
            let analyst = try await console.browser(.analyst)
            let page = try await console.get("/console/messages/templates", as: analyst)
            #expect(page.status == 200)
            let table = try #require(Self.section(page.text, id: "templates"))
            #expect(table.contains("<th>en</th>") && table.contains("<th>zh-Hans</th>"))
            let welcome = try #require(Self.row(table, id: "kind-welcome"))
            #expect(welcome.contains("E-mail, Inbox, SMS"))
            #expect(welcome.components(separatedBy: "✓").count - 1 == 2)
            // Every kind's row marks exactly the locales that have its templates.
            let templates = try MessagesTestShop.templates()
            for kind in MessageKind.allCases {
                let row = try #require(Self.row(table, id: "kind-\(kind.rawValue)"))
                let expected = templates.locales.filter { templates.kinds(locale: $0).contains(kind) }.count
                #expect(row.components(separatedBy: "✓").count - 1 == expected, "\(kind)")
            }

            let english = try await console.get("/console/messages/templates?kind=welcome&member=customer%3AM1&locale=en", as: analyst)
            #expect(english.status == 200)
            #expect(english.text.contains("id=\"rendered-subject\">Welcome to"))
            #expect(english.text.contains("林美"))
            let chinese = try await console.get("/console/messages/templates?kind=welcome&member=\(shop.mei)&locale=", as: analyst)
            #expect(chinese.status == 200)
            #expect(chinese.text.contains("id=\"rendered-subject\">林美，欢迎加入"), "the member's own locale")
            let before = try await console.store.messages(matching: MessageFilter(), limit: 100).count
            #expect(before == 6, "a preview writes nothing")

            let unknown = try await console.get("/console/messages/templates?kind=welcome&member=customer%3ANOBODY", as: analyst)
            #expect(unknown.status == 400)
            #expect(unknown.text.contains("<strong>member</strong>"))
            #expect(unknown.text.contains("customer:NOBODY"))
            let badKind = try await console.get("/console/messages/templates?kind=teatime&member=1&locale=fr", as: analyst)
            #expect(badKind.status == 400)
            #expect(badKind.text.contains("<strong>kind</strong>") && badKind.text.contains("<strong>locale</strong>"))
            #expect(!badKind.text.contains("id=\"rendered\""))
        }
    }

    @Test func theProgrammesTriggersAreShownWhenItHasAMessagesSection() async throws {
        try await ConsoleHarness.run(configure: { $0.messageTemplates = try? MessagesTestShop.templates() }) { console in
            let text = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + """

                messages:
                  quietHours: { from: "21:00", to: "08:00" }
                  frequencyCap: { marketingPerWeek: 2 }
                  triggers:
                    - { id: welcome, on: enrolled, channels: [inbox, email] }
                    - { id: expiring, on: pointsExpiring, withinDays: 14, delay: 2h, channels: [email, inbox] }
                    - { id: winback, on: inactive, days: [30, 60, 90], channels: [email, sms, inbox], stopWhen: [ordered] }

                """
            _ = try await console.store.loadProgram(try ProgramFile.parse(text), source: text)
            let page = try await console.get("/console/messages/templates", as: try await console.browser(.readOnly))
            #expect(page.status == 200)
            let journeys = try #require(Self.section(page.text, id: "journeys"))
            #expect(journeys.contains("<code>winback</code>"))
            #expect(journeys.contains("inactive (30 / 60 / 90 days)"))
            #expect(journeys.contains("E-mail → SMS → Inbox"))
            #expect(journeys.contains("the member orders"))
            #expect(journeys.contains("pointsExpiring (within 14 days)") && journeys.contains("after 2 h"))
            #expect(page.text.contains("Quiet hours 21:00–08:00"))
            #expect(page.text.contains("At most 2 marketing messages"))
            // The kinds table reads its "sent on" from the programme, not the trigger table.
            let welcome = try #require(Self.row(page.text, id: "kind-welcome"))
            #expect(welcome.contains("Inbox, E-mail"))
            #expect(page.text.contains("the trigger table is not read"))
        }
    }

    @Test func withoutTemplatesThePageSaysSoAndOffersNoPreview() async throws {
        try await ConsoleHarness.run { console in
            _ = try await MessagesTestShop.make(console)
            let page = try await console.get("/console/messages/templates?lang=zh-Hans", as: try await console.browser(.owner))
            #expect(page.status == 200)
            #expect(page.text.contains("id=\"no-templates\""))
            #expect(page.text.contains("PATRON_MESSAGE_TEMPLATES"))
            #expect(!page.text.contains("id=\"preview-form\""))
            #expect(!page.text.contains("messages."), "a string key shows")
        }
    }

    @Test(arguments: ["/console/messages", "/console/messages/templates", "/console/messages/{dead}", "/console/members/{ann}"])
    func everyMessagesPageRendersInChineseWithoutMissingStrings(path: String) async throws {
        try await ConsoleHarness.run(configure: { $0.messageTemplates = try? MessagesTestShop.templates() }) { console in
            let shop = try await MessagesTestShop.make(console)
            let dead = try await MessagesTestShop.message(console, member: shop.ann, channel: .email)
            let concrete = path.replacingOccurrences(of: "{dead}", with: String(dead.id)).replacingOccurrences(of: "{ann}", with: String(shop.ann))
            let page = try await console.get(concrete + "?lang=zh-Hans", as: try await console.browser(.owner))
            #expect(page.status == 200)
            #expect(page.text.contains("lang=\"zh-Hans\""))
            #expect(!page.text.contains(">messages.") && !page.text.contains("\"messages."), "a string key shows on \(path)")
            #expect(page.text.contains("消息"))
        }
    }

    // MARK: Reading the pages

    /// The message ids of the queue table's rows, in order.
    static func rows(_ html: String) -> [Int64] {
        guard let table = section(html, id: "queue") else { return [] }
        return table.components(separatedBy: "<tr id=\"message-").dropFirst().compactMap { Int64($0.prefix { $0.isNumber }) }
    }

    /// The element with `id` up to its table's or section's end (enough to look inside).
    static func section(_ html: String, id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.lowerBound...]
        let end = rest.range(of: "</table>") ?? rest.range(of: "</section>")
        return String(rest[..<(end?.upperBound ?? rest.endIndex)])
    }

    /// The table row with `id`.
    static func row(_ html: String, id: String) -> String? {
        guard let start = html.range(of: "<tr id=\"\(id)\"") else { return nil }
        let rest = html[start.lowerBound...]
        return rest.range(of: "</tr>").map { String(rest[..<$0.upperBound]) }
    }
}
