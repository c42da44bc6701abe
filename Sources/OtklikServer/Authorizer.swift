import Foundation
import OtklikAPI
public import OtklikCore
import OtklikRPC
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// Who is calling, with what rights: the identity from the peer's uid through the staff directory,
/// `--as` applied, and the rights table's verdict for the call.
public struct Caller: Sendable {
    /// The OS-level caller's login.
    public var actor: String
    /// The login acted as (`--as`), empty when acting as themselves.
    public var onBehalf: String
    /// The rights in force: the acted-as login's when `--as` is used.
    public var access: Access
    /// How far this call reaches for this caller (executors: their own cases).
    public var scope: Rights.Scope
    /// The caller's own roles make them a party of the regulation (curator centre or
    /// administration), not only an admin: acting `--as` someone, they still answer for the step.
    public var actorIsParty = false

    /// The login the step is done as.
    public var login: String { onBehalf.isEmpty ? actor : onBehalf }

    /// A network's connector (a program whose times come from its machine's clock and the network's): a
    /// login whose only role it is, as the directory requires of a connector's.
    public var isConnector: Bool { access.roles == [.connector] }

    /// Who the workflow holds to the separation of duties for this call: the login acted as, and the
    /// caller too when they are a party themselves (a curator who is also an admin cannot submit as an
    /// executor and then approve as herself). Root and pure admins acting `--as` are operators.
    public var dutyLogins: Set<String> { actorIsParty ? [login, actor] : [login] }
}

/// The staff directory in force, swapped whole after every change.
final class DirectoryState: Sendable {
    private let current: Locked<Directory>

    init(_ directory: Directory) {
        current = Locked(directory)
    }

    var directory: Directory { current.current }

    func replace(_ directory: Directory) { current.withLock { $0 = directory } }
}

/// Checks every call before its handler runs (`ServiceRegistry.guardAll`) against `RightsTable`.
final class Authorizer: Sendable {
    /// The metadata key of `otklik --as LOGIN`.
    static let actAsKey = "otklik-as"

    let directory: DirectoryState
    let clock: DaemonClock
    /// The daemon's own user and root: admins whether or not the directory lists them.
    let superUIDs: Set<UInt32>
    private let logger: Logger
    /// The OS user database's answers, a name or none, each kept for `nameLifetime` (by this machine's
    /// monotonic clock, not the daemon's, which a test may stop): an account renamed or removed, or
    /// its uid given to someone else, is seen within a minute, and a peer the database does not know
    /// does not make each of its connections a lookup (NSS may ask a directory server). A lookup that
    /// failed changes nothing: the last answer stands (staff are not locked out while a directory
    /// server is out of reach), and the next call asks again.
    private let names = Locked<[UInt32: (name: String?, until: ContinuousClock.Instant)]>([:])
    static let nameLifetime: Duration = .seconds(60)
    private let lookUp: @Sendable (UInt32) -> IdentityResolver.Answer
    private let monotonic: @Sendable () -> ContinuousClock.Instant

    init(
        directory: DirectoryState, clock: DaemonClock, superUIDs: Set<UInt32> = [0, getuid()], logger: Logger,
        lookUp: @escaping @Sendable (UInt32) -> IdentityResolver.Answer = IdentityResolver.lookUp(uid:),
        monotonic: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.directory = directory
        self.clock = clock
        self.superUIDs = superUIDs
        self.logger = logger
        self.lookUp = lookUp
        self.monotonic = monotonic
    }

    /// The guard: refuses before any handler runs, and hands the resolved caller to the handler
    /// (`ServerContext.caller`).
    func authorize(_ context: ServerContext) throws(RPCError) -> Caller {
        try caller(context)
    }

    /// The caller of `context` and the scope the rights table gives them for its method.
    func caller(_ context: ServerContext) throws(RPCError) -> Caller {
        let directory = directory.directory
        let now = clock.now
        let osUser = osUserName(context.peer.uid)
        let own: Access
        if superUIDs.contains(context.peer.uid) {
            // Root and the daemon's own user are admins whatever the directory says, so no entry
            // can take the administration of the daemon away from them.
            own = Access(login: osUser ?? "uid-\(context.peer.uid)", roles: [.admin], units: [], actingFor: [])
        } else if let member = osUser.flatMap(directory.member(osUser:)),
            let access = directory.access(of: member.login, at: now)
        {
            own = access
        } else {
            logger.warning(
                "refused: uid \(context.peer.uid) (\(osUser ?? "no OS user")) is not in the staff directory; called \(context.service)/\(context.method)"
            )
            throw RPCError(
                .unauthenticated, Refusals.Callers.notInDirectory(["os_user": osUser ?? "uid \(context.peer.uid)"]))
        }
        var caller = Caller(
            actor: own.login, onBehalf: "", access: own, scope: .all,
            actorIsParty: !Party.parties(of: own.roles).isEmpty)
        if let target = context.metadata(Self.actAsKey), !target.isEmpty, target != own.login {
            guard own.holds(.admin) else {
                throw refusal(caller, context, Refusals.Callers.onlyAdminActsAs())
            }
            guard let access = directory.access(of: target, at: now) else {
                throw RPCError(.invalidArgument, Refusals.Callers.noStaffToActAs(["login": target]))
            }
            caller.onBehalf = target
            caller.access = access
        }
        guard let rule = RightsTable.rule(service: context.service, method: context.method) else {
            throw refusal(
                caller, context, Refusals.Callers.noRightsEntry(["method": "\(context.service)/\(context.method)"]))
        }
        guard let scope = rule.scope(for: caller.access) else {
            let roles = caller.access.roles.sorted().map(\.rawValue).joined(separator: ", ")
            let allowed = (rule.roles ?? [:]).keys.sorted().map(\.rawValue).joined(separator: ", ")
            throw refusal(
                caller, context,
                Refusals.Callers.notPermitted([
                    "login": caller.login, "roles": roles.isEmpty ? "none" : roles,
                    "method": "\(context.service)/\(context.method)", "allowed_roles": allowed,
                ]))
        }
        caller.scope = scope
        return caller
    }

    /// An executor may act only on assignments of their units or held by someone they act for.
    func requireAct(_ caller: Caller, on assignment: AssignmentState, of state: CaseState, _ context: ServerContext)
        throws(RPCError)
    {
        guard caller.scope == .all || Rights.canAct(on: assignment, caller.access) else {
            throw refusal(
                caller, context,
                Refusals.Callers.notYourUnit([
                    "assignment": state.assignmentID(assignment.index), "unit": assignment.executor,
                    "units": caller.access.units.sorted().joined(separator: ", "),
                ]))
        }
    }

    func requireRead(_ caller: Caller, _ state: CaseState, _ context: ServerContext) throws(RPCError) {
        guard Rights.canRead(state, caller.access, scope: caller.scope) else {
            throw refusal(
                caller, context,
                Refusals.Callers.noAssignmentOfYours([
                    "case": state.id, "units": caller.access.units.sorted().joined(separator: ", "),
                ]))
        }
    }

    /// Logs a refusal (who, what, when; never message text) and returns the error to throw.
    private func refusal(_ caller: Caller, _ context: ServerContext, _ why: Refused) -> RPCError {
        logger.warning(
            "refused: \(caller.actor)\(caller.onBehalf.isEmpty ? "" : " as \(caller.onBehalf)") \(context.service)/\(context.method): \(why.message)"
        )
        return RPCError(.permissionDenied, why)
    }

    /// Whether a peer of `uid` is someone the daemon serves: root, its own user, or active staff.
    /// Others are answered UNAUTHENTICATED and disconnected.
    func knows(uid: UInt32) -> Bool {
        if superUIDs.contains(uid) { return true }
        let directory = directory.directory
        guard let osUser = osUserName(uid), let member = directory.member(osUser: osUser) else { return false }
        return directory.access(of: member.login, at: clock.now) != nil
    }

    /// Whether `osUser` is root or the daemon's own user: a staff entry may not map to them.
    func isSuperUser(osUser: String) -> Bool {
        guard let uid = IdentityResolver.uid(osUser: osUser) else { return false }
        return superUIDs.contains(uid)
    }

    /// The OS user name of `uid`, as the rights check saw it (asked once a minute at most).
    func osUserName(_ uid: UInt32) -> String? {
        let now = monotonic()
        let known = names.withLock { $0[uid] }
        if let known, known.until > now { return known.name }
        let name: String?
        switch lookUp(uid) {
        case .name(let found): name = found
        case .noSuchUser: name = nil
        case .failed: return known?.name  // the last answer, until the database answers again
        }
        names.withLock { names in
            // Bounded by the machine's accounts (a peer's uid is the kernel's word); the stale go first.
            if names.count >= 1024 { names = names.filter { $0.value.until > now } }
            names[uid] = (name, now + Self.nameLifetime)
        }
        return name
    }
}

extension ServerContext {
    /// Who is calling, as the guard resolved it before the handler ran (`Authorizer.authorize`).
    var caller: Caller {
        get throws(RPCError) {
            guard let caller = attachment as? Caller else {
                throw RPCError(
                    .internal,
                    Refusals.Requests.failed(["detail": "the call reached its handler without passing the rights check"]
                    ))
            }
            return caller
        }
    }
}
