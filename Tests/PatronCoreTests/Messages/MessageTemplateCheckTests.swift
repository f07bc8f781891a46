import Foundation
import PatronCore
import Testing

/// Message templates name only known fields; the check says which line is wrong.
@Suite struct MessageTemplateCheckTests {
    @Test func knownFieldsSectionsAndListItemsPass() {
        let template = """
            Hello {{member.name}}, {{{shop.name}}} {{&points.active}}
            {{#points.expiring}}{{points}} on {{date}}{{/points.expiring}}
            {{#coupon}}{{code}} until {{validUntil}}{{/coupon}}{{^coupon}}no coupon{{/coupon}}
            {{! a comment naming {{nothing}} }}
            """
        #expect(MessageTemplateCheck.problems(template).isEmpty)
    }

    @Test func anUnknownFieldIsReportedWithItsLine() {
        let problems = MessageTemplateCheck.problems("line one\nline two {{member.nmae}}\n{{points.active}}")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 2)
        #expect(problems.first?.message.contains("member.nmae") == true)
    }

    @Test func aListItemFieldIsUnknownOutsideItsSection() {
        let problems = MessageTemplateCheck.problems("{{#points.expiring}}{{date}}{{/points.expiring}}\n{{date}}")
        #expect(problems.map(\.line) == [2])
    }

    @Test func partialsAndUnbalancedClosingTagsAreRefused() {
        #expect(MessageTemplateCheck.problems("{{> footer}}").first?.message.contains("partials") == true)
        #expect(MessageTemplateCheck.problems("{{/coupon}}").first?.message.contains("not open") == true)
    }

    @Test func theSameCauseMakesTheSameKeyAndOthersDiffer() {
        let a = MessageKey(kind: .rewardRedeemed, member: 7, cause: #"{"redemption_id":1}"#, channel: .email)
        let b = MessageKey(kind: .rewardRedeemed, member: 7, cause: #"{"redemption_id":1}"#, channel: .email)
        let c = MessageKey(kind: .rewardRedeemed, member: 7, cause: #"{"redemption_id":2}"#, channel: .email)
        let d = MessageKey(kind: .rewardRedeemed, member: 7, cause: #"{"redemption_id":1}"#, channel: .sms)
        #expect(a == b && a != c && a != d)
        #expect(MessageKey(kind: .welcome, member: 3, cause: "enrolled", channel: .email).messageID(domain: "shop.example") == "<welcome.3.enrolled.email@shop.example>")
        #expect(a.value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" })
    }

    @Test(arguments: MessageKind.allCases) func everyKindIsTransactionalOrMarketing(kind: MessageKind) {
        let marketing: Set<MessageKind> = [.birthday, .anniversary, .thankYou, .inactive, .campaign]
        #expect(kind.purpose == (marketing.contains(kind) ? .marketing : .transactional))
    }
}
