import Crypto
import Foundation
import Hummingbird
import Logging
import PatronCore
import PatronServices
import PatronStore

/// What every console request shares: the services, the configuration, the templates and the assets. It runs the
/// checks a route's kind needs before the area's handler sees the request.
struct ConsoleKit: Sendable {
    let context: ServiceContext
    let configuration: ConsoleConfiguration
    let renderer: PageRenderer
    let assets: Assets
    let memberSessions: MemberSessions
    /// Formats and explanations per programme version and language, made once.
    let programViews = ProgramViews()
    let logger = Logger(label: "patron.console")

    init(context: ServiceContext, configuration: ConsoleConfiguration, renderer: PageRenderer, assets: Assets) {
        self.context = context
        self.configuration = configuration
        self.renderer = renderer
        self.assets = assets
        memberSessions = MemberSessions(secret: configuration.memberLinkSecret, lifetime: configuration.memberSessionLifetime)
    }

    // MARK: Route kinds

    func staffResponse(
        _ request: Request, _ requestContext: ConsoleRequestContext, permission: StaffPermission?,
        _ handler: @Sendable (Request, StaffPage) async throws -> Response
    ) async throws -> Response {
        let choice = ConsoleLanguage.choose(for: request)
        let base = PageBase(kit: self, request: request, language: choice.language, parameters: requestContext.parameters)
        return try await finishing(choice, base) {
            guard let (session, tokenHash) = try await staffSession(request) else {
                if request.method == .get || request.method == .head {
                    return Response.redirect(to: SignInPages.path(next: request.uri.description), type: .normal)
                }
                return base.errorPage(.forbidden, messageKey: "kit.error.signedOut")
            }
            let account = StaffAccount(session.account)
            if let permission, !account.role.may(permission) {
                return base.errorPage(.forbidden, messageKey: "kit.error.forbidden")
            }
            let now = context.clock.now()
            if now.timeIntervalSince(session.lastSeenAt) >= 60 { try await context.store.touchStaffSession(tokenHash: tokenHash, at: now) }
            var form: Form?
            if request.method != .get && request.method != .head {
                guard let submitted = try await readForm(request), submitted.matches(csrf: session.csrfToken) else {
                    return base.errorPage(.forbidden, messageKey: "kit.error.csrf")
                }
                form = submitted
            }
            let (program, formats) = try await programAndFormats(choice.language)
            return try await handler(
                request,
                StaffPage(base: base, account: account, program: program, formats: formats, csrfToken: session.csrfToken, submittedForm: form))
        }
    }

    func memberResponse(
        _ request: Request, _ requestContext: ConsoleRequestContext, _ handler: @Sendable (Request, MemberPage) async throws -> Response
    ) async throws -> Response {
        let choice = ConsoleLanguage.choose(for: request)
        let base = PageBase(kit: self, request: request, language: choice.language, parameters: requestContext.parameters)
        return try await finishing(choice, base) {
            guard let session = memberSessions.read(request.cookies[MemberSessions.cookieName]?.value, now: context.clock.now()) else {
                if request.method == .get || request.method == .head {
                    return base.errorPage(.unauthorized, messageKey: "kit.error.memberSignedOut", layout: .member)
                }
                return base.errorPage(.forbidden, messageKey: "kit.error.memberSignedOut", layout: .member)
            }
            var form: Form?
            if request.method != .get && request.method != .head {
                guard let submitted = try await readForm(request), submitted.matches(csrf: session.csrfToken) else {
                    return base.errorPage(.forbidden, messageKey: "kit.error.csrf", layout: .member)
                }
                form = submitted
            }
            let (program, formats) = try await programAndFormats(choice.language)
            var page = MemberPage(
                base: base, memberID: session.memberID, program: program, formats: formats, csrfToken: session.csrfToken, submittedForm: form)
            // The navigation's unread count (a page, not an action, draws the navigation).
            if form == nil { page.unreadMessages = try await MemberInbox(context: context).unreadCount(member: session.memberID) }
            return try await handler(request, page)
        }
    }

    func openResponse(
        _ request: Request, _ requestContext: ConsoleRequestContext, _ handler: @Sendable (Request, OpenPage) async throws -> Response
    ) async throws -> Response {
        let choice = ConsoleLanguage.choose(for: request)
        let base = PageBase(kit: self, request: request, language: choice.language, parameters: requestContext.parameters)
        return try await finishing(choice, base) {
            let existing = request.cookies[OpenPage.csrfCookie].map(\.value).flatMap { Tokens.isWellFormed($0) ? $0 : nil }
            let csrf = existing ?? Tokens.random()
            var form: Form?
            if request.method != .get && request.method != .head {
                guard let submitted = try await readForm(request), existing != nil, submitted.matches(csrf: csrf) else {
                    return base.errorPage(.forbidden, messageKey: "kit.error.csrf")
                }
                form = submitted
            }
            let page = OpenPage(base: base, csrfToken: csrf, clientAddress: requestContext.remoteAddress ?? "unknown", submittedForm: form)
            var response = try await handler(request, page)
            if existing == nil { response.setCookie(cookie(OpenPage.csrfCookie, csrf, path: "/", maxAge: nil)) }
            return response
        }
    }

    /// Runs `body`, turning errors into pages, then sets the language cookie when `?lang=` chose one and clears a
    /// notice the page has shown.
    private func finishing(_ choice: ConsoleLanguage.Choice, _ base: PageBase, _ body: () async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await body()
        } catch let error as PatronError {
            let status: HTTPResponse.Status =
                switch error.code {
                case .notFound: .notFound
                case .storage, .busy, .unavailable: .serviceUnavailable
                default: .badRequest
                }
            response = base.errorPage(status, message: error.message)
        } catch let error as HTTPResponseError {
            response = base.errorPage(error.status, messageKey: error.status == .notFound ? "kit.error.notFound" : "kit.error.badRequest")
        } catch let error as FormError {
            response = base.errorPage(.badRequest, message: error.description)
        } catch {
            logger.error("console page failed: \(request: base.request) \(error)")
            response = base.errorPage(.internalServerError, messageKey: "kit.error.internal")
        }
        if choice.fromQuery {
            response.setCookie(cookie(ConsoleLanguage.cookieName, choice.language.rawValue, path: "/", maxAge: 365 * 86400))
        }
        return response
    }

    // MARK: Sessions and forms

    /// The live staff session of the request's cookie, and its token's hash.
    func staffSession(_ request: Request) async throws -> (StaffSessionRecord, String)? {
        guard let token = request.cookies[StaffSessions.cookieName]?.value, Tokens.isWellFormed(token) else { return nil }
        let hash = Tokens.sha256Hex(token)
        guard
            let session = try await context.store.staffSession(
                tokenHash: hash, at: context.clock.now(), idleTimeout: configuration.idleTimeout.seconds)
        else { return nil }
        return (session, hash)
    }

    /// The url-encoded form of a POST, size-limited; nil when it is not a form at all.
    func readForm(_ request: Request) async throws -> Form? {
        var request = request
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return nil }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxFormBytes)
        } catch {
            throw FormError("the form is larger than \(configuration.maxFormBytes) bytes")
        }
        return try Form(urlEncoded: String(buffer: buffer))
    }

    /// Formats for `language` in the current programme's currency and time zone (UTC and no currency before one is
    /// loaded).
    func formats(_ language: ConsoleLanguage) async throws -> Formats { try await programAndFormats(language).formats }

    /// The current programme version (one read: its number, the parse is cached) and the formats for `language` in its
    /// currency and time zone, made once per version (UTC and no currency before a programme is loaded).
    func programAndFormats(_ language: ConsoleLanguage) async throws -> (program: ProgramVersion?, formats: Formats) {
        guard let version = try await context.store.currentProgram() else {
            return (nil, Formats(language: language, currency: nil, timeZone: TimeZone(identifier: "UTC")!))
        }
        return (version, programViews.formats(version, language))
    }

    /// A console cookie: HttpOnly, SameSite=Lax, Secure when configured.
    func cookie(_ name: String, _ value: String, path: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: configuration.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval { TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18 }
}

extension Logger.Message.StringInterpolation {
    /// A request as `METHOD path` in a log line.
    mutating func appendInterpolation(request: Request) { appendInterpolation("\(request.method) \(request.uri.path)") }
}
