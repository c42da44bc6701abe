import Foundation
import OtklikCore
import OtklikRPC
#if canImport(Glibc)
import Glibc
#endif

/// The OS user database, as the daemon asks it who a peer's uid is.
public enum IdentityResolver {
    /// The uid of OS user `name`, nil when the system has no such user.
    public static func uid(osUser name: String) -> UInt32? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.pw_uid
    }

    /// What the OS user database says of a uid.
    public enum Answer: Sendable, Equatable {
        case name(String)
        /// It has no such user.
        case noSuchUser
        /// It could not say (getpwuid_r failed: a directory server out of reach, say).
        case failed
    }

    /// The uid's name in the OS user database, or nil (none, or the lookup failed).
    public static func osUserName(uid: UInt32) -> String? {
        if case .name(let name) = lookUp(uid: uid) { name } else { nil }
    }

    /// The OS user database's answer for `uid` (getpwuid_r).
    public static func lookUp(uid: UInt32) -> Answer {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        switch getpwuid_r(uid, &entry, &buffer, buffer.count, &result) {
        case 0: break
        // getpwuid_r(3): some user databases say "no such user" with these rather than with 0.
        case ENOENT, ESRCH: return .noSuchUser
        default: return .failed
        }
        guard result != nil, let name = entry.pw_name else { return .noSuchUser }
        return .name(String(cString: name))
    }
}
