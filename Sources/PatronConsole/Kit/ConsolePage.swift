import Foundation
import Hummingbird
import PatronServices

/// What staff and member handlers share: the request's page base, the session's form token and the POST's checked
/// form. Each kind of page supplies its layout's chrome; the rest is here once.
protocol ConsolePage: Sendable {
    var base: PageBase { get }
    /// The session's form token: `<input type="hidden" name="csrf" value="{{csrf}}">` in every form.
    var csrfToken: String { get }
    var submittedForm: Form? { get }
    /// The layout around a page of this kind (navigation, account).
    var chrome: PageChrome { get }
}

extension ConsolePage {
    /// Store and clock.
    var context: ServiceContext { base.kit.context }
    /// The page's language.
    var language: ConsoleLanguage { base.language }

    /// The form of this POST (already read and CSRF-checked); a GET has none and gets an empty form.
    func form(_ request: Request) async throws -> Form { submittedForm ?? Form() }

    /// A path placeholder of the route (`{id}` → `parameter("id")`).
    func parameter(_ name: String) -> String? { base.parameters.get(name) }

    /// The string `key` in the page's language.
    func text(_ key: String) -> String { base.text(key) }

    /// The string `key` with each `{name}` replaced by its value (values are plain text; templates escape them).
    func text(_ key: String, _ values: [String: String]) -> String { base.text(key, values) }

    /// `template` with `model` inside this kind of page's layout.
    func render(_ template: String, title: String, _ model: some Sendable) -> Response {
        render(template, title: title, model, status: .ok)
    }

    /// `render(_:title:_:)` with another status (a form shown again with its errors: 400).
    func render(_ template: String, title: String, _ model: some Sendable, status: HTTPResponse.Status) -> Response {
        base.render(template, title: title, model: model, chrome: chrome, status: status)
    }

    /// A 303 to `path` (local paths only), with `notice` shown once on the next page.
    func redirect(_ path: String, notice: String? = nil) -> Response { base.redirect(path, notice: notice) }
}
