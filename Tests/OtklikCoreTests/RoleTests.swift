import OtklikCore
import Testing

@Suite struct RoleTests {
    @Test func rolesAreTheRegulationsPartiesPlusAdmin() {
        #expect(Role.allCases.map(\.rawValue) == ["curator", "executor", "responsible", "head", "admin"])
    }

    @Test func sortedRolesFollowTheRegulationsOrderWhateverTheInsertionOrder() {
        let roles: Set<Role> = [.admin, .curator, .head]
        #expect(roles.sorted() == [.curator, .head, .admin])
    }
}
