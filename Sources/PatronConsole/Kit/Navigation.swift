/// One link of the staff navigation.
struct NavigationLink: Sendable {
    let href: String
    let label: String
    let current: Bool
}

/// The staff navigation: each entry is shown only to roles with its permission.
enum Navigation {
    struct Entry: Sendable {
        let path: String
        let labelKey: String
        let permission: StaffPermission
    }

    static let entries: [Entry] = [
        Entry(path: "/console/", labelKey: "kit.nav.overview", permission: .viewAnalytics),
        Entry(path: "/console/members", labelKey: "kit.nav.members", permission: .viewMembers),
        Entry(path: "/console/program", labelKey: "kit.nav.program", permission: .viewProgram),
        Entry(path: "/console/rewards", labelKey: "kit.nav.rewards", permission: .viewProgram),
        Entry(path: "/console/marketing", labelKey: "kit.nav.marketing", permission: .marketing),
        Entry(path: "/console/messages", labelKey: "messages.nav", permission: .viewMessages),
        Entry(path: "/console/care", labelKey: "care.nav", permission: .viewCare),
        Entry(path: "/console/operations", labelKey: "kit.nav.operations", permission: .operate),
        Entry(path: "/console/staff", labelKey: "kit.nav.staff", permission: .manageStaff),
    ]

    /// The links `role` may use, the one for `path` marked current.
    static func links(for role: StaffRole, path: String, strings: PageBase) -> [NavigationLink] {
        entries.filter { role.may($0.permission) }.map { entry in
            let current = entry.path == "/console/" ? (path == "/console/" || path == "/console") : (path == entry.path || path.hasPrefix(entry.path + "/"))
            return NavigationLink(href: entry.path, label: strings.text(entry.labelKey), current: current)
        }
    }
}
