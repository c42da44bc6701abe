import OtklikCore
import Testing

@Suite struct RoleTests {
    @Test func rolesAreTheRegulationsPartiesPlusAdmin() {
        #expect(Role.allCases.map(\.rawValue) == ["curator", "executor", "responsible", "head", "admin"])
    }

    @Test func sortedRolesFollowTheRegulationsOrderWhateverTheInsertionOrder() {
        let identity = Identity(login: "ivanova", roles: [.admin, .curator, .head])
        #expect(identity.sortedRoles == [.curator, .head, .admin])
        #expect(identity.holds(.curator))
        #expect(!identity.holds(.executor))
    }
}
