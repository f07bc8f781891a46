import Testing

@testable import PatronConsole

@Suite struct StaffRoleTests {
    @Test func onlyTheOwnerManagesStaff() {
        for role in StaffRole.allCases {
            #expect(role.may(.manageStaff) == (role == .owner), "\(role)")
        }
    }

    @Test func readOnlyChangesNothing() {
        let changes: Set<StaffPermission> = [.changeMembers, .eraseMembers, .changeProgram, .operate, .marketing, .care, .manageStaff, .exportMembers]
        #expect(StaffRole.readOnly.permissions.isDisjoint(with: changes))
    }
}
