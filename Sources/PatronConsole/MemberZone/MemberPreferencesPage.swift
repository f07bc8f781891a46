import Foundation
import Hummingbird
import Mustache
import PatronCore
import PatronServices

/// `GET /member/preferences`: the member's consents by channel, the language of their messages and the data download;
/// `POST` changes the consents (recorded in the audit trail with the time and the source "member zone");
/// `POST /member/preferences/language` sets the language (`MemberSelfService.setLocale`, audited as `member.locale`);
/// `GET /member/export`: everything held about the member as a JSON file.
enum MemberPreferencesPage {
    static func register(on routes: ConsoleRoutes) {
        routes.member(.get, "/member/preferences") { _, page in
            do {
                let member = try await page.liveMember()
                let consents = try await MemberSelfService(context: page.context).consents(member: page.memberID)
                return page.render(
                    "member/preferences", title: page.text("member.preferences.title"), MemberPreferencesModel(consents, locale: member.profile.locale, page))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        routes.member(.post, "/member/preferences") { request, page in
            let form = try await page.form(request)
            do {
                _ = try await page.liveMember()
                _ = try await MemberSelfService(context: page.context).setConsents(member: page.memberID, granted: Set(form.values("consent")))
                return page.redirect("/member/preferences", notice: page.text("member.preferences.saved"))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        // The language messages are written in (the profile's locale), one of `MemberSelfService.locales`.
        routes.member(.post, "/member/preferences/language") { request, page in
            let form = try await page.form(request)
            do {
                _ = try await page.liveMember()
                _ = try await MemberSelfService(context: page.context).setLocale(member: page.memberID, locale: form["locale"] ?? "")
                return page.redirect("/member/preferences", notice: page.text("messages.language.saved"))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
        routes.member(.get, "/member/export") { _, page in
            do {
                _ = try await page.liveMember()
                let data = try await MemberSelfService(context: page.context).export(member: page.memberID)
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                        .contentDisposition: "attachment; filename=\"member-\(page.memberID).json\"",
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch let error as PatronError {
                return page.refusal(error)
            }
        }
    }
}

/// The preferences page's model.
struct MemberPreferencesModel: Sendable {
    struct Consent: Sendable {
        let channel: String
        let label: String
        let granted: Bool
    }

    /// A language messages may be written in.
    struct Language: Sendable {
        let code: String
        let name: String
        let selected: Bool
    }

    let nav: MemberNav
    let consents: [Consent]
    let languages: [Language]
    /// No language chosen yet: the shop's is used.
    let noLanguage: Bool

    init(_ consents: [(channel: String, granted: Bool)], locale: String?, _ page: MemberPage) {
        nav = MemberNav(page, current: "/member/preferences")
        languages = MemberSelfService.locales.map { code in
            Language(code: code, name: ConsoleLanguage(rawValue: code)?.nativeName ?? code, selected: code == locale)
        }
        noLanguage = locale.map { !MemberSelfService.locales.contains($0) } ?? true
        self.consents = consents.map { item in
            let key = "member.consent.\(item.channel)"
            let label = MemberSelfService.consentChannels.contains(item.channel) ? page.text(key) : item.channel
            return Consent(channel: item.channel, label: label, granted: item.granted)
        }
    }
}

// Template look-ups are a switch, not swift-mustache's reflection (see `MemberHomeModel`); `TemplateLookupTests` checks
// that each answers every field as reflection would.
extension MemberPreferencesModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "consents": return consents
        case "languages": return languages
        case "noLanguage": return noLanguage
        default: return nil
        }
    }
}

extension MemberPreferencesModel.Consent: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "channel": return channel
        case "label": return label
        case "granted": return granted
        default: return nil
        }
    }
}

extension MemberPreferencesModel.Language: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": return self.code
        case "name": return self.name
        case "selected": return self.selected
        default: return nil
        }
    }
}
