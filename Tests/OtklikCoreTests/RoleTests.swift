import OtklikCore
import Testing

@Suite struct RoleTests {
    /// The regulation's parties, then the two logins that are not a party: an admin and a network connector.
    @Test func rolesAreTheRegulationsPartiesPlusAdminAndConnector() {
        #expect(
            Role.allCases.map(\.rawValue) == ["curator", "executor", "responsible", "head", "admin", "connector"])
        #expect(Party.parties(of: [.connector]).isEmpty)
    }

    @Test func sortedRolesFollowTheRegulationsOrderWhateverTheInsertionOrder() {
        let roles: Set<Role> = [.admin, .curator, .head]
        #expect(roles.sorted() == [.curator, .head, .admin])
    }
}
