import Foundation
import HTTPTypes
import PatronCore
import PatronFiles
import PatronServices
import PatronStore
import Testing
import PatronTestSupport

@testable import PatronConsole

/// The member zone over HTTP: signing in by a signed link, the pages, redemption, consents and the export, and that
/// a member's pages only ever show that member. Runs on SQLite, and on PostgreSQL with `PATRON_TEST_BACKEND=postgres`.
@Suite struct MemberZoneTests {
    /// gold-club.yaml with a small reward catalogue (one name carries markup, to prove it is escaped).
    static let rewards = """

        rewards:
          - { id: coupon-5, name: "Five off <script>alert(1)</script>", kind: coupon, cost: 500, coupon: { value: "5.00", validDays: 30 }, limit: { perMonth: 3 } }
          - { id: mug, name: Northwind mug, kind: gift, cost: 800, stock: 1 }
          - { id: machine, name: Espresso machine, kind: gift, cost: 100000 }
        """

    /// Two members: Ann (customer A1) with 1,500 active points, a pending order and a level; Bob (customer B2) with
    /// 40 points. Returns their ids.
    static func setUp(_ console: ConsoleHarness) async throws -> (ann: Int64, bob: Int64) {
        let text = try String(contentsOfFile: "examples/programs/gold-club.yaml", encoding: .utf8) + rewards
        _ = try await console.store.loadProgram(try ProgramFile.parse(text), source: text)
        let ann = try await console.store.enroll(
            EnrollmentRequest(identities: [try Identity.customer("A1"), try Identity(kind: "email", value: "ann@example.com")],
                              profile: Profile(name: "Ann <b>Lee</b>", consents: ["email": true])), key: nil)
        let bob = try await console.store.enroll(EnrollmentRequest(identities: [try Identity.customer("B2")], profile: Profile(name: "Bob Secret")), key: nil)
        let now = console.clock.now()
        _ = try await console.store.adjust(Adjustment(memberId: ann.id, points: 1_500, reason: "welcome gift", actor: "test", key: "a1", at: now))
        _ = try await console.store.adjust(Adjustment(memberId: bob.id, points: 40, reason: "bob's points", actor: "test", key: "b1", at: now))
        let order = Order(id: "A-17", member: try Identity.customer("A1"), lines: [OrderLine(sku: "TEA", quantity: 1, unitPrice: 12_000)])
        let results = await console.store.apply(
            [.placed(order, at: now.addingTimeInterval(-86_400)), .completed("A-17", at: now.addingTimeInterval(-3_600))], options: ApplyOptions())
        for result in results { _ = try result.get() }
        return (ann.id, bob.id)
    }

    /// A link for `identity` minted at the console's clock with the harness secret.
    static func link(_ console: ConsoleHarness, _ identity: String, minutes: Int = 10, nonce: String? = nil) throws -> String {
        let identity = try Identity(reference: identity)
        let link = try nonce.map {
            try MemberLink.mint(identity: identity, lifetime: .seconds(minutes * 60), now: console.clock.now(), nonce: $0, secret: console.configuration.memberLinkSecret)
        } ?? MemberLink.mint(identity: identity, lifetime: .seconds(minutes * 60), now: console.clock.now(), secret: console.configuration.memberLinkSecret)
        return link.url(baseURL: "")
    }

    /// Follows a sign-in link and returns the browser it signed in (or nil) with the answer.
    static func signIn(_ console: ConsoleHarness, _ url: String) async throws -> (ConsoleHarness.Answer, ConsoleHarness.Browser?) {
        let answer = try await console.get(url)
        guard let value = answer.cookie(MemberSessions.cookieName), !value.isEmpty else { return (answer, nil) }
        let sessions = MemberSessions(secret: console.configuration.memberLinkSecret, lifetime: console.configuration.memberSessionLifetime)
        let csrf = try #require(sessions.read(value, now: console.clock.now())).csrfToken
        return (answer, ConsoleHarness.Browser(cookies: [MemberSessions.cookieName: value], csrf: csrf))
    }

    @Test func aSignedLinkStartsASessionThatShowsTheMembersPoints() async throws {
        try await ConsoleHarness.run { console in
            _ = try await Self.setUp(console)
            let (answer, signedIn) = try await Self.signIn(console, try Self.link(console, "customer:A1"))
            let browser = try #require(signedIn)
            #expect(answer.status == 303)
            #expect(answer.location == "/member/")
            let header = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix(MemberSessions.cookieName + "=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            let home = try await console.get("/member/", as: browser)
            #expect(home.status == 200)
            #expect(home.text.contains("1,500 pts"))
            #expect(home.text.contains("Ann &lt;b&gt;Lee&lt;/b&gt;"))
            #expect(!home.text.contains("<b>Lee</b>"))
            // The pending order (120 points and the 50-point welcome bonus) and the day its points become active:
            // completed on 2 March in New York, 30 days pending.
            #expect(home.text.contains("A-17"))
            #expect(home.text.contains("<strong>170 pts</strong> · order A-17 · ready on 1 Apr 2026"))
            #expect(home.text.contains("$130.00 more to reach Silver"))
            #expect(home.text.contains("Bronze"))
            #expect(home.text.contains("more to reach Silver"))
        }
    }

    @Test func aLinkWorksOnce() async throws {
        try await ConsoleHarness.run { console in
            _ = try await Self.setUp(console)
            let url = try Self.link(console, "customer:A1")
            let (first, browser) = try await Self.signIn(console, url)
            #expect(first.status == 303)
            #expect(browser != nil)
            let (again, second) = try await Self.signIn(console, url)
            #expect(again.status == 403)
            #expect(again.text.contains("already been used"))
            #expect(second == nil)
        }
    }

    @Test func tamperedExpiredOverlongAndForeignLinksAreRefusedWithoutASession() async throws {
        try await ConsoleHarness.run { console in
            _ = try await Self.setUp(console)
            // Another member's identity under the first member's signature.
            let tampered = try Self.link(console, "customer:A1").replacingOccurrences(of: "customer%3AA1", with: "customer%3AB2")
            let (t, tb) = try await Self.signIn(console, tampered)
            #expect(t.status == 403)
            #expect(t.text.contains("was changed or not issued by the shop"))
            #expect(tb == nil)
            // Signed with another secret.
            let foreign = try MemberLink.mint(
                identity: try Identity.customer("A1"), lifetime: .seconds(600), now: console.clock.now(), secret: Array(repeating: 9, count: 32))
            let (f, fb) = try await Self.signIn(console, foreign.url(baseURL: ""))
            #expect(f.status == 403)
            #expect(fb == nil)
            // Expired: minted, then the clock moves past its end.
            let old = try Self.link(console, "customer:A1", minutes: 5)
            console.clock.advance(seconds: 301)
            let (e, eb) = try await Self.signIn(console, old)
            #expect(e.status == 403)
            #expect(e.text.contains("expired"))
            #expect(eb == nil)
            // An expiry further ahead than 15 minutes, correctly signed (as a shop's backend could mint by mistake).
            let expires = Int64(console.clock.now().timeIntervalSince1970) + 3_600
            let nonce = "0123456789abcdef0123"
            let signature = MemberLink.sign(
                MemberLink.message(identity: try Identity.customer("A1"), expires: expires, nonce: nonce), secret: console.configuration.memberLinkSecret)
            let (l, lb) = try await Self.signIn(
                console, "/member/sign-in?identity=customer%3AA1&expires=\(expires)&nonce=\(nonce)&signature=\(signature)")
            #expect(l.status == 403)
            #expect(l.text.contains("valid for too long"))
            #expect(lb == nil)
            // Missing fields.
            let (m, mb) = try await Self.signIn(console, "/member/sign-in?identity=customer%3AA1")
            #expect(m.status == 400)
            #expect(mb == nil)
            // A correctly signed link for nobody.
            let (u, ub) = try await Self.signIn(console, try Self.link(console, "customer:NOBODY"))
            #expect(u.status == 403)
            #expect(u.text.contains("does not belong to a member"))
            #expect(ub == nil)
        }
    }

    @Test func aLinkMintedWithOpensslIsAccepted() async throws {
        try await ConsoleHarness.run(configure: { $0.memberLinkSecret = Array("a-shop-secret-of-at-least-32-bytes!!".utf8) }) { console in
            _ = try await Self.setUp(console)
            // The recipe in docs/console.md, run by a shell.
            let expires = Int64(console.clock.now().timeIntervalSince1970) + 600
            let script = """
                identity='customer:A1'; expires=\(expires); nonce=$(openssl rand -hex 16)
                signature=$(printf '%s\\n%s\\n%s' "$identity" "$expires" "$nonce" | openssl dgst -sha256 -hmac "$PATRON_MEMBER_LINK_SECRET" -r | cut -d' ' -f1)
                printf '/member/sign-in?identity=%s&expires=%s&nonce=%s&signature=%s' customer%3AA1 "$expires" "$nonce" "$signature"
                """
            let process = ChildProcess()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = ["PATRON_MEMBER_LINK_SECRET": "a-shop-secret-of-at-least-32-bytes!!", "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            let url = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0)
            let (answer, browser) = try await Self.signIn(console, url)
            #expect(answer.status == 303)
            #expect(browser != nil)
        }
    }

    @Test func aMemberSessionOpensNoStaffPage() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let member = console.memberBrowser(ann)
            let paths = Self.staffPages(console.routes)
            #expect(!paths.isEmpty)
            for path in paths {
                let answer = try await console.get(path, as: member)
                #expect(answer.status == 303 || answer.status == 401 || answer.status == 403, "\(path) answered \(answer.status)")
            }
        }
    }

    @Test func redeemingAfterConfirmationDropsTheBalanceAndASecondSubmissionRedeemsOnce() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let browser = console.memberBrowser(ann)
            let list = try await console.get("/member/rewards", as: browser)
            #expect(list.status == 200)
            #expect(list.text.contains("Five off &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!list.text.contains("<script>alert(1)"))
            #expect(list.text.contains("98,500 pts more needed"))  // the espresso machine
            let confirm = try await console.get("/member/rewards/coupon-5", as: browser)
            #expect(confirm.status == 200)
            #expect(confirm.text.contains("1,000 pts"))  // left afterwards
            let key = try #require(Self.field("key", in: confirm.text))
            // Without the confirmation box nothing happens.
            let unconfirmed = try await console.post("/member/rewards/coupon-5", [("key", key)], as: browser)
            #expect(unconfirmed.status == 400)
            #expect(try await console.store.member(id: ann)!.balances.active == 1_500)
            let first = try await console.post("/member/rewards/coupon-5", [("key", key), ("confirm", "yes")], as: browser)
            #expect(first.status == 303)
            #expect(first.location == "/member/coupons")
            let second = try await console.post("/member/rewards/coupon-5", [("key", key), ("confirm", "yes")], as: browser)
            #expect(second.status == 303)
            #expect(try await console.store.member(id: ann)!.balances.active == 1_000)
            #expect(try await console.store.coupons(member: ann).count == 1)
            let coupons = try await console.get("/member/coupons", as: browser)
            #expect(coupons.text.contains(try await console.store.coupons(member: ann)[0].couponCode!))
            let history = try await console.get("/member/history", as: browser)
            #expect(history.text.contains("Spent 500 pts on Five off &lt;script&gt;"))
            #expect(history.text.contains("170 pts pending for order A-17"))
            #expect(history.text.contains("The shop added 1,500 pts: welcome gift"))
        }
    }

    @Test func redemptionRespectsStockAndTheBalance() async throws {
        try await ConsoleHarness.run { console in
            let (ann, bob) = try await Self.setUp(console)
            let browser = console.memberBrowser(ann)
            let key1 = String(repeating: "a", count: 32)
            let key2 = String(repeating: "b", count: 32)
            let mug = try await console.post("/member/rewards/mug", [("key", key1), ("confirm", "yes")], as: browser)
            #expect(mug.status == 303)
            // One mug in stock: the second is refused, and the balance keeps the first redemption only.
            let again = try await console.post("/member/rewards/mug", [("key", key2), ("confirm", "yes")], as: browser)
            #expect(again.status == 409)
            #expect(again.text.contains("out of stock"))
            #expect(try await console.store.member(id: ann)!.balances.active == 700)
            // Bob's 40 points do not buy a 500-point coupon.
            let poor = try await console.post("/member/rewards/coupon-5", [("key", key1), ("confirm", "yes")], as: console.memberBrowser(bob))
            #expect(poor.status == 409)
            #expect(poor.text.contains("not have enough points"))
            #expect(try await console.store.member(id: bob)!.balances.active == 40)
        }
    }

    @Test func aMembersLimitOnARewardIsKept() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            _ = try await console.store.adjust(Adjustment(memberId: ann, points: 1_000, reason: "more", actor: "test", key: "a2", at: console.clock.now()))
            let browser = console.memberBrowser(ann)
            // coupon-5 may be redeemed three times a month.
            for key in ["1", "2", "3"] {
                let answer = try await console.post("/member/rewards/coupon-5", [("key", String(repeating: key, count: 32)), ("confirm", "yes")], as: browser)
                #expect(answer.status == 303)
            }
            let fourth = try await console.post("/member/rewards/coupon-5", [("key", String(repeating: "4", count: 32)), ("confirm", "yes")], as: browser)
            #expect(fourth.status == 409)
            #expect(fourth.text.contains("as often as allowed"))
            #expect(try await console.store.member(id: ann)!.balances.active == 1_000)
        }
    }

    @Test func anErasedMembersSessionShowsNothingOfThem() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let browser = console.memberBrowser(ann)
            _ = try await console.store.eraseMember(id: ann, at: console.clock.now())
            for path in ["/member/", "/member/rewards", "/member/rewards/coupon-5", "/member/coupons", "/member/history", "/member/handbook",
                         "/member/preferences", "/member/export"] {
                let answer = try await console.get(path, as: browser)
                #expect(answer.status == 403, "\(path)")
                #expect(answer.text.contains("This membership has been closed."), "\(path)")
            }
            let redeem = try await console.post("/member/rewards/coupon-5", [("key", String(repeating: "e", count: 32)), ("confirm", "yes")], as: browser)
            #expect(redeem.status == 403)
            // Its identities are released: a link for them finds no member.
            let (link, signedIn) = try await Self.signIn(console, try Self.link(console, "customer:A1"))
            #expect(link.status == 403)
            #expect(signedIn == nil)
        }
    }

    @Test func aPostWithoutTheSessionsTokenChangesNothing() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let browser = console.memberBrowser(ann)
            let key = String(repeating: "c", count: 32)
            let noToken = try await console.post("/member/rewards/coupon-5", [("key", key), ("confirm", "yes")], as: browser, csrf: .some(nil))
            #expect(noToken.status == 403)
            let wrong = try await console.post("/member/preferences", [("consent", "sms")], as: browser, csrf: "not-the-token")
            #expect(wrong.status == 403)
            let member = try #require(try await console.store.member(id: ann))
            #expect(member.balances.active == 1_500)
            #expect(member.profile.consents == ["email": true])
        }
    }

    @Test func consentsChangeWithTheirTimeAndSourceInTheAuditTrail() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let browser = console.memberBrowser(ann)
            let page = try await console.get("/member/preferences", as: browser)
            #expect(page.text.contains("value=\"email\" checked"))
            #expect(page.text.contains("value=\"sms\">"))
            let saved = try await console.post("/member/preferences", [("consent", "sms")], as: browser)
            #expect(saved.status == 303)
            let member = try #require(try await console.store.member(id: ann))
            #expect(member.profile.consents == ["email": false, "sms": true])
            let record = try #require(try await console.store.auditLog(after: 0, limit: 100, subject: "member:\(ann)").last)
            #expect(record.action == "member.consents")
            #expect(record.actor == "member:\(ann)")
            #expect(record.at == console.clock.now())
            #expect(record.after?.contains("member zone") == true)
            // A channel the page does not offer is refused, naming it, and changes nothing.
            let odd = try await console.post("/member/preferences", [("consent", "fax")], as: browser)
            #expect(odd.status == 400)
            #expect(odd.text.contains("fax"))
            #expect(try await console.store.member(id: ann)!.profile.consents == ["email": false, "sms": true])
        }
    }

    @Test func theExportIsTheMembersOwnJSON() async throws {
        try await ConsoleHarness.run { console in
            let (ann, bob) = try await Self.setUp(console)
            let answer = try await console.get("/member/export", as: console.memberBrowser(ann))
            #expect(answer.status == 200)
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(answer.headers[.contentDisposition]?.contains("attachment") == true)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [String: Any])
            let member = try #require(json["member"] as? [String: Any])
            #expect((member["id"] as? Int).map(Int64.init) == ann)
            #expect(!answer.text.contains("Bob Secret"))
            #expect(!answer.text.contains("\"id\" : \(bob),"))
        }
    }

    @Test func theHandbookExplainsTheProgrammeInBothLanguages() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let english = try await console.get("/member/handbook?lang=en", as: console.memberBrowser(ann))
            #expect(english.status == 200)
            #expect(english.text.contains("Northwind Gold Club"))
            #expect(english.text.contains("Diamond"))
            #expect(english.text.contains("How the programme works"))
            let chinese = try await console.get("/member/handbook?lang=zh-Hans", as: console.memberBrowser(ann))
            #expect(chinese.status == 200)
            #expect(chinese.text.contains("会员手册"))
            #expect(chinese.text.contains("Diamond"))
        }
    }

    @Test(arguments: ["/member/", "/member/rewards", "/member/rewards/coupon-5", "/member/coupons", "/member/history", "/member/handbook", "/member/preferences"])
    func everyPageRendersInChineseWithoutMissingStrings(path: String) async throws {
        try await ConsoleHarness.run { console in
            // Ann also has a review's points, a campaign's and a birthday gift: reasons the system records in its own codes.
            let ann = try await ReasonTextTests.shop(console)
            let page = try await console.get(path + "?lang=zh-Hans", as: console.memberBrowser(ann))
            #expect(page.status == 200)
            #expect(page.text.contains("lang=\"zh-Hans\""))
            #expect(!page.text.contains("member."), "a string key shows on \(path)")
            #expect(page.text.contains("我的会员"))
            // No word in Latin letters but the shop's own data: the programme's, levels' and rewards' names, the
            // member's, the reason a person wrote ("welcome gift"), the currency's "US$", the language switch's
            // "English", and the two words a Chinese page keeps in Latin letters ("App 推送", "JSON 文件"). The handbook
            // is left out: it quotes the programme file's rule and activity names, which are the shop's.
            if path != "/member/handbook" {
                let data: Set<String> = [
                    "English", "US", "App", "JSON", "welcome", "gift", "Northwind", "Gold", "Club", "Bronze", "Silver", "Diamond", "Five",
                    "off", "script", "alert", "mug", "Espresso", "machine", "Ann", "Lee",
                ]
                #expect(ReasonTextTests.latinWords(page.text).subtracting(data).sorted() == [], "\(path)")
            }
        }
    }

    @Test func aMembersPagesShowOnlyThatMemberWhateverTheURLOrFormSays() async throws {
        try await ConsoleHarness.run { console in
            let (ann, bob) = try await Self.setUp(console)
            let browser = console.memberBrowser(ann)
            // Other members' ids and identities in every query string: each page still shows Ann, never Bob.
            let tries = ["member=\(bob)", "id=\(bob)", "memberId=\(bob)", "identity=customer%3AB2", "member=customer%3AB2"]
            for path in ["/member/", "/member/rewards", "/member/coupons", "/member/history", "/member/preferences", "/member/export"] {
                for query in tries {
                    let page = try await console.get("\(path)?\(query)", as: browser)
                    #expect(page.status == 200, "\(path)?\(query)")
                    #expect(!page.text.contains("Bob Secret"), "\(path)?\(query)")
                    #expect(!page.text.contains("bob&#39;s points") && !page.text.contains("bob's points"), "\(path)?\(query)")
                }
            }
            // Other members named in forms: the action applies to Ann alone.
            let key = String(repeating: "d", count: 32)
            let redeemed = try await console.post(
                "/member/rewards/coupon-5", [("key", key), ("confirm", "yes"), ("member", "\(bob)"), ("memberId", "\(bob)"), ("identity", "customer:B2")],
                as: browser)
            #expect(redeemed.status == 303)
            #expect(try await console.store.member(id: ann)!.balances.active == 1_000)
            #expect(try await console.store.member(id: bob)!.balances.active == 40)
            _ = try await console.post("/member/preferences", [("consent", "push"), ("member", "\(bob)"), ("id", "\(bob)")], as: browser)
            #expect(try await console.store.member(id: bob)!.profile.consents.isEmpty)
            // A session cookie naming Bob but signed for Ann's session does not exist: an altered cookie opens nothing.
            var altered = browser
            altered.cookies[MemberSessions.cookieName] = browser.cookies[MemberSessions.cookieName]!.replacingOccurrences(of: "\(ann).", with: "\(bob).")
            let refused = try await console.get("/member/", as: altered)
            #expect(refused.status == 401)
            #expect(!refused.text.contains("Bob Secret"))
        }
    }

    @Test func signingOutEndsTheMembersSessionInTheBrowser() async throws {
        try await ConsoleHarness.run { console in
            let (ann, _) = try await Self.setUp(console)
            let out = try await console.post("/member/sign-out", as: console.memberBrowser(ann))
            #expect(out.status == 303)
            #expect(out.location == "/member/signed-out")
            #expect(out.cookie(MemberSessions.cookieName) == "")
            let signedOut = try await console.get("/member/")
            #expect(signedOut.status == 401)
        }
    }

    /// Every staff page a GET reaches without a placeholder, but the sign-in page and the assets.
    static func staffPages(_ routes: [ConsoleRoute]) -> [String] {
        routes.filter { route in
            guard case .staff = route.access, route.method == .get else { return false }
            return !route.path.contains("{")
        }.map(\.path)
    }

    /// The value of the hidden field `name` in `html`.
    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
