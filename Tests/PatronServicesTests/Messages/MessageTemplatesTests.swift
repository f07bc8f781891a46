import Foundation
import PatronCore
import PatronStore
import Testing

@testable import PatronServices

/// Templates load whole or not at all, naming the file and line of the first problem; HTML escapes, text does not.
@Suite struct MessageTemplatesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/messages")

    func files(text: String, subject: String = "Hi {{member.name}}", html: String = "<p>{{member.name}}</p>") -> [String: [String: String]] {
        ["en": ["welcome.subject.mustache": subject, "welcome.text.mustache": text, "welcome.html.mustache": html]]
    }

    @Test func theExampleTemplatesLoadInEnglishAndChinese() throws {
        let templates = try MessageTemplates(folder: Self.examples, defaultLocale: "en")
        #expect(templates.locales == ["en", "zh-Hans"])
        #expect(templates.kinds(locale: "en") == templates.kinds(locale: "zh-Hans"))
        #expect(Set(templates.kinds(locale: "en")).isSuperset(of: [.welcome, .levelChanged, .rewardRedeemed, .pointsExpiring, .campaign]))
    }

    @Test func anUnknownFieldIsRefusedWithFileAndLine() throws {
        #expect {
            try MessageTemplates(files: files(text: "Hello\nyou have {{points.activ}} points"), defaultLocale: "en")
        } throws: { error in
            let text = "\(error)"
            return text.contains("templates/en/welcome.text.mustache:2") && text.contains("points.activ")
        }
    }

    @Test func aTemplateThatDoesNotParseIsRefusedWithFileAndLine() throws {
        #expect {
            try MessageTemplates(files: files(text: "one\ntwo\n{{#coupon}} never closed"), defaultLocale: "en")
        } throws: { error in "\(error)".contains("templates/en/welcome.text.mustache:") && "\(error)".contains("does not parse") }
    }

    @Test func aKindWithoutAllThreePartsIsRefused() throws {
        var files = files(text: "x")
        files["en"]!["welcome.html.mustache"] = nil
        #expect { try MessageTemplates(files: files, defaultLocale: "en") } throws: { "\($0)".contains("welcome.html.mustache") }
    }

    @Test func htmlEscapesValuesWhileSubjectAndTextKeepThem() throws {
        let templates = try MessageTemplates(files: files(text: "Dear {{member.name}}"), defaultLocale: "en")
        let rendered = try templates.render(.welcome, locale: nil, fields: ["member": ["name": "<b>Ann & Bo</b>"]])
        #expect(rendered.html == "<p>&lt;b&gt;Ann &amp; Bo&lt;/b&gt;</p>")
        #expect(rendered.text == "Dear <b>Ann & Bo</b>")
        #expect(rendered.subject == "Hi <b>Ann & Bo</b>")
    }

    @Test func aMemberLocaleWithoutTemplatesFallsBackToTheShops() throws {
        let templates = try MessageTemplates(folder: Self.examples, defaultLocale: "en")
        #expect(templates.locale(for: .welcome, wanted: "zh-Hans") == "zh-Hans")
        #expect(templates.locale(for: .welcome, wanted: "fr") == "en")
        #expect(templates.locale(for: .welcome, wanted: nil) == "en")
    }
}
