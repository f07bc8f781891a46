import ArgumentParser
import Foundation
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

/// The program a read-only command works on: a file, or the database's current program.
struct ProgramSource: ParsableArguments {
    @Option(help: "Use this program file instead of the database's current program.") var program: String?
    @OptionGroup var store: StoreOptions

    func load() async throws -> Program {
        try await loadWithStore().program
    }

    /// The program, and the database when the program came from it (`nil` for a program file: nothing is opened).
    func loadWithStore() async throws -> (program: Program, store: (any Store)?) {
        if let program { return (try ProgramFile.load(path: program).program, nil) }
        let opened = try await store.open()
        guard let current = try await opened.currentProgram() else {
            throw PatronError(.noProgram, "no program is loaded in \(store.databaseName); pass --program FILE")
        }
        return (current.program, opened)
    }
}

/// A cart or order given on the command line.
struct CartOptions: ParsableArguments {
    @Option(help: "A line as SKU:QUANTITY:UNIT_PRICE[:CATEGORY] (repeat for more), prices in major units.") var line: [String] = []
    @Option(help: "A one-line order of this amount, in major units (instead of --line).") var amount: String?
    @Option(help: "Shipping, in major units.") var shipping = "0"
    @Option(help: "The sales channel.") var channel: String?

    func cart(_ currency: Currency) throws -> Cart {
        func money(_ text: String, _ option: String) throws -> Int64 {
            guard let minor = DecimalText.scaled(text, digits: currency.minorDigits), minor >= 0 else {
                throw PatronError(.invalidInput, "\(option): '\(text)' is not an amount in \(currency.code)")
            }
            return minor
        }
        var lines = try line.map { text -> OrderLine in
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (3...4).contains(parts.count), let quantity = Int(parts[1]) else {
                throw PatronError(.invalidInput, "--line '\(text)': write SKU:QUANTITY:UNIT_PRICE[:CATEGORY]")
            }
            return OrderLine(sku: parts[0], category: parts.count == 4 ? parts[3] : nil, quantity: quantity, unitPrice: try money(parts[2], "--line"))
        }
        if let amount { lines.append(OrderLine(sku: "ORDER", quantity: 1, unitPrice: try money(amount, "--amount"))) }
        guard !lines.isEmpty else { throw PatronError(.invalidInput, "give --line SKU:QTY:PRICE or --amount AMOUNT") }
        return Cart(lines: lines, shipping: try money(shipping, "--shipping"), channel: channel)
    }
}

/// Who the member is and when, for rules that depend on it.
struct MemberContextOptions: ParsableArguments {
    @Option(help: "The member's level name.") var level: String?
    @Option(help: "A member tag (repeat for more).") var tag: [String] = []
    @Option(help: "The member's birthday, yyyy-MM-dd.") var birthday: String?
    @Flag(help: "The member's first order.") var firstOrder = false
    @Option(help: "When, as an ISO 8601 instant (default: now).") var at: String?

    /// When: `--at`, or now.
    func instant() throws -> Date {
        guard let at else { return Date() }
        guard let parsed = ISO8601DateFormatter().date(from: at), OrderEvent.acceptedTimes.contains(parsed) else {
            throw PatronError(.invalidInput, "--at '\(at)' is not an ISO 8601 instant from 1970 to 2200")
        }
        return parsed
    }

    /// The member the flags describe.
    func description() throws -> MemberDescription {
        let day = try birthday.map { text -> LocalDate in
            guard let date = LocalDate(iso: text) else { throw PatronError(.invalidInput, "--birthday '\(text)' is not a yyyy-MM-dd date") }
            return date
        }
        return MemberDescription(level: level, tags: Set(tag), birthday: day, isFirstOrder: firstOrder)
    }
}

/// `patron simulate order`: what an order would earn, rule by rule, without writing anything.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Show what would happen, writing nothing.", subcommands: [Order.self, Activity.self])

    struct Activity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What an activity would earn.", discussion: "patron simulate activity checkIn --streak 7 --program examples/programs/textbook.yaml")
        @OptionGroup var source: ProgramSource
        @Argument(help: "The activity's name in the program.") var kind: String
        @Option(help: "For a check-in: the streak in days, counting this one.") var streak = 1
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let simulation = try SimulationService(program: try await source.load()).activity(kind, streak: streak)
                if json { return try printJSON(simulation) }
                print(
                    "\(kind): \(simulation.points) points"
                        + (simulation.streakBonus > 0 ? " + \(simulation.streakBonus) for a \(streak)-day streak" : ""))
            }
        }
    }

    struct Order: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What an order would earn, rule by rule.",
            discussion: "patron simulate order --program examples/programs/textbook.yaml --amount 300.00 --level VIP会员 --first-order")
        @OptionGroup var source: ProgramSource
        @OptionGroup var cart: CartOptions
        @OptionGroup var member: MemberContextOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let program = try await source.load()
                let earning = try SimulationService(program: program).order(
                    try cart.cart(program.currency), member: try member.description(), at: try member.instant())
                if json {
                    struct Output: Encodable { let points: Int64; let base: Int64; let breakdown: [RuleContribution] }
                    return try printJSON(Output(points: earning.points, base: earning.base, breakdown: earning.breakdown))
                }
                print("Earning base: \(Money(minor: earning.base, program.currency))")
                var table = Table(["rule", "points", ""], rightAligned: [1])
                for part in earning.breakdown { table.add([part.rule, part.points, part.note ?? ""]) }
                print(table.text)
                print("Total: \(grouped(earning.points)) points (rounded \(program.earning.rounding.rawValue), once for the order)")
            }
        }
    }
}

/// `patron quote`: the checkout quote for a cart.
struct QuoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote", abstract: "Quote a cart for a member: benefits, final price, points earned and points that could pay.")
    @OptionGroup var source: ProgramSource
    @OptionGroup var cart: CartOptions
    @OptionGroup var member: MemberContextOptions
    @Option(help: "The member's active points.") var points: Int64 = 0
    @Option(help: "Points the member wants to pay with.") var usePoints: Int64?
    @Option(help: "A coupon code the member holds (needs --holder and the database).") var coupon: String?
    @Option(help: "The member holding --coupon, as an id or KIND:VALUE.") var holder: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let loaded = try await source.loadWithStore()
            let program = loaded.program
            var store = loaded.store
            var cart = try cart.cart(program.currency)
            cart.usePoints = usePoints
            if coupon != nil {
                guard holder != nil else { throw PatronError(.invalidInput, "--coupon needs --holder MEMBER") }
                if store == nil { store = try await source.store.open() }
            }
            let request = QuoteRequest(
                cart: cart, buyer: .described(try member.description(), activePoints: points, couponHolder: holder), couponCode: coupon,
                at: try member.instant())
            let quote = try await QuoteService(program: program, store: store).quote(request)
            if json { return try printJSON(quote) }
            let money = { (minor: Int64) in Money(minor: minor, program.currency).description }
            var table = Table(["", "amount"], rightAligned: [1])
            // The quote's own lines, so what prints adds up to what is to pay.
            for line in quote.lines { table.add([line.label, line.amount < 0 ? "−" + money(-line.amount) : money(line.amount)]) }
            table.add(["to pay", money(quote.total)])
            print(table.text)
            print("Points earned: \(grouped(quote.pointsEarned)) (\(quote.earning.map { "\($0.rule) \($0.points)" }.joined(separator: ", ")))")
            if program.pointsAsPayment != nil { print("Points could pay: up to \(grouped(quote.maxPayablePoints)) points") }
            if !quote.perks.isEmpty { print("Perks: \(quote.perks.joined(separator: ", "))") }
            if !quote.refusedSKUs.isEmpty {
                print("Not available at this level, left out of the cart: \(quote.refusedSKUs.joined(separator: ", "))")
            }
        }
    }
}
