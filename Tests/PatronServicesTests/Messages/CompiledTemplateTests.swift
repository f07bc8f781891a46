import Foundation
import Mustache
import Testing

@testable import PatronServices

/// The compiled renderer writes exactly what swift-mustache writes: every example template in both languages, and
/// templates built to hit the rules — standalone lines, the context stack, dotted and leading-dot names, lists, flags,
/// empty text, inverted sections, escaping and the TEXT pragma.
@Suite struct CompiledTemplateTests {
    /// Field sets that open and close every section the examples have.
    static let fieldSets: [[String: MessageField]] = {
        let member: MessageField = ["id": "7", "name": "Ann <Lee> & \"Bo\" 's", "email": "ann@example.com", "phone": "", "enrolledOn": "2026-01-02", "birthday": "", "locale": "en"]
        let full: [String: MessageField] = [
            "shop": ["name": "Tea & Co", "currency": "CNY"], "member": member,
            "points": [
                "active": "1200", "pending": "30", "expiringTotal": "50", "nextExpiry": "2026-12-31",
                "expiring": [["points": "20", "date": "2026-12-31"], ["points": "30", "date": "2027-01-31"]],
            ],
            "level": ["name": "Gold", "since": "2026-01-01", "until": "2027-01-01"], "nextLevel": ["name": "Platinum", "gap": "120.50", "metric": "spend"],
            "change": ["from": "Silver", "to": "Gold", "up": true], "reward": ["id": "r1", "name": "Mug <big>", "points": "500", "status": "fulfilled"],
            "coupon": ["code": "SAVE-10", "validUntil": "2027-01-01"], "order": ["id": "A-1", "amount": "88.00", "points": "88"],
            "campaign": ["name": "Spring"], "signIn": ["code": "123456", "minutes": "15"],
            "ticket": ["number": "12", "subject": "Late <parcel>", "reply": "Sorry & thanks"],
            "links": ["unsubscribe": "https://shop.example/u?a=1&b=2", "preferences": "https://shop.example/p", "confirm": "https://shop.example/c"],
        ]
        var bare = full
        for key in ["nextLevel", "change", "reward", "coupon", "order", "campaign", "signIn", "ticket", "level"] { bare[key] = nil }
        bare["points"] = ["active": "0", "pending": "0", "expiringTotal": "0"]
        bare["links"] = .group([:])
        var down = full
        down["change"] = ["from": "Gold", "to": "Silver", "down": true]
        down["points"] = ["active": "5", "pending": "0", "expiringTotal": "0", "expiring": []]
        return [full, bare, down]
    }()

    func expectSame(_ source: String, _ fields: [String: MessageField], _ label: String) throws {
        let parsed = try MustacheTemplate(string: source)
        let compiled = try #require(CompiledTemplate(parsed), "\(label) compiles")
        #expect(compiled.render(fields) == parsed.render(MessageField.group(fields).mustacheValue), "\(label)")
    }

    @Test func everyExampleTemplateRendersAsSwiftMustacheDoes() throws {
        let root = MessageTemplatesTests.examples
        var checked = 0
        for locale in try FileManager.default.contentsOfDirectory(atPath: root.path) {
            for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(locale).path) where file.hasSuffix(".mustache") {
                let text = try String(contentsOf: root.appendingPathComponent(locale).appendingPathComponent(file), encoding: .utf8)
                let source = file.contains(".html.") ? text : "{{% CONTENT_TYPE: TEXT }}" + text
                for (index, fields) in Self.fieldSets.enumerated() {
                    try expectSame(source, fields, "\(locale)/\(file) with field set \(index)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 2 * 3 * 3 * 10)  // both languages, three parts, three field sets, at least ten kinds
    }

    @Test(arguments: [
        "{{#points.expiring}}\n  - {{points}} on {{date}} ({{member.name}})\n{{/points.expiring}}\ndone\n",
        "  {{#nextLevel}}  \n{{name}}: {{gap}}\n  {{/nextLevel}}  \nafter",
        "{{^nextLevel}}top level{{/nextLevel}}{{^points.expiring}}none{{/points.expiring}}{{^change.up}}not up{{/change.up}}",
        "{{#change}}{{from}}→{{to}}{{#up}} up{{/up}}{{#down}} down{{/down}}{{/change}}",
        "{{#member}}{{name}} {{.name}} {{.missing}} {{shop.name}}{{/member}}",
        "{{#member.phone}}[{{.}}]{{/member.phone}}{{#member.name}}<{{.}}>{{/member.name}}",
        "{{{member.name}}} {{&member.name}} {{member.name}} {{! a comment }}{{nothing.here}}{{change.up}}",
        "{{=<% %>=}}<% member.name %> <%# level %><% name %><%/ level %>",
        "{{% CONTENT_TYPE: TEXT }}{{member.name}} {{#points.expiring}}{{date}} {{/points.expiring}}",
        "{{#links}}{{#preferences}}{{preferences}}{{/preferences}}{{/links}}\r\n  {{#coupon}}\r\n{{code}}\r\n  {{/coupon}}\r\nend",
        "{{#points}}{{#expiring}}{{points}}+{{/expiring}}={{expiringTotal}} {{active}}{{/points}}",
    ])
    func templatesBuiltToHitTheRulesRenderAsSwiftMustacheDoes(source: String) throws {
        for (index, fields) in Self.fieldSets.enumerated() {
            try expectSame(source, fields, "\(source.debugDescription) with field set \(index)")
        }
    }

    @Test func aTemplateWithTokensItDoesNotKnowIsLeftToSwiftMustache() throws {
        #expect(CompiledTemplate(try MustacheTemplate(string: "{{> footer}}")) == nil)
        #expect(CompiledTemplate(try MustacheTemplate(string: "{{uppercased(member.name)}}")) == nil)
        let templates = try MessageTemplates(
            files: ["en": ["welcome.subject.mustache": "Hi", "welcome.text.mustache": "{{member.name}}", "welcome.html.mustache": "<p>{{member.name}}</p>"]],
            defaultLocale: "en")
        #expect(try templates.render(.welcome, locale: nil, fields: ["member": ["name": "A&B"]]).html == "<p>A&amp;B</p>")
    }
}
