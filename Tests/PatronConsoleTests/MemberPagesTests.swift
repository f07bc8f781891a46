import Foundation
import HTTPTypes
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing

@testable import PatronConsole

/// The staff member pages through HTTP: search, the member page, and each action's form → confirmation → change,
/// with idempotent resubmission, bad input and the roles that may not act. SQLite, or PostgreSQL with
/// `PATRON_TEST_BACKEND=postgres`.
@Suite struct MemberPagesTests {
    /// The gold-club programme with two coupon rewards, loaded as a second version.
    static func loadCoupons(_ console: ConsoleHarness) async throws {
        let source =
            try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + """

            rewards:
              - { id: five-off, name: 5 dollars off, kind: coupon, cost: 500, coupon: { value: "5.00", minimumSpend: "25.00", validDays: 30 } }
              - { id: mug, name: Club mug, kind: gift, cost: 900 }
            """
        _ = try await console.store.loadProgram(try ProgramFile.parse(source), source: source)
    }

    /// Ann: a name, three identities (one full of URL and HTML characters), a consent, and 300 points.
    static func ann(_ console: ConsoleHarness) async throws -> Member {
        let member = try await console.store.enroll(
            EnrollmentRequest(
                identities: [try .customer("C/1 & <b>?#%"), try Identity(kind: Identity.email, value: "Ann.Lee@Example.com"), try Identity(kind: Identity.phone, value: "+1 (212) 555-0100")],
                profile: Profile(name: "Ann Lee", consents: ["email": true, "sms": false])),
            key: nil)
        _ = try await console.store.adjust(Adjustment(memberId: member.id, points: 300, reason: "welcome gift", actor: "test", key: "ann-1", at: console.clock.now()))
        return member
    }

    /// The idempotency key of a form page.
    static func key(_ html: String) throws -> String {
        let range = try #require(html.range(of: #"name="key" value="([A-Za-z0-9_-]+)""#, options: .regularExpression))
        return String(html[range].dropFirst(#"name="key" value=""#.count).dropLast())
    }

    static func balance(_ console: ConsoleHarness, _ id: Int64) async throws -> Int64 { try #require(try await console.store.member(id: id)).balances.active }

    static func audit(_ console: ConsoleHarness, _ id: Int64) async throws -> [AuditRecord] {
        try await console.store.auditLog(after: 0, limit: 100, subject: "member:\(id)")
    }

    // MARK: Search

    @Test func searchFindsAMemberByEveryIdentityTheIdAndTheStartOfTheName() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            _ = try await console.store.enroll(EnrollmentRequest(identities: [try .customer("B2")], profile: Profile(name: "Bob Annex")), key: nil)
            let browser = try await console.browser(.readOnly)
            for query in ["C/1 & <b>?#%", "ann.lee@example.COM", "+12125550100", "+1 212 555 0100", "customer:C/1 & <b>?#%", "\(ann.id)", "#\(ann.id)", "ann", "ANN L"] {
                let page = try await console.get("/console/members?q=" + ConsoleHarness.encode(query), as: browser)
                #expect(page.status == 200, "\(query)")
                #expect(page.text.contains("href=\"/console/members/\(ann.id)\""), "\(query) should find Ann")
                #expect(!page.text.contains("Bob Annex"), "\(query) should not find Bob")
            }
            // The identity is shown escaped, never as markup.
            let page = try await console.get("/console/members?q=C%2F1+%26+%3Cb%3E%3F%23%25", as: browser)
            #expect(page.text.contains("C/1 &amp; &lt;b&gt;?#%"))
            #expect(!page.text.contains("<b>?#%"))
            let bob = try await console.get("/console/members?q=bob", as: browser)
            #expect(bob.text.contains("Bob Annex"))
            let nobody = try await console.get("/console/members?q=nobody%40example.com", as: browser)
            #expect(nobody.status == 200)
            #expect(nobody.text.contains("No member matches."))
        }
    }

    @Test func anEmptySearchShowsTheFormAndAControlCharacterIsRefused() async throws {
        try await ConsoleHarness.run { console in
            let browser = try await console.browser(.service)
            let empty = try await console.get("/console/members", as: browser)
            #expect(empty.status == 200)
            #expect(empty.text.contains("name=\"q\""))
            #expect(!empty.text.contains("id=\"results\""))
            let bad = try await console.get("/console/members?q=a%00b", as: browser)
            #expect(bad.status == 400)
        }
    }

    // MARK: The member page

    @Test func theMemberPageShowsProfileIdentitiesConsentsLotsAndLedgerInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let browser = try await console.browser(.analyst)
            let page = try await console.get("/console/members/\(ann.id)", as: browser)
            #expect(page.status == 200)
            for text in ["Ann Lee", "ann.lee@example.com", "+12125550100", "C/1 &amp; &lt;b&gt;?#%", "welcome gift", "300 pts", "Open lots", "E-mail: <span class=\"badge on\">given", "Text messages (SMS): <span class=\"badge off\">refused"] {
                #expect(page.text.contains(text), "\(text)")
            }
            // The lot expires 18 months after it was credited (2026-03-02 in New York): at the start of 3 Sep 2027.
            #expect(page.text.contains("<td>3 Sep 2027, 00:00</td>"))
            // An analyst may export, not change or erase.
            #expect(page.text.contains("/console/members/\(ann.id)/export"))
            #expect(!page.text.contains("/console/members/\(ann.id)/adjust"))
            #expect(!page.text.contains("/console/members/\(ann.id)/erase"))
            let chinese = try await console.get("/console/members/\(ann.id)?lang=zh-Hans", as: browser)
            #expect(chinese.text.contains("积分流水"))
            #expect(chinese.text.contains("300 积分"))
            #expect(chinese.text.contains("2027年9月3日 00:00"))
        }
    }

    @Test func theLedgerIsPagedNewestFirst() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            for index in 1...60 {
                _ = try await console.store.adjust(
                    Adjustment(memberId: ann.id, points: Int64(index), reason: "entry \(index)", actor: "test", key: "page-\(index)", at: console.clock.now()))
            }
            let browser = try await console.browser(.readOnly)
            let first = try await console.get("/console/members/\(ann.id)", as: browser)
            #expect(first.text.contains("50 of 61 entries"))
            #expect(first.text.contains("entry 60"))
            #expect(!first.text.contains("entry 10<"))
            let older = try #require(first.text.range(of: #"/console/members/\d+\?before=\d+#ledger"#, options: .regularExpression))
            let next = try await console.get(String(first.text[older]).replacingOccurrences(of: "#ledger", with: ""), as: browser)
            #expect(next.status == 200)
            #expect(next.text.contains("entry 10<"))
            #expect(next.text.contains("welcome gift"))
            #expect(!next.text.contains("entry 60"))
            #expect(next.text.contains("11 of 61 entries"))
            #expect(!next.text.contains("?before="))
        }
    }

    @Test func anUnknownMemberIsA404() async throws {
        try await ConsoleHarness.run { console in
            let browser = try await console.browser(.owner)
            #expect(try await console.get("/console/members/999999", as: browser).status == 404)
            #expect(try await console.get("/console/members/abc", as: browser).status == 404)
            #expect(try await console.post("/console/members/999999/adjust", [("key", Tokens.random()), ("points", "5"), ("reason", "x")], as: browser).status == 404)
        }
    }

    // MARK: Adjust points

    @Test func adjustingPointsIsConfirmedAppliedOnceAuditedAndShownInTheLedger() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let browser = try await console.browser(.service)
            let form = try await console.get("/console/members/\(ann.id)/adjust", as: browser)
            #expect(form.status == 200)
            let key = try Self.key(form.text)
            let fields = [("key", key), ("points", "250"), ("reason", "late delivery")]
            // The first POST only shows what will happen.
            let confirm = try await console.post("/console/members/\(ann.id)/adjust", fields, as: browser)
            #expect(confirm.status == 200)
            #expect(confirm.text.contains("+250"))
            #expect(confirm.text.contains("300 pts → 550 pts"))
            #expect(confirm.text.contains("name=\"step\" value=\"apply\""))
            #expect(try await Self.balance(console, ann.id) == 300)
            // Confirmed: applied, audited with the account, back to the member page with the outcome.
            let applied = try await console.post("/console/members/\(ann.id)/adjust", fields + [("step", "apply")], as: browser)
            #expect(applied.status == 303)
            #expect(applied.location == "/console/members/\(ann.id)")
            #expect(try await Self.balance(console, ann.id) == 550)
            let records = try await Self.audit(console, ann.id).filter { $0.action == "member.adjust" }
            #expect(records.count == 1)
            #expect(records.first?.actor == "staff:service")
            #expect(records.first?.after?.contains("late delivery") == true)
            var after = browser
            if let notice = applied.cookie("patron_notice") { after.cookies["patron_notice"] = notice }
            let page = try await console.get("/console/members/\(ann.id)", as: after)
            #expect(page.text.contains("late delivery"))
            #expect(page.text.contains("+250"))
            #expect(page.text.contains("staff:service"))
            // The same form again changes nothing and says so.
            let again = try await console.post("/console/members/\(ann.id)/adjust", fields + [("step", "apply")], as: browser)
            #expect(again.status == 303)
            #expect(try await Self.balance(console, ann.id) == 550)
            #expect(try await Self.audit(console, ann.id).filter { $0.action == "member.adjust" }.count == 1)
            // The same key for another change is refused.
            let other = try await console.post(
                "/console/members/\(ann.id)/adjust", [("key", key), ("points", "999"), ("reason", "late delivery"), ("step", "apply")], as: browser)
            #expect(other.status == 409)
            #expect(try await Self.balance(console, ann.id) == 550)
        }
    }

    @Test(arguments: [
        ("abc", "late", "points", "Not a whole number."), ("0", "late", "points", "Must not be zero."), ("", "late", "points", "Required."),
        ("1.5", "late", "points", "Not a whole number."), ("50", "  ", "reason", "Required."), ("-5000", "too many", "points", "does not have that many"),
        ("2000000000", "late", "points", "At most 1,000,000,000"),
    ])
    func badAdjustmentsShowTheFormWithTheErrorAtItsFieldAndWriteNothing(points: String, reason: String, field: String, message: String) async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let browser = try await console.browser(.owner)
            let key = try Self.key(try await console.get("/console/members/\(ann.id)/adjust", as: browser).text)
            for step in [[], [("step", "apply")]] {
                let answer = try await console.post(
                    "/console/members/\(ann.id)/adjust", [("key", key), ("points", points), ("reason", reason)] + step, as: browser)
                #expect(answer.status == 400)
                #expect(answer.text.contains("id=\"\(field)-error\""))
                #expect(answer.text.contains(message))
                #expect(answer.text.contains("Nothing was changed"))
            }
            #expect(try await Self.balance(console, ann.id) == 300)
            #expect(try await Self.audit(console, ann.id).isEmpty)
        }
    }

    // MARK: Level override

    @Test func aLevelOverrideNeedsAKnownLevelAFutureDayAndAReason() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let browser = try await console.browser(.service)
            let form = try await console.get("/console/members/\(ann.id)/level", as: browser)
            #expect(form.text.contains("<option value=\"Gold\">Gold</option>"))
            let key = try Self.key(form.text)
            let bad: [([(String, String)], String)] = [
                ([("level", "Platinum"), ("until", "2026-12-31"), ("reason", "vip")], "level-error"),
                ([("level", "Gold"), ("until", "2026-03-02"), ("reason", "vip")], "until-error"),  // today in New York
                ([("level", "Gold"), ("until", "31/12/2026"), ("reason", "vip")], "until-error"),
                ([("level", "Gold"), ("until", "2026-12-31"), ("reason", "")], "reason-error"),
            ]
            for (fields, error) in bad {
                let answer = try await console.post("/console/members/\(ann.id)/level", [("key", key), ("step", "apply")] + fields, as: browser)
                #expect(answer.status == 400, "\(fields)")
                #expect(answer.text.contains("id=\"\(error)\""), "\(fields)")
            }
            #expect(try await console.store.member(id: ann.id)?.level.override == nil)
            let fields = [("key", key), ("level", "Gold"), ("until", "2026-12-31"), ("reason", "press partner")]
            let confirm = try await console.post("/console/members/\(ann.id)/level", fields, as: browser)
            #expect(confirm.status == 200)
            #expect(confirm.text.contains("31 Dec 2026"))
            #expect(try await console.store.member(id: ann.id)?.level.override == nil)
            let applied = try await console.post("/console/members/\(ann.id)/level", fields + [("step", "apply")], as: browser)
            #expect(applied.status == 303)
            let member = try #require(try await console.store.member(id: ann.id))
            #expect(member.level.override?.level == "Gold")
            #expect(member.level.effectiveLevel(at: console.clock.now()) == "Gold")
            // Ends at the start of that day in the shop's zone (New York, UTC-5 in December).
            #expect(member.level.override?.until == ISO8601DateFormatter().date(from: "2026-12-31T05:00:00Z"))
            _ = try await console.post("/console/members/\(ann.id)/level", fields + [("step", "apply")], as: browser)
            #expect(try await Self.audit(console, ann.id).filter { $0.action == "member.level" }.count == 1)
            let page = try await console.get("/console/members/\(ann.id)", as: browser)
            #expect(page.text.contains("press partner"))
        }
    }

    // MARK: Coupons

    @Test func grantingACouponIsConfirmedAndGivesOneCouponPerForm() async throws {
        try await ConsoleHarness.run { console in
            try await Self.loadCoupons(console)
            let ann = try await Self.ann(console)
            let browser = try await console.browser(.service)
            let form = try await console.get("/console/members/\(ann.id)/coupon", as: browser)
            #expect(form.text.contains("five-off"))
            #expect(!form.text.contains("value=\"mug\""))  // a gift is not a coupon
            let key = try Self.key(form.text)
            for reward in ["mug", "nothing", ""] {
                let bad = try await console.post("/console/members/\(ann.id)/coupon", [("key", key), ("reward", reward), ("step", "apply")], as: browser)
                #expect(bad.status == 400, "\(reward)")
                #expect(bad.text.contains("id=\"reward-error\""))
            }
            let confirm = try await console.post("/console/members/\(ann.id)/coupon", [("key", key), ("reward", "five-off")], as: browser)
            #expect(confirm.text.contains("5 dollars off (five-off)"))
            #expect(try await console.store.coupons(member: ann.id).isEmpty)
            for _ in 0..<2 {
                let applied = try await console.post("/console/members/\(ann.id)/coupon", [("key", key), ("reward", "five-off"), ("step", "apply")], as: browser)
                #expect(applied.status == 303)
            }
            let coupons = try await console.store.coupons(member: ann.id)
            #expect(coupons.count == 1)
            #expect(coupons.first?.points == 0)
            #expect(coupons.first?.rewardId == "five-off")
            #expect(try await Self.balance(console, ann.id) == 300)
            #expect(try await Self.audit(console, ann.id).filter { $0.action == "member.coupon" }.count == 1)
            let page = try await console.get("/console/members/\(ann.id)", as: browser)
            #expect(page.text.contains(try #require(coupons.first?.couponCode)))
        }
    }

    // MARK: Export and erase

    @Test func theExportIsAnAuditedJSONDownloadForRolesThatMayExport() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let analyst = try await console.browser(.analyst)
            #expect(try await console.get("/console/members/\(ann.id)/export", as: analyst).status == 200)
            let download = try await console.post("/console/members/\(ann.id)/export", as: analyst)
            #expect(download.status == 200)
            #expect(download.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"member-\(ann.id).json\"")
            let json = try JSONSerialization.jsonObject(with: Data(download.text.utf8)) as? [String: Any]
            #expect((json?["member"] as? [String: Any])?["id"] as? Int == Int(ann.id))
            #expect((json?["entries"] as? [Any])?.count == 1)
            let records = try await Self.audit(console, ann.id).filter { $0.action == "member.export" }
            #expect(records.map(\.actor) == ["staff:analyst"])
            let service = try await console.browser(.service)
            #expect(try await console.post("/console/members/\(ann.id)/export", as: service).status == 403)
        }
    }

    @Test func erasingNeedsTheTypedMemberIdAndReleasesTheIdentities() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let owner = try await console.browser(.owner)
            #expect(try await console.get("/console/members/\(ann.id)/erase", as: owner).status == 200)
            for typed in ["", "\(ann.id + 1)", "Ann Lee"] {
                let refused = try await console.post("/console/members/\(ann.id)/erase", [("confirm", typed)], as: owner)
                #expect(refused.status == 400)
                #expect(refused.text.contains("id=\"confirm-error\""))
            }
            #expect(try await console.store.member(id: ann.id)?.isErased == false)
            let erased = try await console.post("/console/members/\(ann.id)/erase", [("confirm", " \(ann.id) ")], as: owner)
            #expect(erased.status == 303)
            let member = try #require(try await console.store.member(id: ann.id))
            #expect(member.isErased)
            #expect(member.identities.isEmpty)
            #expect(member.balances.active == 300)
            #expect(try await Self.audit(console, ann.id).filter { $0.action == "member.erase" }.map(\.actor) == ["staff:owner"])
            // Again: nothing more, and no more actions offered.
            let again = try await console.post("/console/members/\(ann.id)/erase", [("confirm", "\(ann.id)")], as: owner)
            #expect(again.status == 303)
            #expect(try await Self.audit(console, ann.id).filter { $0.action == "member.erase" }.count == 1)
            let page = try await console.get("/console/members/\(ann.id)", as: owner)
            #expect(!page.text.contains("/console/members/\(ann.id)/adjust"))
            #expect(try await console.get("/console/members/\(ann.id)/adjust", as: owner).status == 409)
            let search = try await console.get("/console/members?q=ann.lee%40example.com", as: owner)
            #expect(search.text.contains("No member matches."))
        }
    }

    // MARK: Roles and tokens

    @Test func rolesWithoutThePermissionAndPostsWithoutTheTokenChangeNothing() async throws {
        try await ConsoleHarness.run { console in
            let ann = try await Self.ann(console)
            let fields = [("key", Tokens.random()), ("points", "100"), ("reason", "x"), ("step", "apply")]
            for role in [StaffRole.readOnly, .analyst, .marketer] {
                let browser = try await console.browser(role)
                #expect(try await console.post("/console/members/\(ann.id)/adjust", fields, as: browser).status == 403, "\(role)")
                #expect(try await console.post("/console/members/\(ann.id)/erase", [("confirm", "\(ann.id)")], as: browser).status == 403, "\(role)")
            }
            let service = try await console.browser(.service)
            #expect(try await console.post("/console/members/\(ann.id)/adjust", fields, as: service, csrf: .some(nil)).status == 403)
            #expect(try await console.post("/console/members/\(ann.id)/erase", [("confirm", "\(ann.id)")], as: service).status == 403)
            #expect(try await Self.balance(console, ann.id) == 300)
            #expect(try await console.store.member(id: ann.id)?.isErased == false)
            #expect(try await Self.audit(console, ann.id).isEmpty)
        }
    }
}
