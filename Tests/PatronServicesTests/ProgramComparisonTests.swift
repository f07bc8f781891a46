import Foundation
import PatronAnalytics
import PatronCore
import PatronFiles
import PatronStore
import PatronTestSupport
import Testing

@testable import PatronServices

/// `patron program compare`: the replay of the versions in force equals the ledger; a draft changes what it should.
@Suite struct ProgramComparisonTests {
    static let program = """
        name: Test Tea
        currency: CNY
        timeZone: Asia/Shanghai
        levels:
          metric: spend
          window: { rollingMonths: 12 }
          growth: { upgradeAndDowngrade: { validityMonths: 3, downgrade: oneLevel } }
          tiers:
            - { name: Leaf, threshold: "0.00" }
            - { name: Bud, threshold: "300.00" }
            - { name: Blossom, threshold: "800.00" }
        earning:
          points: 1
          per: "1.00"
          base: { includeShipping: true }
          rules:
            - { name: level boost, levelMultiplier: { Bud: 1.5, Blossom: 2 } }
            - { name: welcome, firstOrderBonus: 50 }
            - { name: app, multiplier: 2, when: { channels: [app] }, limit: { perMonth: 1 } }
            - { name: birthday, birthday: { bonus: 30, scope: month } }
            - { name: vip tag, bonus: 7, when: { tags: [vip] } }
        pending: { days: 7 }
        """

    static let start = Date(timeIntervalSince1970: 1_735_660_800)  // 2025-01-01 00:00 +08:00

    /// A shop of six members over eight months: orders on the web and in the app, cancellations, partial and whole
    /// returns, activations and level reviews run daily, as the jobs do. With `override`, staff set the second member
    /// to the top level by hand on day 31, for 60 days.
    static func shop(override: Bool = false) async throws -> (SQLStore, Program) {
        let clock = ManualClock(start)
        let store = try SQLStore.open(TestDatabase.fresh(), clock: clock)
        try await store.migrate()
        let program = try ProgramFile.parse(Self.program)
        _ = try await store.loadProgram(program, source: Self.program)
        var members: [Int64] = []
        for index in 0..<6 {
            let profile = Profile(birthday: LocalDate(year: 1990, month: 1 + index * 2, day: 10), tags: index % 3 == 0 ? ["vip"] : [])
            members.append(try await store.enroll(EnrollmentRequest(identities: [try .customer("c\(index)")], profile: profile), key: nil).id)
        }
        var events: [OrderEvent] = []
        var serial = 0
        for day in stride(from: 0, to: 240, by: 3) {
            for member in 0..<6 where (day / 3 + member) % 4 == 0 {
                serial += 1
                let id = "O\(serial)"
                let at = start.addingTimeInterval(Double(day) * 86_400 + Double(member) * 3_600 + 36_000)
                let order = Order(
                    id: id, member: try .customer("c\(member)"),
                    lines: [
                        OrderLine(id: "a", sku: "TEA-\(serial % 5)", category: "tea", quantity: 2, unitPrice: Int64(3_000 + (serial * 731) % 9_000)),
                        OrderLine(id: "b", sku: "CUP", category: "cups", quantity: 1, unitPrice: 4_500, discount: 500),
                    ],
                    shipping: 800, discount: Int64(serial % 3) * 300, channel: serial % 2 == 0 ? "app" : "web")
                events.append(.placed(order, at: at))
                switch serial % 7 {
                case 3: events.append(.cancelled(id, at: at.addingTimeInterval(3_600)))
                case 5:
                    events.append(.completed(id, at: at.addingTimeInterval(86_400)))
                    events.append(.returned(id, lines: [ReturnedLine(lineId: "a", quantity: 1)], at: at.addingTimeInterval(2 * 86_400), id: "\(id)-r"))
                case 6:
                    events.append(.completed(id, at: at.addingTimeInterval(86_400)))
                    events.append(.returned(id, at: at.addingTimeInterval(20 * 86_400), id: "\(id)-r"))
                default: events.append(.completed(id, at: at.addingTimeInterval(86_400)))
                }
            }
        }
        events.sort { $0.occurredAt < $1.occurredAt }
        var next = 0
        for day in 0..<270 {
            let endOfDay = start.addingTimeInterval(Double(day + 1) * 86_400)
            while next < events.count, events[next].occurredAt < endOfDay {
                clock.set(events[next].occurredAt)
                let result = await store.apply([events[next]], options: ApplyOptions())
                if case .failure(let error) = result[0] { Issue.record("\(events[next].id): \(error)") }
                next += 1
            }
            clock.set(endOfDay)
            if override, day == 30 {
                _ = try await store.setLevel(
                    LevelOverrideRequest(
                        memberId: members[1], level: "Blossom", until: endOfDay.addingTimeInterval(60 * 86_400), reason: "complaint made good",
                        actor: "ops", key: "override-c1", at: endOfDay))
            }
            _ = try await store.runActivation(asOf: endOfDay)
            _ = try await store.runLevelReview(asOf: endOfDay)
        }
        return (store, program)
    }

    @Test func theReplayOfTheVersionsInForceEqualsTheLedgerToThePoint() async throws {
        let (store, program) = try await Self.shop()
        let context = ServiceContext(store: store, clock: ManualClock(Self.start))
        let comparison = try await ProgramComparisonService(context: context).compare(draft: program, options: .init(months: 12))
        // The members' balances hold nothing but order points here, so they are the ledger's order earnings.
        var balances: Int64 = 0
        for fact in try await store.memberFacts() {
            let statement = try await store.statement(member: fact.memberId, entries: 0)
            balances += statement.member.balances.active + statement.member.balances.pending
        }
        #expect(comparison.ledgerCheck.ledgerPoints == balances)
        #expect(comparison.ledgerCheck.replayPoints == balances)
        #expect(comparison.ledgerCheck.differingOrders == 0)
        #expect(comparison.ledgerCheck.matches)
        #expect(comparison.ledgerCheck.orders > 50)
        // The rules the shop exercises all gave points, and the same program on both sides changes nothing.
        let given = Set(comparison.rules.filter { $0.current != 0 }.map(\.rule))
        #expect(given.isSuperset(of: ["base", "level boost", "welcome", "app", "birthday", "vip tag", "returns"]))
        #expect(comparison.rules.allSatisfy { $0.change == 0 })
        #expect(comparison.movedUp == 0 && comparison.movedDown == 0)
        #expect(comparison.current.orderPoints == balances)
    }

    @Test func aLevelSetByHandIsReplayedSoTheReplayStillEqualsTheLedger() async throws {
        let (store, program) = try await Self.shop(override: true)
        let history = try await store.replayHistory(credits: true)
        #expect(history.overrides.count == 1)
        #expect(history.overrides.first?.level == "Blossom")
        #expect(history.overrides.first?.reason == "complaint made good")
        let context = ServiceContext(store: store, clock: ManualClock(Self.start))
        let comparison = try await ProgramComparisonService(context: context).compare(draft: program, options: .init(months: 12))
        #expect(comparison.ledgerCheck.differingOrders == 0)
        #expect(comparison.ledgerCheck.matches)
        // Without the override the same replay misses the level boost the member was given by hand.
        var without = history
        without.overrides = []
        let last = history.orders.map(\.placedAt).max()!
        let bare = try await ProgramComparisonService.compare(
            history: without, current: program, draft: program, last: last, options: .init(months: 12), ledger: [], outstanding: history.outstanding)
        #expect(bare.ledgerCheck.differingOrders > 0)
    }

    @Test func aDraftRuleNamedLikeACampaignIsRefusedAtItsLine() throws {
        let text = Self.program.replacingOccurrences(of: "{ name: vip tag,", with: "{ name: \"campaign:spring\",")
        do {
            _ = try ProgramFile.parse(text)
            Issue.record("a rule named campaign:spring was accepted")
        } catch let error as PatronError {
            #expect(error.details.contains { $0.hasPrefix("earning.rules[4].name (line 21)") && $0.contains("campaign:") })
        }
    }

    @Test func aDraftChangesTheRulesItTouchesAndTheLevelsItsThresholdsMove() async throws {
        let (store, program) = try await Self.shop()
        let context = ServiceContext(store: store, clock: ManualClock(Self.start))
        let draftText = Self.program.replacingOccurrences(of: "points: 1\n  per:", with: "points: 2\n  per:")
            .replacingOccurrences(of: #"threshold: "800.00""#, with: #"threshold: "5000.00""#)
        let draft = try ProgramFile.parse(draftText)
        let comparison = try await ProgramComparisonService(context: context).compare(draft: draft, options: .init(months: 12))
        let rules = Dictionary(uniqueKeysWithValues: comparison.rules.map { ($0.rule, $0) })
        // Twice the base: exact in millionths of a point, so the rows (rounded to whole points) differ by at most 1.
        #expect(rules["base"].map { abs($0.draft - 2 * $0.current) <= 1 && $0.current > 0 } == true)
        #expect(rules["welcome"]?.change == 0)
        #expect(rules["vip tag"]?.change == 0)
        #expect(comparison.draft.orderPoints > comparison.current.orderPoints)
        #expect(comparison.ledgerCheck.matches)
        let blossom = try #require(comparison.levels.first { $0.level == "Blossom" })
        #expect(blossom.currentMembers > 0 && blossom.draftMembers == 0)
        #expect(comparison.movedDown == blossom.currentMembers)
        #expect(comparison.draft.expectedCost > comparison.current.expectedCost)
        // Every member with orders is counted once in each grouping.
        let members = comparison.changeBands.reduce(0) { $0 + $1.members }
        #expect(comparison.changeByLevel.reduce(0) { $0 + $1.members } == members)
        #expect(comparison.changeBySegment.reduce(0) { $0 + $1.members } == members)
        #expect(comparison.changeBands.first { $0.group == "gains over 50 %" }.map { $0.members > 0 } == true)
    }

    @Test func thresholdsAloneReplaceTheLevelsAboveTheFirstAndAreChecked() async throws {
        let program = try ProgramFile.parse(Self.program)
        let draft = try ProgramComparisonService.withThresholds(program, "399,688")
        #expect(draft.levels?.levels.map(\.threshold) == [0, 39_900, 68_800])
        #expect(draft.earning == program.earning)
        for bad in ["399", "688,399", "abc,700", "0,1,2,3"] {
            #expect(throws: PatronError.self) { try ProgramComparisonService.withThresholds(program, bad) }
        }
        let (store, _) = try await Self.shop()
        let context = ServiceContext(store: store, clock: ManualClock(Self.start))
        let comparison = try await ProgramComparisonService(context: context).compare(draft: draft, options: .init(months: 12))
        #expect(comparison.rules.filter { $0.rule != "level boost" && $0.rule != "returns" && $0.rule != "rounding" }.allSatisfy { $0.change == 0 })
        #expect(comparison.levels.map(\.draftThreshold) == [0, 39_900, 68_800])
    }

    @Test func aDraftBreakingTheShopsGuardRailsIsWarnedInWords() async throws {
        let (store, _) = try await Self.shop()
        let context = ServiceContext(store: store, clock: ManualClock(Self.start))
        let draftText = Self.program.replacingOccurrences(of: "points: 1\n  per:", with: "points: 10\n  per:") + """

            guardRails:
              costShareOfSales: 1.5
              liabilityGrowth: 20
              levelShares: { Leaf: 80, Bud: 15, Blossom: 5 }
            """
        let draft = try ProgramFile.parse(draftText)
        let comparison = try await ProgramComparisonService(context: context).compare(draft: draft, options: .init(months: 12, redemptionRate: 0.5))
        #expect(comparison.warnings.contains { $0.message.contains("above the budget of 1.5 %") })
        #expect(comparison.warnings.contains { $0.message.contains("beyond the 20 % limit") })
        #expect(comparison.warnings.contains { $0.rail == "levelShares" && $0.message.contains("would hold") })
        // The same program with generous rails is not warned about.
        let calm = try ProgramFile.parse(Self.program + "\nguardRails: { costShareOfSales: 100, liabilityGrowth: 10000 }\n")
        #expect(try await ProgramComparisonService(context: context).compare(draft: calm).warnings.isEmpty)
    }

    @Test func guardRailsAreValidatedWithTheirPathAndLine() throws {
        let text = Self.program + """

            guardRails:
              costShareOfSales: 120
              liabilityGrowth: x
              levelShares: { Leaf: 80, Gold: 15, Bud: 30 }
            """
        do {
            _ = try ProgramFile.parse(text)
            Issue.record("a bad guardRails section was accepted")
        } catch let error as PatronError {
            let details = error.details
            #expect(details.contains { $0.hasPrefix("guardRails.costShareOfSales (line 24)") && $0.contains("from 0 to 100") })
            #expect(details.contains { $0.hasPrefix("guardRails.liabilityGrowth (line 25)") })
            #expect(details.contains { $0.hasPrefix("guardRails.levelShares.Gold") && $0.contains("not a level") })
            #expect(details.contains { $0.hasPrefix("guardRails.levelShares") && $0.contains("more than 100 %") })
        }
    }

    @Test func aDraftInAnotherCurrencyIsRefused() async throws {
        let (store, _) = try await Self.shop()
        let context = ServiceContext(store: store, clock: ManualClock(Self.start))
        let draft = try ProgramFile.parse(Self.program.replacingOccurrences(of: "currency: CNY", with: "currency: EUR"))
        await #expect(throws: PatronError.self) { try await ProgramComparisonService(context: context).compare(draft: draft) }
    }
}
