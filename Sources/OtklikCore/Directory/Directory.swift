/// A unit of the organisation (p.5, p.6, p.17): the curator centre, the administration, its
/// departments and municipal institutions; executors answer for a unit's assignments.
public struct OrganisationUnit: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case curatorCentre = "curator_centre"
        case administration, department, institution
    }

    public var name: String
    public var title: String
    public var kind: Kind
    /// The schedule the unit works by.
    public var schedule: String

    public init(name: String, title: String, kind: Kind, schedule: String) {
        self.name = name
        self.title = title
        self.kind = kind
        self.schedule = schedule
    }
}

/// The two sides of the regulation (p.5, p.6): the curator centre finds, routes, approves and
/// publishes; the administration writes the replies. One login never belongs to both, and nobody
/// stands in for someone of the other side, so the curator's control cannot be bypassed.
public enum Party: String, Sendable, Equatable {
    case curatorCentre = "curator centre"
    case administration

    /// The sides `roles` belong to: none for admin only, two for a mix the directory refuses.
    public static func parties(of roles: Set<Role>) -> Set<Party> {
        var parties: Set<Party> = []
        if roles.contains(.curator) { parties.insert(.curatorCentre) }
        if !roles.isDisjoint(with: [.executor, .responsible, .head]) { parties.insert(.administration) }
        return parties
    }
}

/// A person who uses the system (p.6), mapped from an OS user.
public struct StaffMember: Sendable, Codable, Equatable {
    public var login: String
    public var fullName: String
    public var osUser: String
    public var unit: String
    public var roles: Set<Role>
    public var active: Bool

    public init(login: String, fullName: String, osUser: String, unit: String, roles: Set<Role>, active: Bool = true) {
        self.login = login
        self.fullName = fullName
        self.osUser = osUser
        self.unit = unit
        self.roles = roles
        self.active = active
    }
}

/// p.6: while `login` is away in `[from, to)`, `deputy` stands in.
public struct Absence: Sendable, Codable, Equatable {
    public var id: Int
    public var login: String
    public var from: Instant
    public var to: Instant
    public var reason: String
    public var deputy: String

    public init(id: Int, login: String, from: Instant, to: Instant, reason: String, deputy: String) {
        self.id = id
        self.login = login
        self.from = from
        self.to = to
        self.reason = reason
        self.deputy = deputy
    }

    public func covers(_ instant: Instant) -> Bool { from <= instant && instant < to }
}

/// p.4: the administration's own account in a network, used when publishing.
public struct SocialAccount: Sendable, Codable, Equatable {
    public var network: String
    public var name: String
    public var url: String

    public init(network: String, name: String, url: String) {
        self.network = network
        self.name = name
        self.url = url
    }
}

/// What someone may act for at an instant: their own roles and unit, plus those of every colleague
/// they stand in for.
public struct Access: Sendable, Equatable {
    public var login: String
    public var roles: Set<Role>
    public var units: Set<String>
    /// Logins whose assignments this person may act on now (themselves and absentees they stand in for).
    public var actingFor: Set<String>

    public init(login: String, roles: Set<Role>, units: Set<String>, actingFor: Set<String>) {
        self.login = login
        self.roles = roles
        self.units = units
        self.actingFor = actingFor
    }

    public func holds(_ role: Role) -> Bool { roles.contains(role) }
}

/// The staff directory as values: units, staff, absences and accounts.
public struct Directory: Sendable, Equatable {
    public var units: [String: OrganisationUnit] = [:]
    public var staff: [String: StaffMember] = [:]
    public var absences: [Absence] = []
    public var accounts: [SocialAccount] = []

    public init() {}

    /// The active staff member an OS user maps to.
    public func member(osUser: String) -> StaffMember? {
        staff.values.first { $0.osUser == osUser && $0.active }
    }

    /// What `login` may act for at `instant` (p.6: deputies act while the absence runs).
    public func access(of login: String, at instant: Instant) -> Access? {
        guard let member = staff[login], member.active else { return nil }
        var access = Access(
            login: login, roles: member.roles, units: member.unit.isEmpty ? [] : [member.unit], actingFor: [login])
        let own = Party.parties(of: member.roles)
        for absence in absences where absence.deputy == login && absence.covers(instant) {
            guard let absent = staff[absence.login], absent.active else { continue }
            // A deputy from the other side gains nothing (an absence recorded before the rule).
            guard Party.parties(of: absent.roles).union(own).count <= 1 else { continue }
            access.roles.formUnion(absent.roles)
            if !absent.unit.isEmpty { access.units.insert(absent.unit) }
            access.actingFor.insert(absent.login)
        }
        return access
    }

    /// Who stands in for `login` at `instant`, if they are away.
    public func deputy(of login: String, at instant: Instant) -> String? {
        absences.first { $0.login == login && $0.covers(instant) }?.deputy
    }
}
