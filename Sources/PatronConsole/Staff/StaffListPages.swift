import Foundation
import Hummingbird

/// `/console/staff`: every staff account, its role and whether it is disabled (manageStaff). Accounts are created
/// and disabled with `patron users`.
enum StaffListPages {
    struct Row: Sendable {
        let username: String
        let displayName: String
        let role: String
        let created: String
        let disabled: String?
    }

    struct Model: Sendable {
        let accounts: [Row]
        let roles: [RoleRow]
    }

    struct RoleRow: Sendable {
        let role: String
        let permissions: String
    }

    static func register(on routes: ConsoleRoutes) {
        routes.staff(.get, "/console/staff", .manageStaff) { _, page in
            let accounts = try await StaffAccounts(context: page.context).list()
            let rows = accounts.map { account in
                Row(
                    username: account.username, displayName: account.displayName, role: page.text("kit.role.\(account.role.rawValue)"),
                    created: page.formats.date(account.createdAt), disabled: account.disabledAt.map(page.formats.date))
            }
            let roles = StaffRole.allCases.map { role in
                RoleRow(
                    role: page.text("kit.role.\(role.rawValue)"),
                    permissions: StaffPermission.allCases.filter(role.may).map { page.text("kit.permission.\($0.rawValue)") }
                        .joined(separator: page.language == .simplifiedChinese ? "、" : ", "))
            }
            return page.render("staff/accounts", title: page.text("kit.staff.title"), Model(accounts: rows, roles: roles))
        }
    }
}
