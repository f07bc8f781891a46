import Foundation
import Testing

@testable import PatronConsole

/// docs/console.md's role table is the permission table: a change to one without the other fails here.
@Suite struct ConsoleDocsTests {
    @Test func theRoleTableInTheDocsMatchesTheRoles() throws {
        let text = try String(contentsOfFile: "docs/console.md", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("| permission |") })
        let roles = header.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst()
        #expect(Array(roles) == StaffRole.allCases.map(\.rawValue))
        var seen: Set<StaffPermission> = []
        let start = try #require(lines.firstIndex(of: header))
        for line in lines[(start + 2)...].prefix(while: { $0.hasPrefix("| `") }) {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let permission = try #require(StaffPermission(rawValue: name), "\(name) is not a permission")
            seen.insert(permission)
            for (index, role) in StaffRole.allCases.enumerated() {
                #expect((cells[index + 2] == "✓") == role.may(permission), "\(role.rawValue) / \(name)")
            }
        }
        #expect(seen == Set(StaffPermission.allCases))
    }
}
