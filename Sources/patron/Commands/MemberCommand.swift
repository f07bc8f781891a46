import ArgumentParser
import Foundation
import PatronCore
import PatronServices
import PatronStore

/// `patron member …`: enroll, show, update and adjust members; export and erase their data.
struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Enroll, look up, update and adjust members.",
        subcommands: [Enroll.self, Show.self, Update.self, Adjust.self, Level.self, Activity.self, Transfer.self, Export.self, Erase.self, Link.self, Consents.self])

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give points to another member, as the program allows (the points keep their expiry).")
        @Argument(help: "The giving member, then the receiving one (ids or KIND:VALUE).") var members: [String]
        @Option(help: "Points the receiver gets.") var points: Int64
        @Option(help: "An idempotency key: the same key again does not transfer twice (default: a new random key).") var key: String?
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard members.count == 2 else { throw PatronError(.invalidInput, "give the sender and the receiver") }
                let opened = try await store.open()
                let from = try await MemberReference.parse([members[0]]).resolve(opened)
                let to = try await MemberReference.parse([members[1]]).resolve(opened)
                let outcome = try await AdminActions(store: opened).transfer(
                    TransferRequest(from: from.id, to: to.id, points: points, key: key ?? UUID().uuidString, at: try store.clock().now()),
                    actor: try actor.resolve())
                print("\(outcome.replayed ? "already transferred" : "transferred") \(grouped(outcome.points)) points from member \(from.id) to member \(to.id)"
                    + (outcome.fee > 0 ? " (fee \(grouped(outcome.fee)))" : "") + "; member \(from.id) now has \(grouped(outcome.sender.active)) active points")
            }
        }
    }

    struct Activity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reward an activity: checkIn, profileCompleted, favourite, review, game, socialFollow, share, or a custom one.")
        @OptionGroup var reference: MemberReference
        @Argument(help: "The activity's name in the program.") var kind: String
        @Option(help: "An idempotency key, such as the review's id (default: a new random key).") var key: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                let outcome = try await opened.recordActivity(ActivityRequest(memberId: member.id, kind: kind, key: key ?? UUID().uuidString, at: try store.clock().now()))
                var text = "\(outcome.replayed ? "already rewarded" : "rewarded") \(kind): +\(outcome.points) points"
                if outcome.bonus > 0 { text += " and a \(outcome.streak)-day streak bonus of \(outcome.bonus)" } else if outcome.streak > 0 { text += " (streak \(outcome.streak) days)" }
                print(text + "; member \(member.id) now has \(grouped(outcome.balances.active)) active points")
            }
        }
    }

    struct Level: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a member's level and its history, or set a level by hand until a date (--set, --until and --reason; recorded in the audit log).")
        @OptionGroup var reference: MemberReference
        @Option(help: "Set this level by hand (with --until and --reason).") var set: String?
        @Option(help: "When the manual level ends, yyyy-MM-dd (start of that day in the program's time zone).") var until: String?
        @Option(help: "Why the level is set by hand (with --set).") var reason: String?
        @OptionGroup var actor: ActorOption
        @Option(help: "An idempotency key (default: a new random key).") var key: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                var member = try await reference.resolve(opened)
                if let set {
                    guard let until, let day = LocalDate(iso: until), let reason else {
                        throw PatronError(.invalidInput, "--set needs --until yyyy-MM-dd and --reason")
                    }
                    guard let program = try await opened.currentProgram()?.program else { throw PatronError(.noProgram, "no program is loaded") }
                    member = try await AdminActions(store: opened).setLevel(
                        LevelOverrideRequest(
                            memberId: member.id, level: set, until: program.calendar.startOfDay(day), reason: reason, actor: try actor.resolve(),
                            key: key ?? UUID().uuidString, at: try store.clock().now()))
                }
                let now = try store.clock().now()
                let time = try await InstantFormat.of(opened)
                print("Member \(member.id): \(member.level.effectiveLevel(at: now) ?? "no level yet")")
                if let override = member.level.override, override.until > now {
                    print("  set by hand until \(time.text(override.until)) (\(override.reason)); earned level: \(member.level.level ?? "none")")
                }
                if let until = member.level.validUntil { print("  held until \(time.text(until)), then re-evaluated") }
                var table = Table(["when", "from", "to", "reason", "by", "version"])
                for change in try await opened.levelHistory(member: member.id) {
                    table.add([time.text(change.at), change.from ?? "", change.to ?? "", change.reason, change.actor ?? "", String(change.programVersion)])
                }
                print(table.text)
            }
        }
    }

    /// Identity options shared by enroll and update.
    struct IdentityOptions: ParsableArguments {
        @Option(help: "The shop's customer id.") var customer: String?
        @Option(help: "E-mail address.") var email: String?
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "Membership card number.") var card: String?
        @Option(help: "A social id as NETWORK:ID, such as wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M.") var social: [String] = []

        func identities() throws -> [Identity] {
            var result: [Identity] = []
            if let customer { result.append(try Identity(kind: Identity.customer, value: customer)) }
            if let email { result.append(try Identity(kind: Identity.email, value: email)) }
            if let phone { result.append(try Identity(kind: Identity.phone, value: phone)) }
            if let card { result.append(try Identity(kind: Identity.card, value: card)) }
            for item in social { result.append(try Identity(reference: Identity.socialPrefix + item)) }
            return result
        }
    }

    /// Profile options shared by enroll and update.
    struct ProfileOptions: ParsableArguments {
        @Option(help: "The member's name.") var name: String?
        @Option(help: "Birthday as yyyy-MM-dd.") var birthday: String?
        @Option(help: "A tag (repeat for more).") var tag: [String] = []
        @Option(help: "A consent as CHANNEL=true|false (repeat for more).") var consent: [String] = []
        @Option(help: "The member's region (province, state).") var region: String?
        @Option(help: "The member's city.") var city: String?
        @Option(help: "The channel the member joined through (app, web, wechat, store …).") var channel: String?
        @Option(help: "The member's gender as the shop records it.") var gender: String?
        @Option(help: "The member's language as a BCP-47 tag (en, zh-Hans): messages use it before the shop's.") var locale: String?

        func update() throws -> ProfileUpdate {
            var birthdayDate: LocalDate?
            if let birthday {
                guard let date = LocalDate(iso: birthday) else { throw PatronError(.invalidInput, "--birthday '\(birthday)' is not a yyyy-MM-dd date") }
                birthdayDate = date
            }
            var consents: [String: Bool] = [:]
            for item in consent {
                let parts = item.split(separator: "=")
                guard parts.count == 2, let value = Bool(String(parts[1])) else {
                    throw PatronError(.invalidInput, "--consent '\(item)': write CHANNEL=true or CHANNEL=false")
                }
                consents[String(parts[0])] = value
            }
            return ProfileUpdate(
                name: name, birthday: birthdayDate, addTags: tag.isEmpty ? nil : tag, consents: consents.isEmpty ? nil : consents, region: region,
                city: city, channel: channel, gender: gender, locale: locale)
        }
    }

    /// A member named by id or by an identity (`customer:C1`, `email:a@b.c`).
    struct MemberReference: ParsableArguments {
        @Argument(help: "A member id, or an identity as KIND:VALUE (customer:C1, email:ann@example.com).") var member: String

        func resolve(_ store: any Store) async throws -> Member { try await store.member(reference: member) }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enroll a member.")
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var profile: ProfileOptions
        @Option(help: "The member who referred them, as KIND:VALUE (customer:C1).") var referredBy: String?
        @Option(help: "An idempotency key: the same key again returns the same member.") var key: String?
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let referrer = try referredBy.map(Identity.init(reference:))
                let request = EnrollmentRequest(
                    identities: try identity.identities(), profile: try profile.update().applied(to: Profile()), referredBy: referrer)
                let member = try await store.open().enroll(request, key: key, origin: ConsentOrigin(source: .cli, actor: try actor.consentActor()))
                print("enrolled member \(member.id) (\(member.identities.map(\.description).joined(separator: ", ")))")
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a member's profile or add identities.")
        @OptionGroup var reference: MemberReference
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var profile: ProfileOptions
        @Option(help: "Remove a tag (repeat for more).") var removeTag: [String] = []
        @OptionGroup var actor: ActorOption
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                var update = try profile.update()
                update.removeTags = removeTag.isEmpty ? nil : removeTag
                let updated = try await opened.updateMember(
                    member.id, profile: update, addIdentities: try identity.identities(), key: nil,
                    origin: ConsentOrigin(source: .cli, actor: try actor.consentActor()))
                print("updated member \(updated.id)")
            }
        }
    }

    struct Adjust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or remove active points by hand, with a reason (recorded in the ledger and the audit log).",
            discussion: "Remove points with a minus sign: patron member adjust customer:C1 --points -50 --reason \"duplicate bonus\"")
        @OptionGroup var reference: MemberReference
        @Option(parsing: .unconditional, help: ArgumentHelp("Points to add, or to remove with a minus sign (--points 50, --points -50).", valueName: "points"))
        var points: Int64
        @Option(help: "Why.") var reason: String
        @OptionGroup var actor: ActorOption
        @Option(help: "An idempotency key: the same key again does not adjust twice (default: a new random key).") var key: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                let outcome = try await AdminActions(store: opened).adjust(
                    Adjustment(
                        memberId: member.id, points: points, reason: reason, actor: try actor.resolve(), key: key ?? UUID().uuidString,
                        at: try store.clock().now()))
                print("\(outcome.replayed ? "already applied" : "adjusted"): member \(member.id) now has \(grouped(outcome.balances.active)) active points")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a member's balances, lots with expiry dates and latest entries.")
        @OptionGroup var reference: MemberReference
        @Option(help: "How many entries to show.") var entries: Int = 20
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                let member = try await reference.resolve(opened)
                let statement = try await opened.statement(member: member.id, entries: entries)
                if json { try printJSON(StatementView(statement)) } else { print(StatementView(statement).text(time: try await InstantFormat.of(opened), now: try store.clock().now())) }
            }
        }
    }
}
