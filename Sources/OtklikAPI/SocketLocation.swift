public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon's socket is, found the same way by the daemon and every client.
public enum SocketLocation {
    /// The system service's socket.
    public static let system = "/run/otklik/otklik.sock"
    /// The demo's socket, relative to the directory the demo was started in.
    public static let demo = ".otklik/otklik.sock"
    public static let environmentVariable = "OTKLIK_SOCKET"

    /// For the daemon: `--socket`, else `$OTKLIK_SOCKET`, else the demo or the system path.
    public static func forDaemon(
        flag: String?, demo isDemo: Bool, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return isDemo ? demo : system
    }

    /// For a client: `--socket`, else `$OTKLIK_SOCKET`, else the demo socket if one exists in the
    /// current directory, else the system path.
    public static func forClient(
        flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return exists(demo) ? demo : system
    }

    /// Why a socket found in the current directory (the demo's) is not to be trusted.
    public enum Distrust: Sendable, Equatable {
        /// The socket (or, `directory` true, the folder holding it) belongs to someone other than
        /// this user or root: a stranger could have put a fake daemon there to collect what is sent.
        case foreignOwner(file: String, directory: Bool, uid: UInt32)
        /// The folder holding it is writable by every user.
        case worldWritable(directory: String)
    }

    /// Nil when the socket at `path` and its directory belong to this user or root.
    public static func distrust(_ path: String, uid: UInt32 = getuid()) -> Distrust? {
        let directory =
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        for (file, isDirectory) in [(path, false), (directory, true)] {
            var info = stat()
            guard lstat(file, &info) == 0 else { continue }
            if info.st_uid != uid && info.st_uid != 0 {
                return .foreignOwner(file: file, directory: isDirectory, uid: info.st_uid)
            }
            if isDirectory, info.st_mode & 0o002 != 0 { return .worldWritable(directory: file) }
        }
        return nil
    }
}
