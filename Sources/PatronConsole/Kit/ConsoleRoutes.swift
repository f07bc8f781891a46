import Foundation
import Hummingbird
import Synchronization

/// Who may reach a route.
enum RouteAccess: Sendable, Hashable {
    /// Anyone: sign-in pages, assets, the member link.
    case open
    /// A signed-in staff account whose role has the permission; `nil`: any signed-in staff account (sign-out).
    case staff(StaffPermission?)
    /// A signed-in member.
    case member
}

/// One registered route: the authorisation table's row.
struct ConsoleRoute: Sendable, Hashable {
    /// GET, POST …
    let method: HTTPRequest.Method
    /// The path as registered, with `{parameter}` placeholders.
    let path: String
    /// Who may reach it.
    let access: RouteAccess
}

/// Every console page is registered through one of these methods, which wrap the handler in the checks its kind
/// needs (session, permission, CSRF on POST) and record the route in `registry`, the authorisation table the kit's
/// tests walk for every role.
///
/// Paths are absolute (`/console/members/{id}`); a handler reads a placeholder with `page.parameter("id")`.
struct ConsoleRoutes {
    let router: Router<ConsoleRequestContext>
    let kit: ConsoleKit
    private let table = RouteTable()

    init(router: Router<ConsoleRequestContext>, kit: ConsoleKit) {
        self.router = router
        self.kit = kit
    }

    /// Every route registered so far, in registration order.
    var registry: [ConsoleRoute] { table.routes.withLock { $0 } }

    /// A staff page or action that needs `permission`. Signed out: GET redirects to the sign-in page, anything else is
    /// refused (403). A role without the permission: 403. POST: the form is read and its CSRF token checked first.
    func staff(
        _ method: HTTPRequest.Method, _ path: String, _ permission: StaffPermission,
        _ handler: @escaping @Sendable (Request, StaffPage) async throws -> Response
    ) {
        staffRoute(method, path, permission, handler)
    }

    /// A staff page or action any signed-in account may use (sign-out).
    func signedIn(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, StaffPage) async throws -> Response) {
        staffRoute(method, path, nil, handler)
    }

    private func staffRoute(
        _ method: HTTPRequest.Method, _ path: String, _ permission: StaffPermission?,
        _ handler: @escaping @Sendable (Request, StaffPage) async throws -> Response
    ) {
        add(method, path, .staff(permission))
        let kit = self.kit
        router.on(RouterPath(path), method: method) { request, context in
            try await kit.staffResponse(request, context, permission: permission, handler)
        }
    }

    /// A member-zone page or action. Without a member session: GET shows the "signed out" page (401), anything else
    /// is refused (403). POST: the form is read and its CSRF token checked first.
    func member(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, MemberPage) async throws -> Response) {
        add(method, path, .member)
        let kit = self.kit
        router.on(RouterPath(path), method: method) { request, context in
            try await kit.memberResponse(request, context, handler)
        }
    }

    /// A page anyone may open (sign-in pages, the member link, assets). POST still needs the CSRF token of the
    /// browser's pre-session cookie (`OpenPage.csrfToken`).
    func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, OpenPage) async throws -> Response) {
        add(method, path, .open)
        let kit = self.kit
        router.on(RouterPath(path), method: method) { request, context in
            try await kit.openResponse(request, context, handler)
        }
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess) {
        precondition(Console.pathPrefixes.contains { path == $0 || path.hasPrefix($0 + "/") }, "console route outside /console and /member: \(path)")
        table.routes.withLock { $0.append(ConsoleRoute(method: method, path: path, access: access)) }
    }
}

/// The registered routes, shared by the copies of a `ConsoleRoutes`.
private final class RouteTable: Sendable {
    let routes = Mutex<[ConsoleRoute]>([])
}
