import Mustache
import PatronCore

/// HTML escaping for the console's templates (`HTMLText`, over UTF-8 bytes): the same five characters as swift-mustache's own
/// (`<`, `>`, `&`, `"`, `'`), which looks each character up in a dictionary of `Character`s and was a measurable part of
/// a member page. Templates select it with `{{%CONTENT_TYPE: PATRON_HTML}}` on their first line (layouts and partials:
/// a partial starts in swift-mustache's HTML again); a template without the line is escaped by swift-mustache, the same
/// way, only slower.
struct ConsoleHTML: MustacheContentType {
    /// The name templates give it.
    static let name = "PATRON_HTML"

    /// Makes the name known to swift-mustache's parser; before the templates are parsed.
    static func register() { MustacheContentTypes.register(ConsoleHTML(), named: name) }

    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
}
