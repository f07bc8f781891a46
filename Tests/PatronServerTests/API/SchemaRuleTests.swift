import Foundation
import PatronCore
@testable import PatronServer
import Testing
import Yams

/// The limits a schema states hold the same whether a number is read as a plain integer or as a decimal, and patterns
/// compiled once match as before.
@Suite struct SchemaRuleTests {
    static let quantity = try! SchemaRule(["type": "integer", "minimum": 1, "maximum": 1_000_000], components: [:])
    static let amount = try! SchemaRule(["type": "number", "minimum": 0.5, "maximum": 10], components: [:])
    static let unbounded = try! SchemaRule(["type": "integer", "format": "int64"], components: [:])

    @Test(arguments: [
        ("1", nil), ("1000000", nil), ("0", "must be at least 1 (is 0)"), ("-0", "must be at least 1 (is -0)"), ("007", nil),
        ("1000001", "must be at most 1000000 (is 1000001)"), ("-12", "must be at least 1 (is -12)"),
        ("999999999999999999", "must be at most 1000000 (is 999999999999999999)"),
        ("9999999999999999999", "out of range (must be between -9223372036854775808 and 9223372036854775807)"),
        ("5.5", "must be a whole number"), ("1e3", "must be a whole number written without a fraction or exponent"),
    ] as [(String, String?)])
    func integersAreCheckedAgainstTheirBounds(text: String, problem: String?) {
        #expect(Self.quantity.numberProblem(text) == problem)
    }

    @Test func fractionalBoundsAndUnboundedIntegersKeepTheirRules() {
        #expect(Self.amount.numberProblem("0") == "must be at least 0.5 (is 0)")
        #expect(Self.amount.numberProblem("1") == nil)
        #expect(Self.amount.numberProblem("11") == "must be at most 10 (is 11)")
        #expect(Self.unbounded.numberProblem("-999999999999999999") == nil)
        #expect(Self.unbounded.numberProblem("9223372036854775807") == nil)
        #expect(Self.unbounded.numberProblem("9223372036854775808") != nil)
    }

    /// Lengths are code points, not bytes: "é" is two bytes and one character, "😀" four and one.
    @Test(arguments: [
        ("ééé", nil), ("😀😀😀", nil), ("abc", nil), ("éééé", "must be at most 3 characters long (is 4)"),
        ("é", "must be at least 2 characters long (is 1)"), ("éé", nil), ("", "must be at least 2 characters long (is 0)"),
    ] as [(String, String?)])
    func stringLengthsAreCountedInCodePoints(text: String, problem: String?) throws {
        let rule = try SchemaRule(["type": "string", "minLength": 2, "maxLength": 3], components: [:])
        #expect(rule.stringProblem(text) == problem)
        let required = try SchemaRule(["type": "string", "minLength": 1, "maxLength": 1], components: [:])
        #expect(required.stringProblem("😀") == nil)
        #expect(required.stringProblem("") == "must not be empty")
        #expect(required.stringProblem("😀😀") == "must be at most 1 characters long (is 2)")
    }

    /// Matching values are remembered; the answers stay the engine's, for values it has seen and past the memory's bound.
    @Test func aCompiledPatternAnswersTheSameFromMemory() throws {
        let pattern = try CompiledPattern("^(customer|email|social:\\S+)$")
        for _ in 0..<3 {
            #expect(pattern.matches("customer") && pattern.matches("social:wechat"))
            #expect(!pattern.matches("friend") && !pattern.matches("social:") && !pattern.matches("customers"))
        }
        let many = (0..<(CompiledPattern.remembered + 50)).map { "social:n\($0)" }
        #expect(many.allSatisfy(pattern.matches) && many.allSatisfy(pattern.matches))
        #expect(!pattern.matches("social:a b") && !pattern.matches(String(repeating: "x", count: 100)))
        #expect(pattern.matches("social:" + String(repeating: "x", count: 100)))
    }

    @Test func aMemberReferenceMatchesTheDocumentsPatternAsBefore() throws {
        let document = APIServer.requestRules.operations.first { $0.template == "/v1/members/{member}" && $0.method == .get }
        let rule = try #require(document?.parameters.first { $0.name == "member" }?.rule)
        for good in ["42", "customer:C-1", "email:ann@example.com", "social:wechat:o6_bmjr"] { #expect(rule.parameterProblem(good) == nil, "\(good)") }
        for bad in ["0", "friend:ann", "customer:", "social:we chat:x"] {
            #expect(rule.parameterProblem(bad)?.hasPrefix("must match") == true, "\(bad)")
            #expect(bad.range(of: rule.pattern!, options: .regularExpression) == nil, "\(bad)")
        }
    }

    /// A pattern is said with what it means, from the schema's description, and the document states the shapes the
    /// domain accepts: identity kinds, BCP-47 locales (as `LanguageTag` reads them), currencies, webhook URLs.
    @Test func patternsMatchWhatTheDomainAcceptsAndSayWhatTheyMean() throws {
        let schemas = try #require((try Yams.load(yaml: APIServer.document) as? [String: Any])?["components"] as? [String: Any])
        let components = try #require(schemas["schemas"] as? [String: Any])
        func rule(_ schema: String, _ field: String) throws -> SchemaRule {
            try #require(try SchemaRule(["$ref": "#/components/schemas/\(schema)"], components: components).properties[field])
        }
        let kind = try rule("Identity", "kind")
        #expect(kind.stringProblem("fax") == "must match \(kind.pattern!) (customer, email, phone, card, or social:NETWORK)")
        for good in ["customer", "email", "phone", "card", "social:wechat", "social:微信"] { #expect(kind.stringProblem(good) == nil, "\(good)") }
        let locale = try rule("Profile", "locale")
        for text in ["en", "zh-Hans", "zh-hans-cn", "pt-BR", "de-CH-1996", "es-419", "sl-rozaj-biske", "en-x-private", "e", "english", "zh_CN", "en-US-"] {
            #expect((locale.stringProblem(text) == nil) == (LanguageTag.canonical(text) != nil), "\(text)")
        }
        let currency = try rule("Order", "currency")
        #expect(currency.stringProblem("usd") == nil && currency.stringProblem("US1") != nil)
        let url = try rule("WebhookRequest", "url")
        for good in ["https://shop.example/hooks", "http://[::1]:8080/x?y=1", "HTTPS://a.example"] { #expect(url.stringProblem(good) == nil, "\(good)") }
        for bad in ["ftp://a.example", "https://", "https://a b.example/", "shop.example/hooks"] { #expect(url.stringProblem(bad) != nil, "\(bad)") }
    }
}
