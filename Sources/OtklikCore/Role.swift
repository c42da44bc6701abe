/// The parts people play under the regulation (clauses 5, 6 and 22) plus the system's administrator.
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    /// Official of the regional analytics centre: finds messages, routes them, approves and publishes replies (p.5).
    case curator
    /// Staff of the Administration or an institution who prepares replies (p.6).
    case executor
    /// Deputy head or higher who organises the work and owes the monthly summary (p.6, p.22).
    case responsible
    /// Head of the district, who receives the monthly summary (p.22).
    case head
    /// Manages the directory, schedules and backups; not a party of the regulation.
    case admin
    /// A network connector's login (`otklik-connect`): registers the comments it takes from the
    /// administration's communities, and nothing else. Not a person and not a party of the regulation.
    case connector

    /// Declaration order.
    public static func < (lhs: Role, rhs: Role) -> Bool {
        // Safe to unwrap: `allCases` holds every case.
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
