import Foundation
import Hummingbird
import PatronServices

/// Which layout a page is drawn in.
enum Layout: String, Sendable {
    /// The staff console: navigation by permission, language switch, sign-out.
    case staff = "layout-staff"
    /// The member zone, phone first.
    case member = "layout-member"
    /// A bare page: sign-in and errors before a session.
    case plain = "layout-plain"
}

/// What the three page kinds share: the request, its language, the notice carried over a redirect, rendering.
struct PageBase: Sendable {
    let kit: ConsoleKit
    let request: Request
    let language: ConsoleLanguage
    let parameters: Parameters
    /// The notice a redirect left for this page (shown once).
    let notice: String?

    init(kit: ConsoleKit, request: Request, language: ConsoleLanguage, parameters: Parameters) {
        self.kit = kit
        self.request = request
        self.language = language
        self.parameters = parameters
        notice = request.cookies[Notice.cookieName].flatMap { Notice.decode($0.value) }
    }

    /// The string `key` in this page's language (the key itself when missing, so a gap shows).
    func text(_ key: String) -> String { kit.renderer.strings.text(key, language) }

    /// The string `key` with each `{name}` replaced by its value, in one pass: a value is plain text (templates escape
    /// it) and is never searched for placeholders itself.
    func text(_ key: String, _ values: [String: String]) -> String { Self.fill(text(key), values) }

    /// `template` with each `{name}` that `values` names replaced by its value; other braces stay as they are.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        guard !values.isEmpty, template.utf8.contains(open) else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + 32)
        var rest = template[...]
        while let start = rest.utf8.firstIndex(of: open), let end = rest.utf8[start...].firstIndex(of: close) {
            let name = rest[rest.utf8.index(after: start)..<end]
            let next = rest.utf8.index(after: end)
            if let value = values[String(name)] {
                result += rest[..<start]
                result += value
            } else {
                result += rest[..<next]
            }
            rest = rest[next...]
        }
        result += rest
        return result
    }

    /// The page `template` with `model`, inside its layout, as a 200 (or `status`) HTML response that is never cached.
    func render(_ template: String, title: String, model: some Sendable, chrome: PageChrome, status: HTTPResponse.Status = .ok) -> Response {
        let path = request.uri.path
        let frame = PageFrame(
            lang: language.rawValue, title: title, notice: notice, csrf: chrome.csrf, path: path,
            languages: ConsoleLanguage.allCases.map {
                LanguageLink(code: $0.rawValue, name: $0.nativeName, href: path + "?lang=" + $0.rawValue, current: $0 == language)
            },
            nav: chrome.nav, account: chrome.account)
        let html: String
        do {
            html = try kit.renderer.render(template, model: model, frame: frame, language: language)
        } catch {
            kit.logger.error("template \(template) failed: \(error)")
            return plainText(.internalServerError, "the page template \(template) could not be drawn")
        }
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
        if notice != nil { response.setCookie(kit.cookie(Notice.cookieName, "", path: "/", maxAge: 0)) }
        return response
    }

    /// A 303 to `path`, carrying `notice` to the next page (shown once). Only local paths: anything else goes to `/console/`.
    func redirect(_ path: String, notice: String?) -> Response {
        let target = Self.isLocal(path) ? path : "/console/"
        var response = Response(status: .seeOther, headers: [.location: target, .cacheControl: "no-store"])
        if let notice, let value = Notice.encode(notice) { response.setCookie(kit.cookie(Notice.cookieName, value, path: "/", maxAge: 300)) }
        return response
    }

    /// An error page: `status` with the string `messageKey`.
    func errorPage(_ status: HTTPResponse.Status, messageKey: String, layout: Layout = .plain) -> Response {
        errorPage(status, message: text(messageKey), layout: layout)
    }

    /// An error page: `status` with `message` (escaped like every value).
    func errorPage(_ status: HTTPResponse.Status, message: String, layout: Layout = .plain) -> Response {
        let template = layout == .member ? "kit/error-member" : "kit/error"
        return render(
            template, title: text("kit.error.title"), model: ErrorModel(status: Int(status.code), message: message),
            chrome: PageChrome(csrf: "", nav: [], account: nil), status: status)
    }

    /// A plain-text response (used when even the error template cannot be drawn).
    func plainText(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Whether `path` stays on this server: starts with one `/`, no scheme, no backslash.
    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\") && !path.contains("\r") && !path.contains("\n")
    }
}

/// What the layout shows around a page beside its body.
struct PageChrome: Sendable {
    var csrf: String
    var nav: [NavigationLink]
    var account: AccountSummary?
}

/// The error page's model.
struct ErrorModel: Sendable {
    let status: Int
    let message: String
}
