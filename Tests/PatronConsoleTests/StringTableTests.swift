import Foundation
import Testing

@testable import PatronConsole

/// The string tables: both languages have the same keys, and every `{{t.…}}` a template uses exists.
@Suite struct StringTableTests {
    static func folder(_ name: String) throws -> URL { try #require(Bundle.module(for: name)) }

    @Test func bothLanguagesHaveTheSameKeys() throws {
        let strings = try StringTable.load()
        let english = Set(strings.table(.english).keys)
        let chinese = Set(strings.table(.simplifiedChinese).keys)
        #expect(english.count > 40)
        #expect(english.subtracting(chinese).sorted() == [], "missing in zh-Hans")
        #expect(chinese.subtracting(english).sorted() == [], "missing in en")
        for (key, text) in strings.table(.simplifiedChinese) { #expect(!text.isEmpty, "\(key) is empty in zh-Hans") }
        for (key, text) in strings.table(.english) { #expect(!text.isEmpty, "\(key) is empty in en") }
    }

    @Test func everyStringATemplateUsesExists() throws {
        let strings = try StringTable.load()
        let templates = try #require(Bundle.module(for: "Templates"))
        let files = FileManager.default.enumerator(at: templates, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter {
            $0.pathExtension == "mustache"
        }
        #expect(files.count >= 6)
        let pattern = try Regex(#"\{\{\s*[#^/]?\s*t\.([A-Za-z0-9_.\-]+)\s*\}\}"#)
        var used = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                let key = String(text[match.range]).replacingOccurrences(of: #"^\{\{\s*[#^/]?\s*t\."#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"\s*\}\}$"#, with: "", options: .regularExpression)
                used += 1
                for language in ConsoleLanguage.allCases {
                    #expect(strings.table(language)[key] != nil, "\(file.lastPathComponent) uses t.\(key), missing in \(language.rawValue)")
                }
            }
        }
        #expect(used > 20)
    }

    @Test func everyNavigationAndRoleLabelExists() throws {
        let strings = try StringTable.load()
        let keys = Navigation.entries.map(\.labelKey) + StaffRole.allCases.map { "kit.role.\($0.rawValue)" }
            + StaffPermission.allCases.map { "kit.permission.\($0.rawValue)" }
        for key in keys {
            for language in ConsoleLanguage.allCases { #expect(strings.table(language)[key] != nil, "\(key) in \(language.rawValue)") }
        }
    }

    @Test func languagesAreChosenByQueryThenCookieThenAcceptLanguage() {
        #expect(ConsoleLanguage.fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8") == .simplifiedChinese)
        #expect(ConsoleLanguage.fromAcceptLanguage("en-GB,en;q=0.9,zh;q=0.8") == .english)
        #expect(ConsoleLanguage.fromAcceptLanguage("fr-FR,zh-Hans;q=0.5") == .simplifiedChinese)
        #expect(ConsoleLanguage.fromAcceptLanguage("zh-TW") == .english, "traditional Chinese is not ours")
        #expect(ConsoleLanguage.fromAcceptLanguage(nil) == .english)
    }

    @Test func theLanguageSwitchSetsACookieThatLaterPagesFollow() async throws {
        try await ConsoleHarness.run { console in
            let chosen = try await console.get("/console/sign-in?lang=zh-Hans", headers: [.acceptLanguage: "en"])
            #expect(chosen.text.contains("<html lang=\"zh-Hans\">"))
            #expect(chosen.text.contains("登录"))
            let cookie = try #require(chosen.cookie(ConsoleLanguage.cookieName))
            let later = try await console.get(
                "/console/sign-in", as: ConsoleHarness.Browser(cookies: [ConsoleLanguage.cookieName: cookie], csrf: ""), headers: [.acceptLanguage: "en"])
            #expect(later.text.contains("<html lang=\"zh-Hans\">"))
            let browserDefault = try await console.get("/console/sign-in", headers: [.acceptLanguage: "zh-CN,zh;q=0.9"])
            #expect(browserDefault.text.contains("<html lang=\"zh-Hans\">"))
        }
    }
}

extension Bundle {
    /// A resource folder of PatronConsole's bundle.
    static func module(for folder: String) -> URL? { PatronConsoleResources.url(folder) }
}
