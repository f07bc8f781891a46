import Foundation
import Hummingbird

/// The staff sign-in page (`GET/POST /console/sign-in`) and sign-out (`POST /console/sign-out`).
enum SignInPages {
    static let signInPath = "/console/sign-in"

    /// The sign-in page's path, remembering where to go after (`next`, local paths only).
    static func path(next: String?) -> String {
        guard let next, PageBase.isLocal(next), next != signInPath else { return signInPath }
        let escaped = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? "/console/"
        return "\(signInPath)?next=\(escaped)"
    }

    struct Model: Sendable {
        let username: String
        let next: String
        let error: String?
    }

    static func register(on routes: ConsoleRoutes) {
        routes.open(.get, signInPath) { request, page in
            let next = request.uri.queryParameters.get("next").flatMap { PageBase.isLocal($0) ? $0 : nil } ?? "/console/"
            return page.render("staff/sign-in", title: page.text("kit.signIn.title"), Model(username: "", next: next, error: nil))
        }
        routes.open(.post, signInPath) { request, page in
            let form = try await page.form(request)
            let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let password = form["password"] ?? ""
            let next = form["next"].flatMap { PageBase.isLocal($0) && $0.hasPrefix("/console") ? $0 : nil } ?? "/console/"
            let configuration = page.configuration
            let accounts = StaffAccounts(context: page.context, bcryptCost: configuration.bcryptCost)
            let result = try await accounts.signIn(
                username: String(username.prefix(64)), password: String(password.prefix(200)), address: page.clientAddress,
                limit: configuration.signInFailureLimit, window: configuration.signInWindow)
            switch result {
            case .signedIn(let account):
                return try await StaffSessions.start(for: account, page: page, next: next)
            case .refused:
                return page.render(
                    "staff/sign-in", title: page.text("kit.signIn.title"),
                    Model(username: username, next: next, error: page.text("kit.signIn.refused")), status: .unauthorized)
            case .throttled(let until):
                let formats = try await page.formats()
                let message = page.text("kit.signIn.throttled").replacingOccurrences(of: "{time}", with: formats.instant(until))
                return page.render(
                    "staff/sign-in", title: page.text("kit.signIn.title"), Model(username: username, next: next, error: message),
                    status: .tooManyRequests)
            }
        }
        routes.signedIn(.post, "/console/sign-out") { request, page in
            try await StaffSessions.end(request, page: page)
        }
    }
}
