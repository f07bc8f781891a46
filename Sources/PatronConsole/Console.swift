import Foundation
import Hummingbird
import Logging
import PatronServices

/// How the console and the member zone behave; built once in the executable and passed down.
public struct ConsoleConfiguration: Sendable {
    /// The HMAC key for member sign-in links and member sessions (`PATRON_MEMBER_LINK_SECRET`, at least 32 bytes).
    public var memberLinkSecret: [UInt8]
    /// A staff session ends this long after sign-in, however busy.
    public var sessionLifetime: Duration = .seconds(8 * 3600)
    /// A staff session ends when unused this long.
    public var idleTimeout: Duration = .seconds(3600)
    /// A member session ends this long after the member signed in through a link.
    public var memberSessionLifetime: Duration = .seconds(2 * 3600)
    /// Whether cookies carry `Secure` (true behind TLS).
    public var secureCookies = false
    /// The largest form body accepted, in bytes (a programme upload is a form).
    public var maxFormBytes = 1 << 20
    /// Failed sign-ins allowed per username, and per client address, within `signInWindow`.
    public var signInFailureLimit = 5
    /// The window failed sign-ins are counted in.
    public var signInWindow: Duration = .seconds(15 * 60)
    /// bcrypt's cost for new passwords (2^cost rounds).
    public var bcryptCost: UInt8 = 11
    /// The message templates in force (`PATRON_MESSAGE_TEMPLATES`), for the Messages pages' list of templates and
    /// their previews; `nil` when the server has none.
    public var messageTemplates: MessageTemplates?
    /// The unsubscribe links a marketing preview carries, when the server signs them.
    public var unsubscribeLink: UnsubscribeLink?

    /// A configuration with `memberLinkSecret` and the defaults above.
    public init(memberLinkSecret: [UInt8]) {
        self.memberLinkSecret = memberLinkSecret
    }
}

/// The staff console (`/console/…`) and the member zone (`/member/…`): server-rendered pages with their own sessions
/// and middleware. `patron serve` puts them beside the HTTP API; the API's key middleware never runs for them, and
/// their sessions never open the API.
public enum Console {
    /// The path prefixes the console answers; every other path belongs to the API.
    public static let pathPrefixes = ["/console", "/member"]

    /// Every /console and /member route, with their own middleware (never the API's key middleware).
    public static func router(context: ServiceContext, configuration: ConsoleConfiguration) async throws -> Router<ConsoleRequestContext> {
        try await build(context: context, configuration: configuration).router
    }

    /// A responder for `patron serve`'s dispatcher: answers a console request given the connection it came on.
    public static func responder(context: ServiceContext, configuration: ConsoleConfiguration) async throws
        -> @Sendable (Request, ApplicationRequestContextSource) async throws -> Response
    {
        let responder = try await router(context: context, configuration: configuration).buildResponder()
        return { request, source in try await responder.respond(to: request, context: ConsoleRequestContext(source: source)) }
    }

    /// The router and the registry of its routes (the authorisation tests walk the registry).
    static func build(context: ServiceContext, configuration: ConsoleConfiguration) async throws -> (router: Router<ConsoleRequestContext>, routes: ConsoleRoutes) {
        guard configuration.memberLinkSecret.count >= 32 else {
            throw ConsoleError("the member link secret must have at least 32 bytes (it has \(configuration.memberLinkSecret.count))")
        }
        let kit = ConsoleKit(context: context, configuration: configuration, renderer: try await PageRenderer.load(), assets: try Assets.load())
        let router = Router(context: ConsoleRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        let routes = ConsoleRoutes(router: router, kit: kit)
        Assets.register(on: routes)
        SignInPages.register(on: routes)
        StaffListPages.register(on: routes)
        MemberZonePages.register(on: routes)
        MemberPages.register(on: routes)
        OverviewPage.register(on: routes)
        ProgramPages.register(on: routes)
        RewardsPages.register(on: routes)
        OperationsPages.register(on: routes)
        MarketingPages.register(on: routes)
        MessagesPages.register(on: routes)
        ComparePages.register(on: routes)
        CarePages.register(on: routes)
        MemberCarePages.register(on: routes)
        MemberSurveyPages.register(on: routes)
        SatisfactionPage.register(on: routes)
        WinBackPage.register(on: routes)
        // Each area registers its pages here (one line each).
        return (router, routes)
    }
}

/// A console set-up error (a bad secret, a template that does not parse), with what is wrong.
public struct ConsoleError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
