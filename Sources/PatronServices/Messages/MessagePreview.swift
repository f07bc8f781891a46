import Foundation
import PatronCore
import PatronStore

/// Renders a kind for a member as the deliverer would, writing nothing (`patron messages preview`).
public enum MessagePreview {
    /// The rendered message and the locale it came out in.
    public static func render(
        kind: MessageKind, member id: Int64, locale: String?, facts: String, templates: MessageTemplates, unsubscribe: UnsubscribeLink?,
        context: ServiceContext
    ) async throws -> (locale: String, rendered: MessageOutcome.Rendered) {
        let home = try await MemberHome.load(context: context, member: id)
        let chosen = templates.locale(for: kind, wanted: locale ?? MessageFieldValues.locale(of: home.member))
        let link = kind.purpose == .marketing ? unsubscribe?.url(member: id, channel: .email) : nil
        var links = MessageFieldValues.Links(unsubscribe: link, preferences: unsubscribe?.preferences)
        if kind == .confirmConsent, let confirmation = unsubscribe?.confirmation {
            // The link of the request the facts name (`{"request": "12"}`), or of request 0 to show its shape.
            let named = (facts.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any])?["request"]
            let request = (named as? String).flatMap(Int64.init) ?? (named as? NSNumber)?.int64Value ?? 0
            links.confirm = confirmation.url(member: id, channel: ConsentSettings.doubleOptInChannel, request: request)
        }
        let fields = MessageFieldValues.build(home: home, locale: chosen, facts: facts, links: links)
        return (chosen, try templates.render(kind, locale: chosen, fields: fields))
    }
}
