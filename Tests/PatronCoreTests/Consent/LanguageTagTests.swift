import Foundation
import Testing

@testable import PatronCore

/// The profile's locale: BCP-47 tags of language, script, region and variants, in their canonical case.
@Suite struct LanguageTagTests {
    @Test(arguments: [
        ("en", "en"), ("zh-Hans", "zh-Hans"), ("zh-hans-cn", "zh-Hans-CN"), ("PT-br", "pt-BR"), ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"), ("sl-rozaj-biske", "sl-rozaj-biske"), ("yue-Hant-HK", "yue-Hant-HK"),
    ])
    func aTagIsReadInItsCanonicalCase(text: String, canonical: String) throws {
        #expect(try LanguageTag.canonical(text, field: "locale") == canonical)
    }

    @Test(arguments: ["", "e", "english", "zh_CN", "zh-", "-en", "en--US", "not-a-match", "en-US-x-private", "zh-Hans-CN-a", "中文", "en US"])
    func anythingElseIsRefusedNamingTheField(text: String) {
        #expect { try LanguageTag.canonical(text, field: "profile.locale") } throws: { error in
            let error = error as? PatronError
            return error?.code == .invalidInput && error?.message.hasPrefix("profile.locale: ") == true
        }
    }

    @Test func aTagLongerThan35CharactersIsRefused() {
        #expect(LanguageTag.canonical("en-" + Array(repeating: "abcdefgh", count: 4).joined(separator: "-")) == nil)
        #expect(LanguageTag.canonical("en-abcdefgh-abcdefgh-abcdefgh") != nil)
    }

    @Test func lookupFallsBackFromTheMostSpecificTag() {
        #expect(LanguageTag.fallbacks("zh-Hans-CN") == ["zh-Hans-CN", "zh-Hans", "zh"])
        #expect(LanguageTag.fallbacks("en") == ["en"])
    }

    @Test func aProfileOrAnUpdateWithABadLocaleIsRefusedAndAGoodOneIsStoredCanonically() throws {
        #expect { try Profile(locale: "zh_CN").validate() } throws: { ($0 as? PatronError)?.message.hasPrefix("profile.locale:") == true }
        #expect { try ProfileUpdate(locale: "zh_CN").validate() } throws: { ($0 as? PatronError)?.message.hasPrefix("locale:") == true }
        try ProfileUpdate(locale: "zh-hans").validate()
        #expect(ProfileUpdate(locale: "zh-hans").applied(to: Profile()).locale == "zh-Hans")
        #expect(ProfileUpdate(name: "Ann").applied(to: Profile(locale: "en")).locale == "en")
    }
}
