import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

extension MessageKind: ExpressibleByArgument {}
extension MessageChannel: ExpressibleByArgument {}
extension MessageStatus: ExpressibleByArgument {}

/// `patron messages …`: templates, triggers, the queue and its delivery (see docs/messages.md).
struct MessagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "Messages to members: templates, triggers, the queue and delivery (see docs/messages.md).",
        subcommands: [Check.self, Preview.self, Trigger.self, Triggers.self, List.self, Deliver.self, Requeue.self, Unsubscribe.self, Stats.self])

    /// The templates folder and the shop's locale.
    struct TemplateOptions: ParsableArguments {
        @Option(help: "The templates folder, LOCALE/KIND.PART.mustache (default: PATRON_MESSAGE_TEMPLATES, else templates/messages).")
        var templates: String?
        @Option(help: "The shop's locale (default: PATRON_MESSAGE_LOCALE, else en).") var shopLocale: String?

        func configuration() throws -> MessagingConfiguration {
            var environment = ProcessInfo.processInfo.environment
            if let templates { environment["PATRON_MESSAGE_TEMPLATES"] = templates }
            if let shopLocale { environment["PATRON_MESSAGE_LOCALE"] = shopLocale }
            return try MessagingConfiguration(environment: environment)
        }

        func load() throws -> (MessagingConfiguration, MessageTemplates) {
            let configuration = try configuration()
            return (configuration, try MessageTemplates(folder: configuration.templates, defaultLocale: configuration.defaultLocale))
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load every template and report the first problem with its file and line.")
        @OptionGroup var options: TemplateOptions

        func run() async throws {
            try await reportingErrors {
                let (_, templates) = try options.load()
                for locale in templates.locales {
                    print("\(locale): \(templates.kinds(locale: locale).map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render a message kind for a member, writing nothing.")
        @Argument(help: "The kind: \(MessageKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: MessageKind
        @Option(help: "The member: an id or KIND:VALUE (customer:C1).") var member: String
        @Option(help: "The locale (default: the member's, else the shop's).") var locale: String?
        @Option(help: "The cause's facts as a JSON object (e.g. {\"from\":\"Silver\",\"to\":\"Gold\"}).") var facts = "{}"
        @Option(help: "Which part to print: all, subject, text or html.") var part = "all"
        @OptionGroup var options: TemplateOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let (configuration, templates) = try options.load()
                let opened = try await store.open()
                let id = try await opened.member(reference: member).id
                let context = ServiceContext(store: opened, clock: try store.clock())
                let (chosen, rendered) = try await MessagePreview.render(
                    kind: kind, member: id, locale: locale, facts: facts, templates: templates, unsubscribe: try configuration.unsubscribeLink(),
                    context: context)
                switch part {
                case "subject": print(rendered.subject)
                case "text": print(rendered.text, terminator: rendered.text.hasSuffix("\n") ? "" : "\n")
                case "html": print(rendered.html, terminator: rendered.html.hasSuffix("\n") ? "" : "\n")
                case "all":
                    print("locale: \(chosen)\nsubject: \(rendered.subject)\n\n--- text ---\n\(rendered.text)\n--- html ---\n\(rendered.html)")
                default: throw PatronError(.invalidInput, "--part: '\(part)'; one of all, subject, text, html")
                }
            }
        }
    }

    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Choose the channels a kind goes out on when its cause happens (none: stop sending it). Audited.",
            discussion: "Changes queue welcome (enrolment), levelChanged and rewardRedeemed in their own transaction.")
        @Argument(help: "The kind.") var kind: MessageKind
        @Option(name: .customLong("channel"), help: "A channel (repeat): email, sms, push, inbox.") var channels: [MessageChannel] = []
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = ServiceContext(store: try await store.open(), clock: try store.clock())
                let after = try await MessageAdmin(context: context).setTrigger(kind: kind, channels: Set(channels), actor: try actor.resolve())
                print("\(kind.rawValue): \(after.isEmpty ? "not sent" : after.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    struct Triggers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the kinds that go out and their channels.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                if let plan = try await opened.currentProgram()?.program.messages {
                    // The program's messages: section decides; the trigger table is not read.
                    print("the program's messages: section")
                    for trigger in plan.triggers { print("  \(trigger)") }
                    if let quiet = plan.quietHours {
                        print(String(format: "quiet hours: %02d:%02d to %02d:%02d on ", quiet.from / 60, quiet.from % 60, quiet.to / 60, quiet.to % 60)
                            + quiet.channels.sorted().map(\.rawValue).joined(separator: ", "))
                    }
                    if let cap = plan.marketingPerWeek { print("frequency cap: \(cap) marketing messages per member and channel in any 7 days") }
                    return
                }
                let triggers = try await opened.messageTriggers()
                for kind in triggers.keys.sorted() { print("\(kind.rawValue): \(triggers[kind]!.map(\.rawValue).joined(separator: ", "))") }
                if triggers.isEmpty { print("no message kind is sent; see `patron messages trigger`") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List messages, newest first.")
        @Option(help: "Only this status.") var status: MessageStatus?
        @Option(help: "How many.") var limit = 50
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let messages = try await opened.messages(status: status, limit: limit)
                if json { return try printJSON(messages) }
                let time = try await InstantFormat.of(opened)
                var table = Table(["id", "member", "kind", "channel", "status", "attempts", "created", "error"], rightAligned: [0, 1, 5])
                for m in messages {
                    table.add([
                        String(m.id), String(m.memberId), m.kind.rawValue, m.channel.rawValue, m.status.rawValue, String(m.attempts), time.text(m.createdAt),
                        String((m.lastError ?? "").prefix(60)),
                    ])
                }
                print(table.text)
            }
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver the queued messages that are due, until none is left; prints what happened.",
            discussion: "Channels: the inbox always; e-mail with PATRON_SMTP_HOST and PATRON_SMTP_FROM; SMS and push with PATRON_SMS_URL / PATRON_PUSH_URL and their secrets.")
        @OptionGroup var options: TemplateOptions
        @Option(
            help: "Deliverers at work at once, each with its own connection to each peer; their outcomes share group commits. A crash may then send up to this many messages twice (docs/messages.md).")
        var connections = 1
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard (1...64).contains(connections) else { throw PatronError(.invalidInput, "--connections: \(connections); give 1 to 64") }
                let (configuration, templates) = try options.load()
                let clock = try store.clock()
                let context = ServiceContext(store: try await store.open(), clock: clock)
                let unsubscribe = try configuration.unsubscribeLink()
                // Each deliverer paces its own sends: the channel's rate is shared out among them.
                var delivery = configuration.delivery
                delivery.ratePerSecond = delivery.ratePerSecond.mapValues { $0 / Double(connections) }
                let workers = (0..<connections).map { _ in
                    let senders = configuration.senders(clock: clock)
                    return (
                        senders,
                        MessageDeliverer(
                            context: context, templates: templates, senders: senders, unsubscribe: unsubscribe, configuration: delivery,
                            tracking: configuration.tracking)
                    )
                }
                let reports = try await withThrowingTaskGroup(of: MessageDeliveryReport.self) { group in
                    for (_, deliverer) in workers { group.addTask { try await deliverer.deliverAll() } }
                    var reports: [MessageDeliveryReport] = []
                    for try await report in group { reports.append(report) }
                    return reports
                }
                for (senders, _) in workers {
                    if let email = senders[.email] as? EmailSender { await email.close() }
                }
                var report = MessageDeliveryReport()
                for part in reports {
                    report.claimed += part.claimed
                    report.sent += part.sent
                    report.retried += part.retried
                    report.dead += part.dead
                    report.bounced += part.bounced
                    report.suppressed += part.suppressed
                    report.deferred += part.deferred
                }
                print(
                    "claimed \(report.claimed): sent \(report.sent), retried later \(report.retried), dead \(report.dead), bounced \(report.bounced), suppressed \(report.suppressed), deferred by quiet hours \(report.deferred)"
                )
            }
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a dead, failed or bounced message again. Audited.")
        @Argument(help: "The message id.") var id: Int64
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let context = ServiceContext(store: try await store.open(), clock: try store.clock())
                let message = try await MessageAdmin(context: context).requeue(id: id, actor: try actor.resolve())
                print("message \(message.id) is \(message.status.rawValue) again")
            }
        }
    }

    struct Unsubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply an unsubscribe token (as the link does) or, with --member and --channel, print a member's link.")
        @Option(help: "A token from an unsubscribe link.") var token: String?
        @Option(help: "Print the link of this member id.") var member: Int64?
        @Option(help: "The channel of the printed link.") var channel: MessageChannel = .email
        @OptionGroup var options: TemplateOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard let link = try options.configuration().unsubscribeLink() else {
                    throw PatronError(.invalidInput, "PATRON_UNSUBSCRIBE_URL and PATRON_UNSUBSCRIBE_SECRET are not set")
                }
                if let member {
                    print(link.url(member: member, channel: channel))
                    return
                }
                guard let token else { throw PatronError(.invalidInput, "give --token, or --member to print a link") }
                let context = ServiceContext(store: try await store.open(), clock: try store.clock())
                let (after, channel) = try await link.unsubscribe(token: token, context: context)
                print("member \(after.id) no longer receives marketing by \(channel.rawValue)")
            }
        }
    }
}
