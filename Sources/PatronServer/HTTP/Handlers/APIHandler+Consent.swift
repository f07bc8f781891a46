import Foundation
import OpenAPIRuntime
import PatronCore
import PatronServices
import PatronStore

/// Consent: a member's consent history, and the public pages of the links messages carry — one-click unsubscribe
/// (RFC 8058) and the double opt-in confirmation. The pages need no key: the signed token is the proof, and a refused
/// token is answered without saying whose it was.
extension APIHandler {
    func listMemberConsents(_ input: Operations.ListMemberConsents.Input) async throws -> Operations.ListMemberConsents.Output {
        let target = try await member(input.path.member)
        let history = ConsentHistory(consents: target.profile.consents, records: try await store.consentRecords(member: target.id))
        return .ok(.init(body: .json(try Bridge.convert(history))))
    }

    func showUnsubscribe(_ input: Operations.ShowUnsubscribe.Input) async throws -> Operations.ShowUnsubscribe.Output {
        let answer = try await unsubscribePage(token: input.query.token, acceptLanguage: input.headers.acceptLanguage, apply: false)
        let body = HTTPBody(answer.page.html)
        let headers = Operations.ShowUnsubscribe.Output.Ok.Headers(contentSecurityPolicy: LinkPage.contentSecurityPolicy)
        if answer.ok { return .ok(.init(headers: headers, body: .html(body))) }
        return .badRequest(.init(headers: .init(contentSecurityPolicy: LinkPage.contentSecurityPolicy), body: .html(body)))
    }

    func unsubscribe(_ input: Operations.Unsubscribe.Input) async throws -> Operations.Unsubscribe.Output {
        let answer = try await unsubscribePage(token: input.query.token, acceptLanguage: input.headers.acceptLanguage, apply: true)
        let body = HTTPBody(answer.page.html)
        let headers = Operations.Unsubscribe.Output.Ok.Headers(contentSecurityPolicy: LinkPage.contentSecurityPolicy)
        if answer.ok { return .ok(.init(headers: headers, body: .html(body))) }
        return .badRequest(.init(headers: .init(contentSecurityPolicy: LinkPage.contentSecurityPolicy), body: .html(body)))
    }

    func showConsentConfirmation(_ input: Operations.ShowConsentConfirmation.Input) async throws -> Operations.ShowConsentConfirmation.Output {
        let answer = try await confirmationPage(token: input.query.token, acceptLanguage: input.headers.acceptLanguage, apply: false)
        let body = HTTPBody(answer.page.html)
        let headers = Operations.ShowConsentConfirmation.Output.Ok.Headers(contentSecurityPolicy: LinkPage.contentSecurityPolicy)
        if answer.ok { return .ok(.init(headers: headers, body: .html(body))) }
        return .badRequest(.init(headers: .init(contentSecurityPolicy: LinkPage.contentSecurityPolicy), body: .html(body)))
    }

    func confirmConsent(_ input: Operations.ConfirmConsent.Input) async throws -> Operations.ConfirmConsent.Output {
        let answer = try await confirmationPage(token: input.query.token, acceptLanguage: input.headers.acceptLanguage, apply: true)
        let body = HTTPBody(answer.page.html)
        let headers = Operations.ConfirmConsent.Output.Ok.Headers(contentSecurityPolicy: LinkPage.contentSecurityPolicy)
        if answer.ok { return .ok(.init(headers: headers, body: .html(body))) }
        return .badRequest(.init(headers: .init(contentSecurityPolicy: LinkPage.contentSecurityPolicy), body: .html(body)))
    }

    /// A page and whether it is a success (200) or a refused link (400).
    struct LinkAnswer {
        var ok: Bool
        var page: LinkPage
    }

    /// The links this server signs and checks; without them the pages do not exist (404).
    func messageLinks() throws -> UnsubscribeLink {
        guard let links = signedLinks else {
            throw PatronError(.notFound, "this server has no message links (PATRON_UNSUBSCRIBE_URL and PATRON_UNSUBSCRIBE_SECRET are not set)")
        }
        return links
    }

    /// The program's name for the pages (empty without a program).
    func shopName() async -> String {
        (try? await store.currentProgram())?.program.name ?? ""
    }

    /// The unsubscribe page: with `apply`, unsubscribes and says so; else asks, or says it is done already.
    func unsubscribePage(token: String, acceptLanguage: String?, apply: Bool) async throws -> LinkAnswer {
        let links = try messageLinks()
        let shop = await shopName()
        var language = LinkPage.Language.preferred(acceptLanguage)
        do {
            let (id, channel) = try links.verify(token)
            guard let target = try await store.member(id: id) else { throw PatronError(.invalidInput, "token: the link is no longer valid") }
            language = .preferred(acceptLanguage, fallback: target.profile.locale)
            var page = LinkPage(language: language, title: "", lines: [])
            let name = LinkPage.channelName(channel.rawValue, language)
            let account = page.t(
                "Messages about your account, such as your points and rewards, still reach you.", "有关您账户的消息（例如积分和奖励）仍会发送给您。")
            if apply {
                _ = try await links.unsubscribe(token: token, context: ServiceContext(store: store, clock: HandlerClock(instant: now)))
                page.title = page.t("You are unsubscribed", "已退订")
                page.lines = [page.t("You will no longer receive news and offers from \(shop) by \(name).", "您将不再通过\(name)收到\(shop)的新闻和优惠。"), account]
                return LinkAnswer(ok: true, page: page)
            }
            let history = ConsentHistory(consents: target.profile.consents, records: try await store.consentRecords(member: id))
            let receiving = target.profile.consents[channel.consentKey] == true || history.latest(channel: channel.consentKey)?.state == .pending
            if receiving && !target.isErased {
                page.title = page.t("Unsubscribe", "退订")
                page.lines = [page.t("Stop receiving news and offers from \(shop) by \(name)?", "不再通过\(name)接收\(shop)的新闻和优惠？"), account]
                page.button = (page.t("Unsubscribe", "退订"), token)
            } else {
                page.title = page.t("You are unsubscribed", "已退订")
                page.lines = [page.t("You do not receive news and offers from \(shop) by \(name).", "您没有通过\(name)接收\(shop)的新闻和优惠。")]
            }
            return LinkAnswer(ok: true, page: page)
        } catch let error as PatronError where error.code == .invalidInput {
            return LinkAnswer(ok: false, page: Self.refusedPage(language, error))
        }
    }

    /// The confirmation page of double opt-in: with `apply`, confirms and says so; else asks, or says it is done.
    func confirmationPage(token: String, acceptLanguage: String?, apply: Bool) async throws -> LinkAnswer {
        guard let confirmation = try messageLinks().confirmation else {
            throw PatronError(.notFound, "this server has no confirmation links (PATRON_CONFIRM_URL is not a URL)")
        }
        let shop = await shopName()
        var language = LinkPage.Language.preferred(acceptLanguage)
        do {
            let (id, channel, request) = try confirmation.verify(token)
            guard let target = try await store.member(id: id), !target.isErased else {
                throw PatronError(.invalidInput, "token: the link is no longer valid")
            }
            language = .preferred(acceptLanguage, fallback: target.profile.locale)
            var page = LinkPage(language: language, title: "", lines: [])
            let name = LinkPage.channelName(channel, language)
            let confirmed = page.t(
                "Thank you. \(shop) may send you news and offers by \(name); every message has a link to unsubscribe.",
                "谢谢。\(shop)可以通过\(name)向您发送新闻和优惠；每条消息都附有退订链接。")
            if apply {
                _ = try await confirmation.confirm(token: token, context: ServiceContext(store: store, clock: HandlerClock(instant: now)))
                page.title = page.t("Subscription confirmed", "订阅已确认")
                page.lines = [confirmed]
                return LinkAnswer(ok: true, page: page)
            }
            let history = ConsentHistory(consents: target.profile.consents, records: try await store.consentRecords(member: id))
            guard let latest = history.latest(channel: channel), history.records.contains(where: { $0.id == request && $0.state == .pending }) else {
                throw PatronError(.invalidInput, "token: the link is no longer valid")
            }
            switch latest.state {
            case .pending:
                page.title = page.t("Confirm your subscription", "确认订阅")
                page.lines = [page.t("Confirm that \(shop) may send you news and offers by \(name).", "请确认\(shop)可以通过\(name)向您发送新闻和优惠。")]
                page.button = (page.t("Confirm", "确认"), token)
            case .granted where latest.id > request:
                page.title = page.t("Subscription confirmed", "订阅已确认")
                page.lines = [confirmed]
            case .granted, .withdrawn:
                throw PatronError(.invalidInput, "token: this confirmation link is no longer valid: the consent was \(latest.state.rawValue) after it was sent")
            }
            return LinkAnswer(ok: true, page: page)
        } catch let error as PatronError where error.code == .invalidInput || error.code == .invalidTransition || error.code == .notFound {
            return LinkAnswer(ok: false, page: Self.refusedPage(language, error))
        }
    }

    /// The page of a refused link: what to do, and the refusal's words when they are about the token (never the member).
    static func refusedPage(_ language: LinkPage.Language, _ error: PatronError) -> LinkPage {
        var page = LinkPage(language: language, title: "", lines: [])
        page.title = page.t("This link is not valid", "此链接无效")
        page.lines = [
            page.t(
                "The token in this link is incomplete, altered or no longer valid. Open the link from the message again, or change your preferences in your account.",
                "此链接中的令牌不完整、已被改动或已失效。请从消息中重新打开链接，或在您的账户中更改偏好设置。")
        ]
        page.detail = error.message.hasPrefix("token:") ? error.message : "token: the link is not valid"
        return page
    }
}
