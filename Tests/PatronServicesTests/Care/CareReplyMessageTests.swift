import Foundation
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// A note to the member goes out through the message channels: `careReply` is queued in the note's own transaction on
/// each channel its trigger names, an internal note queues nothing, and the templates render the reply, the ticket's
/// subject and number in English and Chinese — on SQLite, or PostgreSQL when asked.
@Suite(.serialized) struct CareReplyMessageTests {
    let clock = ManualClock(ServicesFixture.now)
    let fixture: ServicesFixture
    let context: ServiceContext
    let templates: MessageTemplates

    init() async throws {
        fixture = try await ServicesFixture()
        context = ServiceContext(store: fixture.store, clock: clock)
        templates = try MessageTemplates(folder: MessageTemplatesTests.examples, defaultLocale: "en")
    }

    func enroll(_ customer: String, name: String, tags: [String] = []) async throws -> Member {
        try await fixture.store.enroll(
            EnrollmentRequest(
                identities: [try .customer(customer), try Identity(kind: "email", value: "\(customer)@example.com")],
                profile: Profile(name: name, tags: tags)), key: "enroll-\(customer)")
    }

    func ticket(for member: Member) async throws -> Ticket {
        try await TicketService(context: context).open(
            memberId: member.id, category: .delivery, source: .member, subject: "Parcel <late>", body: "Ordered a week ago", actor: "member:\(member.id)")
    }

    @Test func aNoteToTheMemberQueuesOneCareReplyPerChannelAndAnInternalNoteNone() async throws {
        try await MessageAdmin(context: context).setTrigger(kind: .careReply, channels: [.email, .inbox], actor: "ops@shop")
        let ann = try await enroll("ann", name: "Ann")
        let ticket = try await ticket(for: ann)
        let tickets = TicketService(context: context)

        _ = try await tickets.note(ticket: ticket.id, text: "checked with the courier", visibility: .internal, actor: "staff:ana")
        #expect(try await fixture.store.messages(status: nil, limit: 50).isEmpty, "an internal note sends nothing")

        _ = try await tickets.note(ticket: ticket.id, text: "Your parcel arrives on Monday.", visibility: .toMember, actor: "staff:ana")
        let queued = try await fixture.store.messages(status: .queued, limit: 50)
        #expect(queued.map(\.channel).sorted() == [.email, .inbox])
        #expect(queued.allSatisfy { $0.kind == .careReply && $0.purpose == .transactional && $0.memberId == ann.id })
        #expect(queued.allSatisfy { $0.facts.contains("\"ticket_id\":\(ticket.id)") && $0.facts.contains("Your parcel arrives on Monday.") })

        _ = try await tickets.note(ticket: ticket.id, text: "It left the depot.", visibility: .toMember, actor: "staff:ana")
        #expect(try await fixture.store.messages(status: .queued, limit: 50).count == 4, "each note to the member is its own message")

        let deliverer = MessageDeliverer(
            context: context, templates: templates, senders: [.inbox: InboxSender()],
            unsubscribe: nil, configuration: MessageDeliveryConfiguration(maxAttempts: 6, ratePerSecond: [:]))
        _ = try await deliverer.deliverAll()
        let inbox = try await fixture.store.memberMessages(member: ann.id, channel: .inbox, before: nil, limit: 10)
        #expect(inbox.count == 2)
        let first = try #require(inbox.last)
        #expect(first.subject == "Re: Parcel <late> (ticket \(ticket.id))")
        #expect(first.text?.contains("Your parcel arrives on Monday.") == true)
        #expect(first.html?.contains("Parcel &lt;late&gt;") == true, "the HTML escapes the subject")
    }

    @Test func withoutATriggerANoteToTheMemberQueuesNoMessage() async throws {
        let ann = try await enroll("ann", name: "Ann")
        let ticket = try await ticket(for: ann)
        _ = try await TicketService(context: context).note(ticket: ticket.id, text: "Hello", visibility: .toMember, actor: "staff:ana")
        #expect(try await fixture.store.messages(status: nil, limit: 50).isEmpty)
    }

    @Test func aProgramsMessagesSectionSendsCareRepliesByItsOwnTrigger() async throws {
        // With a `messages:` section the trigger table is not read (and `patron messages trigger` is refused): care
        // replies go out by an `on: careReply` trigger of the section, in the note's transaction.
        let text = ServicesFixture.program + """

            messages:
              triggers:
                - { id: care-reply, on: careReply, channels: [inbox, email] }
            """
        _ = try await fixture.store.loadProgram(try ProgramFile.parse(text), source: text)
        let ann = try await enroll("ann", name: "Ann")
        let ticket = try await ticket(for: ann)
        let tickets = TicketService(context: context)
        _ = try await tickets.note(ticket: ticket.id, text: "checked with the courier", visibility: .internal, actor: "staff:ana")
        #expect(try await fixture.store.messages(status: nil, limit: 50).filter { $0.kind == .careReply }.isEmpty)
        _ = try await tickets.note(ticket: ticket.id, text: "Your parcel arrives on Monday.", visibility: .toMember, actor: "staff:ana")
        let replies = try await fixture.store.messages(status: nil, limit: 50).filter { $0.kind == .careReply }
        #expect(replies.map(\.channel) == [.inbox], "the first channel the member can be reached on; e-mail is its fallback")
        #expect(replies.allSatisfy { $0.memberId == ann.id && $0.facts.contains("Your parcel arrives on Monday.") })
    }

    static let expected = ["en": ("Re: Parcel <late> (ticket 1)", "Hello Mei,"), "zh-Hans": ("回复：Parcel <late>（工单 1）", "Mei，您好：")]

    @Test(arguments: ["en", "zh-Hans"])
    func thePreviewRendersTheReplyInBothLanguages(locale: String) async throws {
        let (subject, greeting) = try #require(Self.expected[locale])
        let mei = try await enroll("mei", name: "Mei")
        let ticket = try await ticket(for: mei)
        #expect(ticket.id == 1)
        let facts = #"{"member_id": \#(mei.id), "ticket_id": 1, "note_id": 2, "subject": "Parcel <late>", "text": "We are sorry: it arrives Monday."}"#
        let (chosen, rendered) = try await MessagePreview.render(
            kind: .careReply, member: mei.id, locale: locale, facts: facts, templates: templates, unsubscribe: nil, context: context)
        #expect(chosen == locale)
        #expect(rendered.subject == subject)
        #expect(rendered.text.hasPrefix(greeting))
        #expect(rendered.text.contains("We are sorry: it arrives Monday."))
        #expect(rendered.html.contains("We are sorry: it arrives Monday."))
        #expect(!rendered.html.contains("<late>"))
    }
}
