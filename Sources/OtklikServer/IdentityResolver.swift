import Foundation
import OtklikCore
import OtklikRPC
#if canImport(Glibc)
import Glibc
#endif

/// Maps the kernel's word on a peer (its uid) to a staff identity.
///
/// Until the staff directory exists, the login is the OS user name and every caller is an admin
/// (who may act as any login with `--as`, recorded in the event); `onlyUIDs` narrows admin to the
/// listed users, as the directory will.
public struct IdentityResolver: Sendable {
    public enum Admins: Sendable, Equatable {
        case everyone
        case onlyUIDs(Set<UInt32>)
    }

    public let admins: Admins

    public init(admins: Admins = .everyone) {
        self.admins = admins
    }

    public func identity(of peer: PeerCredentials) -> Identity {
        let login = Self.osUserName(uid: peer.uid) ?? "uid-\(peer.uid)"
        let isAdmin = switch admins {
        case .everyone: true
        case .onlyUIDs(let uids): uids.contains(peer.uid)
        }
        return Identity(login: login, roles: isAdmin ? [.admin] : [])
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
