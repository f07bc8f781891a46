import Foundation
import HTTPTypes
import PatronCore
import PatronStore
import Testing

@testable import PatronConsole

/// Walks the registry of every console route (the kit's and every area's, whoever added them) for every role.
@Suite struct AuthorizationTests {
    /// A concrete path for a registered one: each `{placeholder}` becomes `value`.
    static func concrete(_ path: String, _ value: String = "1") -> String {
        var result = ""
        var inside = false
        for character in path {
            if character == "{" { inside = true; result += value } else if character == "}" { inside = false } else if !inside { result.append(character) }
        }
        return result
    }

    static func isPage(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head }

    @Test func everyStaffRouteRefusesRolesWithoutItsPermissionAndAdmitsRolesWithIt() async throws {
        try await ConsoleHarness.run { console in
            let staffRoutes = console.routes.filter { if case .staff = $0.access { true } else { false } }
            #expect(staffRoutes.count >= 3, "the kit's own staff routes at least")
            for role in StaffRole.allCases {
                for route in staffRoutes {
                    // A fresh session per route: one route is sign-out.
                    let browser = try await console.browser(role)
                    guard case .staff(let permission) = route.access else { continue }
                    let allowed = permission.map(role.may) ?? true
                    let path = Self.concrete(route.path)
                    // POSTs are sent with an empty form and a valid token: a permitted one may answer 400 or 404,
                    // never 403; a refused one must answer 403 before the handler runs.
                    let answer =
                        Self.isPage(route.method)
                        ? try await console.send(route.method, path, as: browser, body: nil, headers: [:])
                        : try await console.post(path, as: browser)
                    if allowed {
                        #expect(answer.status != 403, "\(role) \(route.method) \(route.path): \(answer.status)")
                    } else {
                        #expect(answer.status == 403, "\(role) \(route.method) \(route.path): \(answer.status)")
                    }
                }
            }
        }
    }

    @Test func signedOutStaffRoutesRedirectPagesAndRefuseActions() async throws {
        try await ConsoleHarness.run { console in
            for route in console.routes {
                guard case .staff = route.access else { continue }
                let path = Self.concrete(route.path)
                if Self.isPage(route.method) {
                    let answer = try await console.send(route.method, path, as: nil, body: nil, headers: [:])
                    #expect(answer.status == 303, "\(route.method) \(route.path)")
                    #expect(answer.location?.hasPrefix("/console/sign-in") == true, "\(route.method) \(route.path)")
                } else {
                    let answer = try await console.post(path, as: nil)
                    #expect(answer.status == 403, "\(route.method) \(route.path)")
                }
            }
        }
    }

    @Test func memberRoutesNeedAMemberSessionAndAStaffSessionIsNotOne() async throws {
        try await ConsoleHarness.run { console in
            let owner = try await console.browser(.owner)
            for route in console.routes where route.access == .member {
                let path = Self.concrete(route.path)
                for browser in [nil, owner] {
                    let answer =
                        Self.isPage(route.method)
                        ? try await console.send(route.method, path, as: browser, body: nil, headers: [:]) : try await console.post(path, as: browser)
                    #expect([401, 403].contains(answer.status), "\(route.method) \(route.path) as \(browser == nil ? "nobody" : "owner"): \(answer.status)")
                }
            }
        }
    }

    @Test func anAPIKeyDoesNotOpenAConsolePage() async throws {
        try await ConsoleHarness.run { console in
            let issued = try await console.store.createAPIKey(
                name: "ops", scopes: [.admin], hash: Tokens.sha256Hex("secret"), prefix: "sec", at: console.clock.now())
            #expect(issued.scopes == [.admin])
            let answer = try await console.get("/console/staff", headers: [.authorization: "Bearer secret"])
            #expect(answer.status == 303)
            #expect(answer.location?.hasPrefix("/console/sign-in") == true)
        }
    }

    @Test func theNavigationShowsOnlyWhatTheRoleMayOpen() async throws {
        try await ConsoleHarness.run { console in
            let analyst = try await console.browser(.analyst)
            // The analyst may not open the staff page; the sign-in page of a signed-in analyst is open, so look there
            // at a page they may open: any staff GET route with a permission they have.
            let route = try #require(console.routes.first { route in
                if case .staff(let permission?) = route.access { route.method == .get && !route.path.contains("{") && StaffRole.analyst.may(permission) } else { false }
            })
            let page = try await console.get(route.path, as: analyst)
            #expect(page.status == 200, "\(route.path)")
            #expect(page.text.contains("href=\"/console/members\""))
            #expect(!page.text.contains("href=\"/console/staff\""))
            #expect(!page.text.contains("href=\"/console/operations\""))
            let owner = try await console.get("/console/staff", as: try await console.browser(.owner))
            #expect(owner.text.contains("href=\"/console/staff\""))
            #expect(owner.text.contains("href=\"/console/operations\""))
        }
    }
}
