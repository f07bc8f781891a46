import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PatronCore
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The page models answer swift-mustache's look-ups with a `switch` instead of reflection (reflection was nearly half
/// of a member page's time). A switch can forget a field, or answer with the wrong one, and the page would silently
/// show nothing: these tests build every member-zone model, the layout's, the staff member page's and the overview's
/// from a real shop and check that each answers every one of its fields exactly as reflection would, all the way down.
@Suite struct TemplateLookupTests {
    /// What is wrong with `value`'s look-ups: a field its switch does not answer, or answers with another value; a
    /// struct inside it that has no switch at all.
    static func mismatches(_ value: Any, at path: String) -> [String] {
        if value is String || value is Bool || value is Int || value is Int64 || value is Double { return [] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { mismatches($0.value, at: path) } ?? []
        case .collection, .set:
            return mirror.children.enumerated().flatMap { mismatches($0.element.value, at: "\(path)[\($0.offset)]") }
        case .struct, .class:
            guard let parent = value as? MustacheParent else { return ["\(path): \(type(of: value)) is looked up by reflection"] }
            var found: [String] = []
            for child in mirror.children {
                guard let label = child.label else { continue }
                let answered = describe(parent.child(named: label)), reflected = describe(child.value)
                if answered != reflected { found.append("\(path).\(label): the switch answers \(answered), reflection \(reflected)") }
                found += mismatches(child.value, at: "\(path).\(label)")
            }
            if let stray = parent.child(named: "noSuchField") { found.append("\(path).noSuchField answers \(stray)") }
            return found
        default:
            return []
        }
    }

    /// A value as a template would print it; an optional's content, `nil` when absent.
    static func describe(_ value: Any?) -> String {
        guard let value else { return "nil" }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map { describe($0.value) } ?? "nil" }
        return String(describing: value)
    }

    /// A page base for `path` in `language`, as the kit makes one for a request.
    static func base(_ console: ConsoleHarness, _ path: String, _ language: ConsoleLanguage) async throws -> PageBase {
        let kit = ConsoleKit(context: console.context, configuration: console.configuration, renderer: try await PageRenderer.load(), assets: try Assets.load())
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path), body: RequestBody(buffer: ByteBuffer()))
        return PageBase(kit: kit, request: request, language: language, parameters: Parameters())
    }

    @Test(arguments: ConsoleLanguage.allCases)
    func everyMemberZoneModelAnswersEachFieldAsReflectionWould(language: ConsoleLanguage) async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await MemberZoneTests.setUp(console)
            _ = try await console.store.recordActivity(ActivityRequest(memberId: ann, kind: "review", key: "review-1", at: console.clock.now()))
            _ = try await MemberSelfService(context: console.context).redeem(member: ann, rewardId: "coupon-5", requestKey: String(repeating: "c0", count: 16))
            let base = try await Self.base(console, "/member/", language)
            let (program, formats) = try await base.kit.programAndFormats(language)
            let page = MemberPage(base: base, memberID: ann, program: program, formats: formats, csrfToken: "token", submittedForm: nil)
            let member = try #require(try await console.store.member(id: ann))
            let offers = try await MemberOffer.list(context: console.context, member: ann)
            let home = MemberHomeModel(
                try await MemberHome.load(context: console.context, member: ann), explanation: try page.explanation(), page)
            let history = MemberHistoryModel(
                lines: try await MemberHistoryLine.latest(context: console.context, member: ann, limit: 100), page: page)
            let coupons = MemberCouponsModel(
                coupons: try await console.store.coupons(member: ann), program: try #require(program).program, now: console.clock.now(), page: page)
            let models: [(String, Any)] = [
                ("home", home), ("history", history), ("coupons", coupons),
                ("rewards", MemberRewardsModel(offers: offers, balance: member.balances.active, page: page)),
                ("confirm", MemberConfirmModel(offer: try #require(offers.first), balance: member.balances.active, page: page)),
                ("handbook", MemberHandbookModel(try page.explanation(), page)),
                ("preferences", MemberPreferencesModel(try await MemberSelfService(context: console.context).consents(member: ann), locale: "zh-Hans", page)),
                ("signedOut", MemberSignedOutModel()), ("error", ErrorModel(status: 404, message: "gone")),
                ("frame", PageFrame(
                    lang: language.rawValue, title: "t", notice: "n", csrf: "c", path: "/member/",
                    languages: [LanguageLink(code: "en", name: "English", href: "/member/?lang=en", current: true)],
                    nav: [NavigationLink(href: "/console/", label: "Overview", current: true)],
                    account: AccountSummary(username: "owner", displayName: "Owner", role: "Owner"))),
            ]
            // The models are full enough for the check to reach every row type.
            #expect(!home.pending.isEmpty && !home.level.isEmpty && !history.lines.isEmpty && !(coupons.usable + coupons.other).isEmpty)
            for (name, model) in models {
                #expect(Self.mismatches(model, at: name) == [], "\(name)")
            }
        }
    }

    @Test func theStaffMemberPageAndTheOverviewAnswerEachFieldAsReflectionWould() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await MemberZoneTests.setUp(console)
            try await OverviewPageTests.shop(console)
            _ = try await MemberSelfService(context: console.context).redeem(member: ann, rewardId: "coupon-5", requestKey: String(repeating: "d0", count: 16))
            try await OverviewSnapshots.take(console.context)
            for language in ConsoleLanguage.allCases {
                let base = try await Self.base(console, "/console/members/\(ann)", language)
                let (program, formats) = try await base.kit.programAndFormats(language)
                let page = StaffPage(
                    base: base, account: try #require(console.accounts[.owner]), program: program, formats: formats, csrfToken: "token",
                    submittedForm: nil)
                let file = try await console.store.memberFile(MemberFileRequest(memberId: ann))
                let messages = try await MemberMessagesSection.load(member: ann, page)
                let member = MemberFilePage.model(file, id: ann, before: nil, program: program?.program, messages: messages, page)
                #expect(!member.entries.isEmpty && !member.levelHistory.isEmpty && !member.redemptions.isEmpty && !member.lots.isEmpty)
                #expect(Self.mismatches(member, at: "member") == [])
                let today = try #require(program).program.calendar.localDate(of: console.clock.now())
                let period = try OverviewPeriod.parse(period: "365", month: nil, from: nil, to: nil, today: today)
                let overview = OverviewPage.model(try await OverviewService.overview(console.context, period: period), page)
                #expect(!overview.cards.isEmpty && !overview.rfm.isEmpty)
                #expect(Self.mismatches(overview, at: "overview") == [])
            }
        }
    }

    @Test func theConsoleEscapesTextAsSwiftMustacheDoes() throws {
        let library = try MustacheTemplate(string: "{{x}}")
        for text in ["", "plain words", "<script>alert('x') & \"y\"</script>", "积分 <b>李</b> & ‘quotes’", "a'b\"c>d<e&f", "e\u{301}<", "🙂&🙂", "&amp;"] {
            #expect(ConsoleHTML().escapeText(text) == library.render(["x": text]), "\(text)")
        }
    }

    @Test func aForgottenFieldIsFound() {
        struct Forgetful: MustacheParent {
            let shown: String
            let forgotten: String
            func child(named name: String) -> Any? { name == "shown" ? shown : nil }
        }
        struct Reflected {
            let value: Int
        }
        #expect(Self.mismatches(Forgetful(shown: "a", forgotten: "b"), at: "m") == ["m.forgotten: the switch answers nil, reflection b"])
        #expect(Self.mismatches([Reflected(value: 1)], at: "rows") == ["rows[0]: Reflected is looked up by reflection"])
    }
}
