import Foundation
import Mustache

/// Draws pages from the mustache templates in the bundle's `Templates/` folder, loaded once at start.
///
/// A page template is a child of a layout: `{{<layout-staff}}{{$body}} … {{/body}}{{/layout-staff}}` (or
/// `layout-member`, `layout-plain`). Beside the page's own model a template sees three names, so a model should not
/// use them:
/// - `t`: the strings of the page's language, by dotted key: `{{t.members.search.placeholder}}` (a missing key shows
///   as itself, and the kit's test fails on it);
/// - `csrf`: the form token, for `<input type="hidden" name="csrf" value="{{csrf}}">` in every POST form;
/// - `kit`: the layout's data (`kit.title`, `kit.lang`, `kit.notice`, `kit.nav`, `kit.languages`, `kit.account`).
///
/// `{{x}}` escapes HTML; never use `{{{x}}}` except for server-built SVG from PatronAnalytics' charts. Numbers, money
/// and dates reach a template already formatted (`Formats`).
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let strings: StringTable

    /// Loads every template and string file from the module's bundle.
    static func load() async throws -> PageRenderer {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw ConsoleError("the console's Templates folder is missing from its bundle")
        }
        ConsoleHTML.register()
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: templates.path)
        } catch let error as MustacheLibrary.ParserError {
            throw ConsoleError("template \(error.filename) line \(error.context.lineNumber): \(error.error)")
        }
        return PageRenderer(library: library, strings: try StringTable.load())
    }

    /// The HTML of `template` with `model`, `frame` as `kit`, the language's strings as `t`.
    func render(_ template: String, model: some Sendable, frame: PageFrame, language: ConsoleLanguage) throws -> String {
        let root = PageModel(model: model, frame: frame, strings: strings.tree(language))
        guard let html = library.render(root, withTemplate: template) else { throw ConsoleError("no template named \(template)") }
        return html
    }
}

/// What a template sees: the page's model, with `t`, `csrf` and `kit` beside it.
struct PageModel: MustacheParent {
    let model: Any
    let frame: PageFrame
    let strings: StringNode

    func child(named name: String) -> Any? {
        switch name {
        case "t": return strings
        case "kit": return frame
        case "csrf": return frame.csrf
        default:
            if let parent = model as? MustacheParent { return parent.child(named: name) }
            // An optional field that is nil is absent (a false section), and one that is set is its value, as
            // swift-mustache's own lookups below the top level treat them.
            guard let value = Mirror(reflecting: model).descendant(name) else { return nil }
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return value }
            return mirror.children.first?.value
        }
    }
}

/// The layout's data, `kit` in templates.
struct PageFrame: Sendable {
    /// `en` or `zh-Hans`, for `<html lang>`.
    let lang: String
    /// The page title.
    let title: String
    /// A notice from the action before (shown once).
    let notice: String?
    /// The session's form token.
    let csrf: String
    /// The current path.
    let path: String
    /// The language switch.
    let languages: [LanguageLink]
    /// The navigation the account's role may use.
    let nav: [NavigationLink]
    /// The signed-in staff account.
    let account: AccountSummary?
}

/// One entry of the language switch.
struct LanguageLink: Sendable {
    let code: String
    let name: String
    let href: String
    let current: Bool
}

/// The signed-in account, as the layout shows it.
struct AccountSummary: Sendable {
    let username: String
    let displayName: String
    let role: String
}

// The layout's data is looked up on every page: a switch, not reflection (swift-mustache's `Mirror` lookup compares
// every field on every lookup).
extension PageFrame: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": return lang
        case "title": return title
        case "notice": return notice
        case "csrf": return csrf
        case "path": return path
        case "languages": return languages
        case "nav": return nav
        case "account": return account
        default: return nil
        }
    }
}

extension LanguageLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": return code
        case "name": return self.name
        case "href": return href
        case "current": return current
        default: return nil
        }
    }
}

extension AccountSummary: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "username": return username
        case "displayName": return displayName
        case "role": return role
        default: return nil
        }
    }
}

extension NavigationLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "href": return href
        case "label": return label
        case "current": return current
        default: return nil
        }
    }
}

extension ErrorModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "status": return status
        case "message": return message
        default: return nil
        }
    }
}
