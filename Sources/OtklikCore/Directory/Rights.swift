import Foundation

/// Who may call what: the one table of role x call (docs/RIGHTS.md prints it). The daemon checks it
/// before any handler runs; executors are further limited to their own scope (`Scope`).
public enum Rights {
    /// Which cases and assignments an allowed caller may touch.
    public enum Scope: String, Sendable {
        /// Anything the call names.
        case all
        /// Executors: cases with an assignment of one of their units, or held by someone they act for.
        case ownCases
        /// Executors: the named assignment must be of one of their units or held by someone they act for.
        case ownAssignment
    }

    public struct Rule: Sendable {
        /// Roles allowed, each with its scope; nil: every authenticated caller, scope all.
        public var roles: [Role: Scope]?

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
            return scopes.first
        }
    }

    private static let readers: [Role: Scope] = [
        .curator: .all, .responsible: .all, .head: .all, .admin: .all, .executor: .ownCases,
    ]

    /// The table, by full service name and method.
    public static let table: [String: [String: Rule]] = [
        "otklik.v1.Admin": [
            "Health": .anyone, "WhoAmI": .anyone, "SetClock": .only(.admin), "AdvanceClock": .only(.admin),
        ],
        "otklik.v1.Maintenance": [
            "Backup": .only(.admin)
        ],
        "otklik.v1.Calendar": [
            "GetSchedule": .anyone, "ListSchedules": .anyone, "ComputeDue": .anyone, "WorkingTimeBetween": .anyone,
            "MonthSummary": .anyone, "PutSchedule": .only(.admin), "ImportProductionCalendar": .only(.admin),
        ],
        "otklik.v1.Cases": [
            "RegisterMessage": .only(.curator),
            "GetCase": Rule(roles: readers), "GetHistory": Rule(roles: readers), "ListCases": Rule(roles: readers),
            "Route": .only(.curator), "Reject": .only(.curator), "LinkRepeat": .only(.curator),
            "Reroute": .only(.curator), "AddExecutor": .only(.curator), "CancelAssignment": .only(.curator),
            "Withdraw": .only(.curator),
            "Correct": .only(.curator), "Reopen": .only(.curator),
            "TakeAssignment": Rule(roles: [.executor: .ownAssignment]),
            "GiveAssignment": Rule(roles: [.executor: .ownAssignment, .curator: .all, .responsible: .all]),
        ],
        "otklik.v1.Replies": [
            "SubmitDraft": Rule(roles: [.executor: .ownAssignment]),
            "ApproveDraft": .only(.curator), "ReturnDraft": .only(.curator), "Publish": .only(.curator),
            "RecordAuthorAnswer": .only(.curator),
        ],
        "otklik.v1.Directory": [
            "ListUnits": .anyone, "ListStaff": .anyone, "GetStaff": .anyone, "ListAbsences": .anyone,
            "ListAccounts": .anyone,
            "PutUnit": .only(.admin), "PutStaff": .only(.admin), "DeactivateStaff": .only(.admin),
            "AddAbsence": .only(.admin),
            "PutAccount": .only(.admin), "ImportStaff": .only(.admin),
        ],
        "otklik.v1.Events": ["Watch": Rule(roles: readers)],
        "otklik.v1.Reports": ["MonthlySummary": .only(.curator, .responsible, .head, .admin)],
        "otklik.v1.Diagnostics": ["Echo": .anyone, "Count": .anyone, "Sum": .anyone],
    ]

    public static func rule(service: String, method: String) -> Rule? {
        table[service]?[method]
    }

    /// Whether `access` may read `state` with `scope`.
    public static func canRead(_ state: CaseState, _ access: Access, scope: Scope) -> Bool {
        switch scope {
        case .all: true
        case .ownCases, .ownAssignment: state.assignments.contains { canAct(on: $0, access) }
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
    /// The table as Markdown, one row per call, one column per role: `yes`, `own` (executors: their
    /// units' assignments and those they stand in for) or `-`. docs/RIGHTS.md prints exactly this.
    public static func markdown() -> String {
        let roles = Role.allCases
        var lines = [
            "| call | " + roles.map(\.rawValue).joined(separator: " | ") + " |",
            "|---|" + roles.map { _ in "---|" }.joined(),
        ]
        for service in table.keys.sorted() {
            for method in table[service]!.keys.sorted() {
                let rule = table[service]![method]!
                let cells = roles.map { role -> String in
                    guard let scopes = rule.roles else { return "yes" }
                    switch scopes[role] {
                    case .all?: return "yes"
                    case .ownCases?, .ownAssignment?: return "own"
                    case nil: return "-"
                    }
                }
                lines.append(
                    "| \(service.replacingOccurrences(of: "otklik.v1.", with: ""))/\(method) | "
                        + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
