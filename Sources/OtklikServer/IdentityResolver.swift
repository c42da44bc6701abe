import Foundation
import OtklikCore
import OtklikRPC
#if canImport(Glibc)
import Glibc
#endif

/// Maps the kernel's word on a peer (its uid) to a staff identity.
///
/// Until the staff directory exists, the login is the OS user name, and the daemon's own user and
/// root are admins; everyone else holds no role yet.
public struct IdentityResolver: Sendable {
    public let daemonUID: UInt32
    /// Root is an admin; tests that run as root turn this off to see refusals.
    public let rootIsAdmin: Bool

    public init(daemonUID: UInt32 = getuid(), rootIsAdmin: Bool = true) {
        self.daemonUID = daemonUID
        self.rootIsAdmin = rootIsAdmin
    }

    public func identity(of peer: PeerCredentials) -> Identity {
        let name = Self.osUserName(uid: peer.uid)
        let login = name ?? "uid-\(peer.uid)"
        let roles: Set<Role> = (peer.uid == 0 && rootIsAdmin) || peer.uid == daemonUID ? [.admin] : []
        return Identity(login: login, roles: roles)
    }

    /// The uid's name in the OS user database (getpwuid_r), or nil.
    public static func osUserName(uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return nil
        }
        return String(cString: name)
    }
}
