import Foundation

/// The rules of who may call what: the roles a call is open to and, for executors, the scope they get
/// (`Scope`). The table of call x rule is the daemon's (`RightsTable`, keyed by the contract's typed
/// methods); docs/RIGHTS.md prints it.
public enum Rights {
    /// Which cases and assignments an allowed caller may touch.
    public enum Scope: String, Sendable {
        /// Anything the call names.
        case all
        /// Executors: cases with an assignment of one of their units, or held by someone they act for.
        case ownCases
        /// Executors: the named assignment must be of one of their units or held by someone they act for.
        case ownAssignment
        /// Connectors: the files of a reply the curator handed to a network's connector to publish, while
        /// it waits there (issue 29); never a case.
        case handedOver
    }

    public struct Rule: Sendable {
        /// Roles allowed, each with its scope; nil: every authenticated caller, scope all.
        public var roles: [Role: Scope]?

        public init(roles: [Role: Scope]?) { self.roles = roles }

        public static let anyone = Rule(roles: nil)

        public static func only(_ roles: Role...) -> Rule {
            Rule(roles: Dictionary(uniqueKeysWithValues: roles.map { ($0, .all) }))
        }

        /// The widest scope `access` gets, or nil when no role of it is allowed.
        public func scope(for access: Access) -> Scope? {
            guard let roles else { return .all }
            let scopes = access.roles.compactMap { roles[$0] }
            if scopes.contains(.all) { return .all }
            if scopes.contains(.ownAssignment) { return .ownAssignment }
            if scopes.contains(.ownCases) { return .ownCases }
            return scopes.first
        }
    }

    /// The people of the directory: every role but a connector's, which is a program's login that
    /// registers comments and reads neither the staff nor the cases.
    public static let staff = Rule.only(.curator, .executor, .responsible, .head, .admin)

    /// Who reads cases: everyone but executors, who read their own, and connectors, who read none.
    public static let readers: [Role: Scope] = [
        .curator: .all, .responsible: .all, .head: .all, .admin: .all, .executor: .ownCases,
    ]

    /// Whether `access` may read `state` with `scope`.
    public static func canRead(_ state: CaseState, _ access: Access, scope: Scope) -> Bool {
        switch scope {
        case .all: true
        case .ownCases, .ownAssignment: state.assignments.contains { canAct(on: $0, access) }
        case .handedOver: false
        }
    }

    /// Whether `state` hands the file `sha256` to a connector: an assignment whose reply waits for a
    /// network's connector and whose approved draft carries the file.
    public static func handsOver(_ sha256: String, in state: CaseState) -> Bool {
        state.assignments.contains { assignment in
            state.waitingPublication(assignment.index) != nil
                && assignment.drafts.last?.attachments?.contains { $0.sha256 == sha256 } == true
        }
    }

    /// Whether `access` may act on `assignment` as an executor: it is of one of their units, or held
    /// by someone they act for (themselves or an absent colleague they stand in for).
    public static func canAct(on assignment: AssignmentState, _ access: Access) -> Bool {
        access.units.contains(assignment.executor)
            || assignment.responsible.map { access.actingFor.contains($0) } == true
    }
}

extension Rights {
    /// A table as Markdown, one row per call (in the order given), one column per role: `yes`, `own`
    /// (executors: their units' assignments and those they stand in for), `handed` (connectors: the
    /// files of a reply handed to them to publish) or `-`. docs/RIGHTS.md prints
    /// the daemon's table (`RightsTable` in OtklikServer) exactly this way.
    public static func markdown(_ rows: [(call: String, rule: Rule)]) -> String {
        let roles = Role.allCases
        var lines = [
            "| call | " + roles.map(\.rawValue).joined(separator: " | ") + " |",
            "|---|" + roles.map { _ in "---|" }.joined(),
        ]
        for (call, rule) in rows {
            let cells = roles.map { role -> String in
                guard let scopes = rule.roles else { return "yes" }
                switch scopes[role] {
                case .all?: return "yes"
                case .ownCases?, .ownAssignment?: return "own"
                case .handedOver?: return "handed"
                case nil: return "-"
                }
            }
            lines.append("| \(call) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
