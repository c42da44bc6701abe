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

    /// The uid's name in the OS user database (getpwuid_r), or nil.
    public static func osUserName(uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name
        else {
            return nil
        }
        return String(cString: name)
    }
}
