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
        let fields = MessageFieldValues.build(home: home, locale: chosen, facts: facts, links: .init(unsubscribe: link))
        return (chosen, try templates.render(kind, locale: chosen, fields: fields))
    }
}
