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
        guard add(method, path, .staff(permission)) else { return }
        let kit = self.kit
        router.on(RouterPath(path), method: method) { request, context in
            try await kit.staffResponse(request, context, permission: permission, handler)
        }
    }

    /// A member-zone page or action. Without a member session: GET shows the "signed out" page (401), anything else
    /// is refused (403). POST: the form is read and its CSRF token checked first.
    func member(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, MemberPage) async throws -> Response) {
        guard add(method, path, .member) else { return }
        let kit = self.kit
        router.on(RouterPath(path), method: method) { request, context in
            try await kit.memberResponse(request, context, handler)
        }
    }

    /// A page anyone may open (sign-in pages, the member link, assets). POST still needs the CSRF token of the
    /// browser's pre-session cookie (`OpenPage.csrfToken`).
    func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, OpenPage) async throws -> Response) {
        guard add(method, path, .open) else { return }
        let kit = self.kit
        router.on(RouterPath(path), method: method) { request, context in
            try await kit.openResponse(request, context, handler)
        }
    }

    /// Records the route; false when the router already has it. Hummingbird treats `/a/` and `/a` as one path, so
    /// registering both with the same access is one route; with different access it is a programming error.
    private func add(_ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess) -> Bool {
        precondition(Console.pathPrefixes.contains { path == $0 || path.hasPrefix($0 + "/") }, "console route outside /console and /member: \(path)")
        let key = Self.normalised(path)
        return table.routes.withLock { routes in
            if let same = routes.first(where: { $0.method == method && Self.normalised($0.path) == key }) {
                precondition(same.access == access, "\(method) \(path) is registered twice with different access")
                return false
            }
            routes.append(ConsoleRoute(method: method, path: path, access: access))
            return true
        }
    }

    private static func normalised(_ path: String) -> String { path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path }
}

/// The registered routes, shared by the copies of a `ConsoleRoutes`.
private final class RouteTable: Sendable {
    let routes = Mutex<[ConsoleRoute]>([])
}
