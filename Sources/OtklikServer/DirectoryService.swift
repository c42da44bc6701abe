import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// `otklik.v1.Directory`: reads for everyone, changes for admins (the rights table), each change
/// stored with its event and then swapped into the directory in force.
struct DirectoryServiceHandlers: ServiceEnvironmentReader {
    let environment: ServiceEnvironment

    func register(in registry: inout ServiceRegistry) {
        registry.unary(DirectoryService.listUnits, placement: .inline) { _, _ in
            var list = UnitList()
            list.units = directory.directory.units.values.sorted { $0.name < $1.name }.map(Self.view)
            return list
        }
        registry.unary(DirectoryService.listStaff, placement: .inline) { _, _ in
            var list = StaffList()
            list.staff = directory.directory.staff.values.sorted { $0.login < $1.login }.map(Self.view)
            return list
        }
        registry.unary(DirectoryService.getStaff, placement: .inline) { _, request in
            guard let member = directory.directory.staff[request.login] else {
                throw RPCError(.notFound, Refusals.Directory.noStaffMember(["login": request.login]))
            }
            return Self.view(member)
        }
        registry.unary(DirectoryService.listAbsences, placement: .inline) { _, _ in
            var list = AbsenceList()
            list.absences = directory.directory.absences.map(view)
            return list
        }
        registry.unary(DirectoryService.listAccounts, placement: .inline) { _, _ in
            var list = AccountList()
            list.accounts = directory.directory.accounts.map(Self.view)
            return list
        }
        registry.unary(DirectoryService.putUnit, placement: .pool) { context, request in try putUnit(context, request) }
        registry.unary(DirectoryService.putStaff, placement: .pool) { context, request in
            let member = try member(from: request, in: directory.directory)
            try write(context) { caller throws(StoreError) in
                try store.putStaff([member], actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
            }
            return Self.view(member)
        }
        registry.unary(DirectoryService.deactivateStaff, placement: .pool) { context, request in
            guard var member = directory.directory.staff[request.login] else {
                throw RPCError(.notFound, Refusals.Directory.noStaffMember(["login": request.login]))
            }
            member.active = false
            try write(context) { caller throws(StoreError) in
                try store.putStaff([member], actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
            }
            return Self.view(member)
        }
        registry.unary(DirectoryService.addAbsence, placement: .pool) { context, request in
            try addAbsence(context, request)
        }
        registry.unary(DirectoryService.removeAbsence, placement: .pool) { context, request in
            try removeAbsence(context, request)
        }
        registry.unary(DirectoryService.putAccount, placement: .pool) { context, request in
            try putAccount(context, request)
        }
        registry.unary(DirectoryService.importStaff, placement: .pool) { context, request in
            try importStaff(context, request)
        }
    }

    // MARK: Steps

    /// The administration's account on a network (p.15: replies are published from it).
    private func putAccount(_ context: ServerContext, _ request: AccountView) throws(RPCError) -> AccountView {
        guard profile.networks.contains(request.network) else {
            throw RPCError(
                .invalidArgument,
                Refusals.Workflow.unknownNetwork([
                    "network": request.network, "networks": profile.networks.joined(separator: ", "),
                ]))
        }
        guard !request.name.trimmingCharacters(in: .whitespaces).isEmpty,
            request.url.hasPrefix("https://") || request.url.hasPrefix("http://")
        else {
            throw RPCError(.invalidArgument, Refusals.Directory.accountNameAndURL())
        }
        try write(context) { caller throws(StoreError) in
            try store.putAccount(
                SocialAccount(network: request.network, name: request.name, url: request.url),
                actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
        }
        return request
    }

    private func putUnit(_ context: ServerContext, _ request: UnitView) throws(RPCError) -> UnitView {
        guard Workflow.isLogin(request.name), !request.name.contains(".") else {
            throw RPCError(.invalidArgument, Refusals.Directory.unitName())
        }
        guard !request.title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RPCError(.invalidArgument, Refusals.Directory.unitTitle())
        }
        guard let kind = request.kind.domain else {
            throw RPCError(
                .invalidArgument,
                Refusals.Directory.unitKind([
                    "kinds": OrganisationUnit.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                ]))
        }
        let schedule =
            request.schedule.isEmpty
            ? (kind == .curatorCentre ? Schedule.curatorName : Schedule.executorName) : request.schedule
        _ = try calendars.calendar(schedule)
        let unit = OrganisationUnit(name: request.name, title: request.title, kind: kind, schedule: schedule)
        try write(context) { caller throws(StoreError) in
            try store.putUnit(unit, actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
        }
        return Self.view(unit)
    }

    private func addAbsence(_ context: ServerContext, _ request: AddAbsenceRequest) throws(RPCError) -> AbsenceView {
        let directory = directory.directory
        guard let absent = directory.staff[request.login], absent.active else {
            throw RPCError(.notFound, Refusals.Directory.noActiveStaffMember(["login": request.login]))
        }
        guard let deputy = directory.staff[request.deputy], deputy.active else {
            throw RPCError(.notFound, Refusals.Directory.noDeputy(["login": request.deputy]))
        }
        guard request.deputy != request.login else {
            throw RPCError(.invalidArgument, Refusals.Directory.standInForSelf())
        }
        guard request.toUnix > request.fromUnix else {
            throw RPCError(.invalidArgument, Refusals.Directory.absenceEndsAfterStart())
        }
        let absentSide = Party.parties(of: absent.roles), deputySide = Party.parties(of: deputy.roles)
        if let a = absentSide.first, let d = deputySide.first, absentSide.union(deputySide).count > 1 {
            throw RPCError(
                .invalidArgument,
                Refusals.Directory.deputyOtherSide([
                    "deputy": request.deputy, "deputy_party": d.rawValue, "login": request.login, "party": a.rawValue,
                ]))
        }
        let recorded = try write(context) { caller throws(StoreError) in
            try store.addAbsence(
                Absence(
                    id: 0, login: request.login, from: Instant(seconds: request.fromUnix),
                    to: Instant(seconds: request.toUnix),
                    reason: request.reason, deputy: request.deputy),
                actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
        }
        switch recorded {
        case .added(let absence): return view(absence)
        case .overlaps(let existing):
            let shown = view(existing)
            throw RPCError(
                .failedPrecondition,
                Refusals.Directory.absenceOverlaps([
                    "login": existing.login, "from": shown.from, "to": shown.to, "deputy": existing.deputy,
                    "id": String(existing.id),
                ]))
        }
    }

    private func removeAbsence(_ context: ServerContext, _ request: RemoveAbsenceRequest) throws(RPCError)
        -> AbsenceView
    {
        guard !request.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RPCError(.invalidArgument, Refusals.Directory.removalReason())
        }
        let removed = try write(context) { caller throws(StoreError) in
            try store.removeAbsence(
                id: Int(clamping: request.id), reason: request.reason, actor: caller.actor, onBehalf: caller.onBehalf,
                now: clock.now)
        }
        guard let removed else {
            throw RPCError(.notFound, Refusals.Directory.noAbsence(["id": String(request.id)]))
        }
        return view(removed)
    }

    /// CSV: a header line `login;full_name;os_user;unit;roles;active` (`,` also separates), then one
    /// line per person; roles separated by `,` when `;` separates columns, by `|` otherwise.
    private func importStaff(_ context: ServerContext, _ request: ImportStaffRequest) throws(RPCError)
        -> ImportStaffResponse
    {
        var text = request.csv
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let headerLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let separator: Character = headerLine.contains(";") ? ";" : ","
        guard let parsed = CSV.parse(text, separator: separator) else {
            throw RPCError(.invalidArgument, Refusals.Directory.quoteNotClosed())
        }
        let lines = parsed.filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let header = lines.first else { throw RPCError(.invalidArgument, Refusals.Directory.fileEmpty()) }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let expected = ["login", "full_name", "os_user", "unit", "roles", "active"]
        guard columns == expected else {
            throw RPCError(
                .invalidArgument,
                Refusals.Directory.staffHeader(["header": expected.joined(separator: String(separator))]))
        }
        var directory = directory.directory
        var members: [StaffMember] = []
        var response = ImportStaffResponse()
        for (offset, line) in lines.dropFirst().enumerated() {
            let view = try Self.staffView(line.map { $0.trimmingCharacters(in: .whitespaces) }, line: offset + 2)
            let member: StaffMember
            do {
                member = try self.member(from: view, in: directory)
            } catch {
                throw error.atLine(offset + 2)
            }
            if let existing = directory.staff[member.login] {
                if existing == member { response.unchanged.append(member.login); continue }
                response.updated.append(member.login)
            } else {
                response.added.append(member.login)
            }
            directory.staff[member.login] = member
            members.append(member)
        }
        if request.apply, !members.isEmpty {
            try write(context) { caller throws(StoreError) in
                try store.putStaff(members, actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
            }
        }
        response.applied = request.apply
        return response
    }

    /// One line of a staff file (`login,full_name,os_user,unit,roles,active`) as a staff view, each cell
    /// bounded as when it comes alone; a refusal names the file's `line`.
    static func staffView(_ cells: [String], line: Int) throws(RPCError) -> StaffView {
        guard cells.count == 6 else {
            throw RPCError(.invalidArgument, Refusals.Directory.staffColumns(["count": String(cells.count)]))
                .atLine(line)
        }
        // The cells become directory fields: the same limits as when they come one by one.
        for (cell, field) in zip(cells, ["login", "full_name", "os_user", "unit", "roles", "active"]) {
            do {
                try WireBounds.check(cell, field: field, path: field)
            } catch {
                throw error.atLine(line)
            }
        }
        var view = StaffView()
        view.login = cells[0]
        // `staff export` guards cells against spreadsheet formulas with a leading ' (=, +, -, @):
        // the name is what follows it.
        view.fullName =
            cells[1].hasPrefix("'") && cells[1].dropFirst().first.map({ "=+-@".contains($0) }) == true
            ? String(cells[1].dropFirst()) : cells[1]
        view.osUser = cells[2]
        view.unit = cells[3]
        for text in cells[4].split(whereSeparator: { $0 == "," || $0 == "|" }) {
            let word = text.trimmingCharacters(in: .whitespaces)
            guard let role = Role(rawValue: word) else {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Directory.unknownRole([
                        "role": word, "roles": Role.allCases.map(\.rawValue).joined(separator: ", "),
                    ])
                ).atLine(line)
            }
            view.roles.append(Wire.Role(role))
        }
        view.active = ["1", "yes", "true", "да"].contains(cells[5].lowercased())
        return view
    }

    /// A staff member from its view, checked against the directory it joins.
    private func member(from request: StaffView, in directory: Directory) throws(RPCError) -> StaffMember {
        guard Workflow.isLogin(request.login) else {
            throw RPCError(.invalidArgument, Refusals.Directory.notALogin(["login": request.login]))
        }
        guard !request.fullName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RPCError(.invalidArgument, Refusals.Directory.fullNameRequired())
        }
        guard !request.osUser.isEmpty, !request.osUser.contains(where: { $0.isWhitespace || $0 == ":" }) else {
            throw RPCError(.invalidArgument, Refusals.Directory.osUserRequired())
        }
        guard !authorizer.isSuperUser(osUser: request.osUser) else {
            throw RPCError(
                .invalidArgument,
                Refusals.Directory.superUserMapped(["os_user": request.osUser, "login": request.login]))
        }
        var roles: Set<Role> = []
        for role in request.roles { roles.insert(try role.required("roles")) }
        guard !roles.isEmpty else { throw RPCError(.invalidArgument, Refusals.Directory.roleRequired()) }
        // p.5, p.6: the curator centre and the administration are different parties.
        guard Party.parties(of: roles).count <= 1 else {
            throw RPCError(
                .invalidArgument,
                Refusals.Directory.curatorAndAdministration([
                    "other_roles": roles.filter { $0 != .curator && $0 != .admin }.sorted().map(\.rawValue).joined(
                        separator: ", ")
                ]))
        }
        // A connector's login is a program's (issue 29): it gets no right a person has.
        guard !roles.contains(.connector) || roles.count == 1 else {
            throw RPCError(
                .invalidArgument,
                Refusals.Directory.connectorAlone([
                    "other_roles": roles.subtracting([.connector]).sorted().map(\.rawValue).joined(separator: ", ")
                ]))
        }
        if let kind = directory.units[request.unit]?.kind {
            if roles.contains(.curator), kind != .curatorCentre {
                throw RPCError(.invalidArgument, Refusals.Directory.curatorOutsideCentre(["unit": request.unit]))
            }
            if kind == .curatorCentre, !roles.isDisjoint(with: [.executor, .responsible, .head]) {
                throw RPCError(.invalidArgument, Refusals.Directory.administrationInCentre(["unit": request.unit]))
            }
        }
        if roles.contains(.executor) || roles.contains(.curator) {
            guard directory.units[request.unit] != nil else {
                throw RPCError(.invalidArgument, Refusals.Directory.unitMissing(["unit": request.unit]))
            }
        }
        if request.active,
            let other = directory.staff.values.first(where: {
                $0.osUser == request.osUser && $0.active && $0.login != request.login
            })
        {
            throw RPCError(
                .alreadyExists, Refusals.Directory.osUserTaken(["os_user": request.osUser, "login": other.login]))
        }
        return StaffMember(
            login: request.login, fullName: request.fullName, osUser: request.osUser, unit: request.unit, roles: roles,
            active: request.active)
    }

    /// Writes a change as the caller and swaps the reloaded directory in; returns what `body` returned.
    @discardableResult
    private func write<Value>(_ context: ServerContext, _ body: (Caller) throws(StoreError) -> Value)
        throws(RPCError) -> Value
    {
        let caller = try context.caller
        let value: Value
        do {
            // The daemon puts the stored directory in force as the write commits (`Store.onCommitted`).
            value = try body(caller)
        } catch {
            logger.error("\(context.method): \(error)")
            throw error.rpc("the directory could not be stored", dataDirectory: store.directory)
        }
        logger.info(
            "directory: \(context.method) by \(caller.actor)\(caller.onBehalf.isEmpty ? "" : " as \(caller.onBehalf)")")
        return value
    }

    // MARK: Views

    static func view(_ account: SocialAccount) -> AccountView {
        var view = AccountView()
        view.network = account.network
        view.name = account.name
        view.url = account.url
        return view
    }

    static func view(_ unit: OrganisationUnit) -> UnitView {
        var view = UnitView()
        view.name = unit.name
        view.title = unit.title
        view.kind = Wire.UnitKind(unit.kind)
        view.schedule = unit.schedule
        return view
    }

    static func view(_ member: StaffMember) -> StaffView {
        var view = StaffView()
        view.login = member.login
        view.fullName = member.fullName
        view.osUser = member.osUser
        view.unit = member.unit
        view.roles = member.roles.sorted().map(Wire.Role.init)
        view.active = member.active
        return view
    }

    private func view(_ absence: Absence) -> AbsenceView {
        let zone = (try? calendars.calendar(Schedule.executorName)).map { $0.utcOffset(at: absence.from) } ?? 0
        var view = AbsenceView()
        view.id = Int64(absence.id)
        view.login = absence.login
        view.fromUnix = absence.from.seconds
        view.toUnix = absence.to.seconds
        view.from = absence.from.iso(offset: zone)
        view.to = absence.to.iso(offset: zone)
        view.reason = absence.reason
        view.deputy = absence.deputy
        return view
    }
}
